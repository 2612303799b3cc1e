// Hostile configs through the CLI: random mutations of a valid config (test/helpers/random-config.ts;
// thousands of them in process in test/config-table.test.ts) fail with one `file: key: problem`
// line each (exit 2, no stack); branch-name checks agree with git itself; JS configs load (and are
// never compiled into the shell fast path).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { branchNameProblem } from '../../../src/config/git-names.js';
import { parseConfig } from '../../../src/config/load.js';
import { defaultConfigFile } from '../../../src/config/schema.js';
import { mutate, pick, rand } from '../../helpers/random-config.js';
import { commit, tmpDir, world } from '../../helpers/world.js';

describe('random configs', () => {
  it('through the CLI: exit 2, the key named, no stack trace', () => {
    // A repository with nothing committed yet: the coordinator's own file is the config.
    const w = world([]);
    const repo = path.join(w.root, 'fresh');
    w.must(w.root, 'init', '-q', repo);
    const file = path.join(repo, '.lanesrc.json');
    const base = defaultConfigFile();
    let tried = 0;
    while (tried < 12) {
      const cfg = structuredClone(base);
      mutate(cfg);
      try {
        parseConfig(cfg, '.lanesrc.json');
        continue; // a harmless mutation: try another
      } catch {
        tried++;
      }
      writeFileSync(file, JSON.stringify(cfg));
      const r = w.cli(repo, 'install');
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^\.lanesrc\.json: \S.*: \S/);
      expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    }
  });
});

describe('branch names: our check agrees with git check-ref-format --branch', () => {
  it('on random names built from the characters and shapes git cares about', () => {
    const parts = [
      'a',
      'B',
      '0',
      '.',
      '..',
      '/',
      '-',
      '_',
      '@',
      '{',
      '}',
      '@{',
      'lock',
      '.lock',
      ' ',
      '\t',
      '~',
      '^',
      ':',
      '?',
      '*',
      '[',
      '\\',
      'ü',
      'HEAD',
      '\u007f',
      '#',
      '+',
      ',',
    ];
    const names = new Set<string>();
    while (names.size < 800)
      names.add(Array.from({ length: 1 + Math.floor(rand() * 5) }, () => pick(parts)).join(''));
    const dir = tmpDir();
    execFileSync('git', ['init', '-q', '-b', 'main', dir]);
    // One shell asks git about every name (a process per name from Node would take seconds).
    // git expands @{-1} and friends before checking: a name it rewrites is not a name it takes.
    const verdicts = execFileSync(
      '/bin/sh',
      [
        '-c',
        'for n in "$@"; do o=$(git check-ref-format --branch "$n" 2>/dev/null) && [ "$o" = "$n" ] && echo 1 || echo 0; done',
        'sh',
        ...names,
      ],
      { cwd: dir, encoding: 'utf8' },
    )
      .trim()
      .split('\n');
    expect(verdicts).toHaveLength(names.size);
    [...names].forEach((name, i) =>
      expect(branchNameProblem(name) === null, JSON.stringify(name)).toBe(verdicts[i] === '1'),
    );
    console.log(`branch names: ${names.size} compared with git check-ref-format --branch`);
  });
});

describe('JavaScript configs', () => {
  // A policy read from a commit is data only, in the lanes as on the hub and in CI: a committed JS
  // or TS config is refused as code, never run (docs/server.md, "The policy is data").
  const w = world(['A-backend']);
  const A = () => w.lanes['A-backend']!;
  const C = w.coordinator;
  const ran = path.join(w.root, 'js-config-ran');
  /** Commit `files` (null: delete) on integration: the policy every lane follows. */
  const policy = (files: Record<string, string | null>) => {
    for (const [f, text] of Object.entries(files)) {
      if (text === null) w.must(C, 'rm', '-q', '--', f);
      else {
        writeFileSync(path.join(C, f), text);
        w.must(C, 'add', '--', f);
      }
    }
    // The coordinator's own commit is not what is judged here (its hooks would read the policy).
    w.must(C, 'commit', '--no-verify', '-qm', `policy: ${Object.keys(files).join(', ')}`);
  };
  const original = readFileSync(path.join(C, '.lanesrc.json'), 'utf8');
  // The coordinator may run its own working tree's file (its own code, while nothing readable is
  // committed); no lane may run the committed one. The payload records who ran it.
  const marker = `require('node:fs').appendFileSync(${JSON.stringify(ran)}, process.cwd() + '\\n');\n`;
  const ranInLane = () =>
    existsSync(ran) &&
    readFileSync(ran, 'utf8')
      .split('\n')
      .some((dir) => dir && path.resolve(dir) !== path.resolve(C));

  it('a committed CommonJS config is refused as code in every lane: never run, never skipped', () => {
    policy({
      '.lanesrc.json': null,
      'lanes.config.cjs': `${marker}module.exports = { roles: { 'A-backend': { kind: 'delivery', paths: ['api/' + '**'] } } };\n`,
    });
    const c = commit(w, A(), ['api/would-be-in-scope.ts']);
    expect(c.status).not.toBe(0);
    expect(c.stderr).toContain('master:lanes.config.cjs: a JS or TS config is code');
    expect(c.stderr).toContain('.lanesrc.json');
    expect(c.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    const i = w.cli(A(), 'install', '--role', 'A-backend');
    expect(i.status).toBe(2);
    expect(ranInLane()).toBe(false);
    w.must(A(), 'reset', '-q');
  });

  it('an ES module config likewise: refused, not skipped for the defaults', () => {
    // The defaults would let A-backend commit backend/**.
    policy({
      'lanes.config.cjs': null,
      'lanes.config.mjs': `import { appendFileSync } from 'node:fs';\n${marker.replace("require('node:fs').", '')}export default { roles: { 'A-backend': { kind: 'delivery', paths: ['api/**'] } } };\n`,
    });
    const r = commit(w, A(), ['backend/defaults-would-allow.ts']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('master:lanes.config.mjs: a JS or TS config is code');
    expect(ranInLane()).toBe(false);
    w.must(A(), 'reset', '-q');
  });

  it('the repair is the data config committed again: the lanes follow it at once', () => {
    policy({ 'lanes.config.mjs': null, '.lanesrc.json': original });
    expect(commit(w, A(), ['backend/after-repair.ts']).status).toBe(0);
    expect(ranInLane()).toBe(false);
  });
});
