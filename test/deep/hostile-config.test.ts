// The hostile-configuration suite: the same verdicts whatever git's configuration says. Every key
// that changes what log, diff-tree, diff-index, rev-list, cat-file, for-each-ref, status or show
// print (docs/git-facts.md) is set to its most misleading value at once in a global config, a
// system config and the hub's own config, and passed again as the caller's `-c` options; replace
// refs and grafts try to show git other commits than the ones pushed. Zero verdict changes allowed.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { timeout } from '../helpers/tier.js';
import {
  cpuPerHistory,
  cpuSeconds,
  replayCommits,
  replayOne,
  replayWorld,
  type Replay,
} from '../helpers/replay.js';
import { modelOffences, scenarios } from '../helpers/histories.js';
import { commit } from '../helpers/world.js';

/** key → the value that would bend a verdict if a command obeyed it. */
export const HOSTILE: [string, string][] = [
  ['log.showRoot', 'false'], // root commits would show no paths
  ['log.showSignature', 'true'],
  ['log.decorate', 'full'],
  ['log.abbrevCommit', 'true'],
  ['log.follow', 'true'],
  ['log.mailmap', 'true'],
  ['log.diffMerges', 'first-parent'],
  ['log.excludeDecoration', 'refs/*'],
  ['diff.ignoreSubmodules', 'all'], // gitlinks would vanish
  ['diff.renames', 'copies'], // one side of a rename would vanish
  ['diff.relative', 'true'],
  ['diff.external', '/bin/false'],
  ['diff.noprefix', 'true'],
  ['diff.mnemonicPrefix', 'true'],
  ['diff.submodule', 'log'],
  ['diff.algorithm', 'histogram'],
  ['diff.context', '0'],
  ['diff.suppressBlankEmpty', 'true'],
  ['diff.dirstat', 'files'],
  ['diff.colorMoved', 'zebra'],
  ['diff.statGraphWidth', '1'],
  ['core.quotePath', 'true'],
  ['core.abbrev', '4'],
  ['core.useReplaceRefs', 'true'],
  ['color.ui', 'always'],
  ['color.diff', 'always'],
  ['color.status', 'always'],
  ['status.showUntrackedFiles', 'no'],
  ['status.relativePaths', 'true'],
  ['status.submoduleSummary', 'true'],
  ['status.renames', 'copies'],
  ['format.pretty', 'fuller'],
  ['pretty.fuller', 'format:%s'],
  ['i18n.logOutputEncoding', 'ISO-8859-1'],
  ['notes.displayRef', 'refs/notes/*'],
  ['core.notesRef', 'refs/notes/hostile'],
  ['grep.patternType', 'perl'],
  ['submodule.recurse', 'false'],
];

const asIni = (pairs: [string, string][]) =>
  pairs
    .map(([k, v]) => {
      const [section, ...rest] = k.split('.');
      return `[${section}]\n\t${rest.join('.')} = ${v}\n`;
    })
    .join('');

function hostileWorld(): Replay {
  // Global and system configs: the sandbox's identity plus every hostile key.
  const dir = path.join(process.env.TMPDIR ?? '/tmp', `lanes-hostile-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const global = path.join(dir, 'global');
  const system = path.join(dir, 'system');
  writeFileSync(system, asIni(HOSTILE));
  const extraEnv = { GIT_CONFIG_SYSTEM: system, GIT_CONFIG_NOSYSTEM: '0' };
  const callerOpts = HOSTILE.flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  const w = replayWorld(extraEnv, callerOpts);
  writeFileSync(global, readFileSync(w.env.GIT_CONFIG_GLOBAL!, 'utf8') + asIni(HOSTILE));
  w.extraEnv.GIT_CONFIG_GLOBAL = global;
  for (const [k, v] of HOSTILE) w.must(w.remote, 'config', k, v);
  for (const [k, v] of HOSTILE) w.must(w.coordinator, 'config', k, v);
  return w;
}

// The deep tier's full size (issue 29: the fast tier had cut it to 4).
const HISTORIES = Number(process.env.LANES_HOSTILE_HISTORIES ?? 60);

describe('hostile configuration: global, system, hub and -c at once', () => {
  const w = hostileWorld();
  const git = (...args: string[]) =>
    w.run(w.laneDir, 'git', [...w.gitOpts, ...args], { LANES_OVERRIDE: '', ...w.extraEnv });

  it(
    `changes no verdict on ${HISTORIES} random histories`,
    { timeout: timeout(120_000 + HISTORIES * 20_000) },
    () => {
      // The keys really are in force: plain git under them hides a root commit's paths.
      const showRoot = git('log', '--format=', '--name-only', '--max-parents=0', 'origin/master');
      expect(showRoot.stdout.trim()).toBe('');
      const outcomes = [];
      const cpu0 = cpuSeconds();
      // Biased toward what a configuration can hide: roots and gitlinks, more often out of scope.
      const bias = { outRate: 0.12, roots: 0.3, gitlinks: 0.3 };
      for (let seed = 10_001; seed < 10_001 + HISTORIES; seed++)
        outcomes.push(replayOne(w, seed, bias));
      const disagree = outcomes.filter((o) => o.prePush !== o.oracle || o.server !== o.oracle);
      console.log(
        `hostile: ${outcomes.length} histories under ${HOSTILE.length} keys at 4 levels, ${disagree.length} disagreements${cpuPerHistory(cpu0, outcomes.length)}`,
      );
      expect(disagree).toEqual([]);
      expect(outcomes.filter((o) => !o.oracle).length).toBeGreaterThan(HISTORIES / 5);
    },
  );

  it('decides each hand-made scenario as the model does', () => {
    for (const [i, s] of scenarios(w.baseTree).entries()) {
      const o = replayCommits(w, s.commits, 90_000 + i);
      const allowed = modelOffences(s.commits, w.baseTree).length === 0;
      expect({ name: s.name, prePush: o.prePush, server: o.server }).toEqual({
        name: s.name,
        prePush: allowed,
        server: allowed,
      });
    }
  });

  it('refuses a gitlink outside the scope at pre-commit', () => {
    const lane = w.laneDir;
    git('switch', '-q', '-C', 'agent/A-backend', 'origin/master');
    const sha = w.must(lane, 'rev-parse', 'HEAD');
    expect(git('update-index', '--add', '--cacheinfo', `160000,${sha},web/vendored`).status).toBe(
      0,
    );
    const r = git('commit', '-q', '-m', 'a submodule outside the scope');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('refused by path-scope');
    expect(r.stderr).toContain('web/vendored');
    git('reset', '-q');
    // …and allows one inside it.
    expect(
      git('update-index', '--add', '--cacheinfo', `160000,${sha},backend/vendored`).status,
    ).toBe(0);
    // (git commit itself obeys diff.ignoreSubmodules=all and would find nothing to commit)
    const ok = git('-c', 'diff.ignoreSubmodules=none', 'commit', '-q', '-m', 'a submodule inside');
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
  });

  it('is not fooled by a replace ref, at pre-push or on the hub', () => {
    const lane = w.laneDir;
    git('switch', '-q', '-C', 'agent/A-backend', 'origin/master');
    const ci = commit(w, lane, ['backend/innocent.ts']);
    expect(ci.status, ci.stderr).toBe(0);
    const innocent = w.must(lane, 'rev-parse', 'HEAD');
    git('reset', '-q', '--hard', 'origin/master');
    const ce = commit(w, lane, ['web/evil.tsx'], { flags: ['--no-verify'] });
    expect(ce.status, ce.stderr).toBe(0);
    const evil = w.must(lane, 'rev-parse', 'HEAD');
    const rep = git('replace', evil, innocent);
    expect(rep.status, rep.stderr).toBe(0);
    // Plain git now shows the innocent tree for the evil commit.
    expect(git('show', '--name-only', '--format=', evil).stdout).toContain('backend/innocent.ts');
    const pre = git('push', '-q', 'origin', '+agent/A-backend');
    expect(pre.status).not.toBe(0);
    expect(pre.stderr).toMatch(/^lanes-hooks: refused by path-scope/m);
    expect(pre.stderr).toContain('web/evil.tsx');
    expect(pre.stderr).not.toContain('remote:');
    // The hub takes no replace ref by push (hub-namespace, since issue 28)…
    const up = git('push', '-q', '--no-verify', 'origin', 'refs/replace/*:refs/replace/*');
    expect(up.status).not.toBe(0);
    expect(up.stderr).toContain('remote: lanes-hooks: refused by hub-namespace');
    expect(up.stderr).toContain(`refs/replace/${evil}`);
    // …and one already there (fetched in by hand: a hub from before that rule, or its admin) fools
    // it no more: the hub still reads the real commit.
    w.must(w.remote, 'fetch', '-q', lane, `refs/replace/${evil}:refs/replace/${evil}`);
    expect(w.must(w.remote, 'rev-parse', `refs/replace/${evil}`)).toBe(innocent);
    // (the client sends the real objects: its own replace ref would make it send the wrong ones)
    const srv = git(
      '-c',
      'core.useReplaceRefs=false',
      'push',
      '-q',
      '--no-verify',
      'origin',
      '+agent/A-backend',
    );
    expect(srv.status).not.toBe(0);
    expect(srv.stderr).toContain('remote: lanes-hooks: refused by path-scope');
    expect(srv.stderr).toContain('web/evil.tsx');
    git('replace', '-d', evil);
    w.must(w.remote, 'update-ref', '-d', `refs/replace/${evil}`);
    git('reset', '-q', '--hard', 'origin/master');
  });

  it('is not fooled by grafts, at pre-push or on the hub', () => {
    const lane = w.laneDir;
    git('switch', '-q', '-C', 'agent/A-backend', 'origin/master');
    commit(w, lane, ['web/hidden.tsx'], { flags: ['--no-verify'] });
    commit(w, lane, ['backend/on-top.ts']);
    const tip = w.must(lane, 'rev-parse', 'HEAD');
    const base = w.must(lane, 'rev-parse', 'origin/master');
    // A graft that makes the tip's parent the integration tip: the hidden commit disappears.
    const commonDir = w.must(lane, 'rev-parse', '--path-format=absolute', '--git-common-dir');
    for (const dir of [commonDir, w.remote]) {
      mkdirSync(path.join(dir, 'info'), { recursive: true });
      writeFileSync(path.join(dir, 'info', 'grafts'), `${tip} ${base}\n`);
    }
    expect(git('rev-list', '--count', `${base}..${tip}`).stdout.trim()).toBe('1');
    const pre = git('push', '-q', 'origin', '+agent/A-backend');
    expect(pre.status).not.toBe(0);
    expect(pre.stderr).toMatch(/^lanes-hooks: refused by path-scope/m);
    expect(pre.stderr).toContain('web/hidden.tsx');
    expect(pre.stderr).not.toContain('remote:');
    // Only the hub's graft now: the client sends every object.
    writeFileSync(path.join(commonDir, 'info', 'grafts'), '');
    const srv = git('push', '-q', '--no-verify', 'origin', '+agent/A-backend');
    expect(srv.status).not.toBe(0);
    expect(srv.stderr).toContain('remote: lanes-hooks: refused by path-scope');
    expect(srv.stderr).toContain('web/hidden.tsx');
    for (const dir of [commonDir, w.remote]) writeFileSync(path.join(dir, 'info', 'grafts'), '');
    git('reset', '-q', '--hard', 'origin/master');
  });
});
