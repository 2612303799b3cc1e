// merge, promote and guard with real remotes: the coordinator's sequence and the server-side check.
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../src/demo/sandbox.js';
import { claim, CLI, commit } from './helpers/world.js';
import { fromTemplate } from './helpers/template.js';
import { type TestSandbox, useInProcessCli } from './helpers/in-process.js';

// The CLI steps run in this process (helpers/in-process.ts); hooks and pushes stay real processes.
useInProcessCli();

/** Coordinator with lanes by setup; D-arch sign-off required. */
function coordinated(): TestSandbox {
  // A copy of a template built once per run (helpers/template.ts).
  return fromTemplate('coordinator.test coordinated', (sb) => {
    sb.createCoordinator();
    const cfg = JSON.parse(sb.must(sb.coordinator, 'show', 'HEAD:.lanesrc.json'));
    cfg.reviews.required = ['D-arch'];
    sb.write(sb.coordinator, '.lanesrc.json', JSON.stringify(cfg, null, 2));
    sb.must(sb.coordinator, 'commit', '-qam', 'require D-arch');
    sb.must(sb.coordinator, 'push', '-q', 'origin', 'master');
    sb.mustCli(sb.coordinator, 'setup');
  });
}
const remoteSha = (sb: Sandbox, ref: string) =>
  sb.git(sb.remote, 'rev-parse', '-q', '--verify', ref).stdout.trim();

describe('merge', () => {
  const sb = coordinated();
  const A = sb.lane('A-backend');
  const D = sb.lane('D-arch');
  commit(sb, A, ['backend/feature.ts']);
  const merge = (dir = sb.coordinator) => sb.cli(dir, 'merge', 'A-backend');

  it('is refused from a lane, naming the coordinator', () => {
    const r = merge(A);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('coordinator');
  });

  it('is refused without a claim (nothing moves)', () => {
    claim(sb, A);
    sb.must(A, 'push', '-q', 'origin', 'agent/A-backend');
    sb.mustCli(A, 'queue', 'release', '--branch', 'agent/A-backend');
    const before = remoteSha(sb, 'master');
    const r = merge();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('refused by claim-required');
    expect(remoteSha(sb, 'master')).toBe(before);
  });

  it('is refused without the required sign-off, and with a sign-off of an older SHA', () => {
    claim(sb, A);
    let r = merge();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no sign-off from D-arch');
    sb.mustCli(D, 'review', 'refresh', 'A-backend');
    sb.mustCli(D, 'review', 'signoff', 'A-backend');
    commit(sb, A, ['backend/after-signoff.ts']);
    sb.must(A, 'push', '-q', 'origin', 'agent/A-backend');
    r = merge();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('a sign-off of an older SHA does not count');
  });

  it('is a conflict (exit 3) when not a fast-forward, and nothing moves', () => {
    sb.mustCli(D, 'review', 'refresh', 'A-backend');
    sb.mustCli(D, 'review', 'signoff', 'A-backend');
    sb.mustCli(D, 'sync'); // merge decides on the hub's claims and sign-offs
    commit(sb, sb.coordinator, ['docs/moved-on.md']);
    sb.must(sb.coordinator, 'push', '-q', 'origin', 'master');
    const before = remoteSha(sb, 'master');
    const r = merge();
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('not a fast-forward');
    expect(remoteSha(sb, 'master')).toBe(before);
    expect(sb.must(sb.coordinator, 'rev-parse', 'master')).toBe(before);
  });

  it('fast-forwards integration to the lane tip with no merge commit, pushes, and marks the claim done', () => {
    sb.must(A, 'fetch', '-q', 'origin');
    sb.must(A, 'rebase', '-q', 'origin/master');
    sb.must(A, 'push', '-q', '-f', 'origin', 'agent/A-backend');
    sb.mustCli(D, 'review', 'refresh', 'A-backend');
    sb.mustCli(D, 'review', 'signoff', 'A-backend');
    sb.mustCli(D, 'sync');
    const tip = sb.must(A, 'rev-parse', 'HEAD');
    const r = merge();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('master fast-forwarded');
    expect(remoteSha(sb, 'master')).toBe(tip);
    expect(sb.must(sb.coordinator, 'rev-list', '--merges', '--count', 'master')).toBe('0');
    const claims = JSON.parse(sb.mustCli(sb.coordinator, 'queue', 'list', '--json')).claims;
    expect(claims.filter((c: { state: string }) => c.state === 'active')).toEqual([]);
    expect(claims.at(-1)).toMatchObject({ branch: 'agent/A-backend', state: 'done' });
  });
});

describe('promote', () => {
  const sb = coordinated();
  commit(sb, sb.coordinator, ['docs/next.md']);
  sb.must(sb.coordinator, 'push', '-q', 'origin', 'master');

  it("moves release to the remote integration's tip, pushes it, and records it", () => {
    const r = sb.cli(sb.coordinator, 'promote');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(remoteSha(sb, 'release/platform-control')).toBe(remoteSha(sb, 'master'));
    const audit = JSON.parse(sb.mustCli(sb.coordinator, 'audit', '--json')).entries;
    expect(audit.at(-1)).toMatchObject({
      kind: 'promotion',
      rule: 'release-exact-sha',
      lane: 'coordinator',
    });
    expect(audit.at(-1).object).toContain(remoteSha(sb, 'master'));
  });

  it('refuses a SHA that is not on the integration branch, from a lane too', () => {
    sb.must(sb.coordinator, 'switch', '-q', '-c', 'stray');
    commit(sb, sb.coordinator, ['docs/stray.md']);
    const before = remoteSha(sb, 'release/platform-control');
    const r = sb.cli(sb.coordinator, 'promote', 'stray');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('refused by release-exact-sha');
    expect(remoteSha(sb, 'release/platform-control')).toBe(before);
    sb.must(sb.coordinator, 'switch', '-q', 'master');
    expect(sb.cli(sb.lane('A-backend'), 'promote').status).toBe(1);
  });

  it('only promote gets through the release guard: LANES_PROMOTE_SHA by hand buys nothing off integration', () => {
    const stray = sb.must(sb.coordinator, 'rev-parse', 'stray');
    const r = sb.run(
      sb.coordinator,
      'git',
      ['update-ref', 'refs/heads/release/platform-control', stray],
      { LANES_PROMOTE_SHA: stray },
    );
    expect(r.stderr).toContain('refused by release-branch-commit');
  });
});

describe('guard release', () => {
  const sb = coordinated();
  const guard = (env: NodeJS.ProcessEnv = {}, dir = sb.coordinator) =>
    sb.cliWith(dir, env, 'guard', 'release');

  it('passes when release is on integration', () => {
    const r = guard();
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('is reachable from');
  });

  describe('with a stray release', () => {
    it('fails naming both SHAs', () => {
      sb.must(sb.coordinator, 'switch', '-q', '-c', 'hotfix');
      commit(sb, sb.coordinator, ['hotfix.txt']);
      sb.must(
        sb.coordinator,
        '-c',
        'core.hooksPath=/dev/null',
        'push',
        '-q',
        '-f',
        'origin',
        'hotfix:release/platform-control',
      );
      sb.must(sb.coordinator, 'switch', '-q', 'master');
      sb.must(sb.coordinator, 'fetch', '-q', 'origin');
      const r = guard();
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(sb.must(sb.coordinator, 'rev-parse', 'hotfix'));
      expect(r.stderr).toContain(sb.must(sb.coordinator, 'rev-parse', 'origin/master'));
    });

    it('passes with a reason and an expiry not in the past, loudly', () => {
      const r = guard({
        LANES_OVERRIDE: 'hotfix INC-7, merging back today',
        LANES_OVERRIDE_UNTIL: '2999-12-31',
      });
      expect(r.status).toBe(0);
      expect(r.stderr).toContain('OVERRIDDEN until 2999-12-31');
    });

    it('fails with an expired, a reason-less, an undated or a malformed override', () => {
      for (const env of [
        { LANES_OVERRIDE: 'old', LANES_OVERRIDE_UNTIL: '2001-01-01' },
        { LANES_OVERRIDE: '  ', LANES_OVERRIDE_UNTIL: '2999-12-31' },
        { LANES_OVERRIDE: 'no date' },
        { LANES_OVERRIDE: 'bad date', LANES_OVERRIDE_UNTIL: '2999-02-31' },
      ]) {
        const r = guard(env);
        expect(r.status, JSON.stringify(env)).toBe(1);
        expect(r.stderr).toContain('override not accepted');
      }
    });

    it('works in a fresh shallow CI clone, fetching what it needs', () => {
      const ci = path.join(sb.root, 'ci-clone');
      sb.must(sb.root, 'clone', '-q', '--depth', '1', `file://${sb.remote}`, ci);
      const r = guard({}, ci);
      expect(r.stdout).toContain('shallow');
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('refused by release-exact-sha');
    });
  });
});

describe('guard pre-receive on a bare server', () => {
  const sb = coordinated();
  const hook = path.join(sb.remote, 'hooks', 'pre-receive');
  writeFileSync(
    hook,
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} guard pre-receive\n`,
  );
  chmodSync(hook, 0o755);
  // A clone with no local hooks at all: only the server stands in the way.
  const rogue = path.join(sb.root, 'rogue');
  sb.must(sb.root, 'clone', '-q', sb.remote, rogue);
  const push = (...args: string[]) => sb.git(rogue, 'push', '-q', 'origin', ...args);

  it('accepts valid pushes: a claimed in-scope lane branch, a fast-forward of master, an audited release', () => {
    claim(sb, sb.coordinator, 'B-ui', 'agent-b', 'agent/B-ui');
    sb.mustCli(sb.coordinator, 'sync');
    sb.must(rogue, 'switch', '-q', '-c', 'agent/B-ui');
    commit(sb, rogue, ['web/fine.tsx']);
    expect(push('agent/B-ui').status).toBe(0);
    sb.must(rogue, 'switch', '-q', 'master');
    commit(sb, rogue, ['docs/ff.md']);
    expect(push('master').status).toBe(0);
    // The reference config audits every promotion: a bare release move is refused…
    expect(push('master:release/platform-control').stderr).toContain('has no promotion entry');
    // …and the coordinator's promote records it and gets through.
    sb.must(sb.coordinator, 'pull', '-q', '--ff-only');
    expect(sb.cli(sb.coordinator, 'promote').status).toBe(0);
    expect(remoteSha(sb, 'release/platform-control')).toBe(remoteSha(sb, 'master'));
  });

  it('rejects an out-of-scope push of a lane branch, listing the path', () => {
    sb.must(rogue, 'switch', '-q', 'agent/B-ui');
    commit(sb, rogue, ['backend/sneaky.ts']);
    const r = push('agent/B-ui');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('remote: lanes-hooks: refused by path-scope');
    expect(r.stderr).toContain('backend/sneaky.ts');
    sb.must(rogue, 'reset', '-q', '--hard', 'origin/agent/B-ui');
  });

  it('rejects a non-fast-forward of master', () => {
    sb.must(rogue, 'switch', '-q', 'master');
    sb.must(rogue, 'reset', '-q', '--hard', 'HEAD~1');
    commit(sb, rogue, ['docs/rewrite.md']);
    const before = remoteSha(sb, 'master');
    const r = push('-f', 'master');
    expect(r.stderr).toContain('refused by integration-ff-only');
    expect(remoteSha(sb, 'master')).toBe(before);
    sb.must(rogue, 'reset', '-q', '--hard', 'origin/master');
  });

  it('rejects a stray release SHA, and deleting release or master', () => {
    sb.must(rogue, 'switch', '-q', '-c', 'stray');
    commit(sb, rogue, ['docs/stray.md']);
    expect(push('-f', 'stray:release/platform-control').stderr).toContain(
      'refused by release-exact-sha',
    );
    expect(push(':release/platform-control').stderr).toContain('refused by release-exact-sha');
    expect(push(':master').stderr).toContain('refused by integration-ff-only');
  });

  it('takes --config for CI, reading the lines from stdin', () => {
    const cfg = path.join(sb.root, 'ci-lanes.json');
    writeFileSync(
      cfg,
      JSON.stringify({ roles: { 'B-ui': { kind: 'delivery', paths: ['web/**', 'backend/**'] } } }),
    );
    // CI reads the hub's queue as the server would: fetch the store with the branch.
    sb.must(rogue, 'fetch', '-q', 'origin', '+refs/lanes/*:refs/lanes/*');
    const base = sb.must(rogue, 'rev-parse', 'origin/agent/B-ui');
    sb.must(rogue, 'switch', '-q', 'agent/B-ui');
    commit(sb, rogue, ['backend/allowed-by-ci-config.ts']);
    const line = `${base} ${sb.must(rogue, 'rev-parse', 'HEAD')} refs/heads/agent/B-ui\n`;
    const guard = (...args: string[]) =>
      sb.run(rogue, 'sh', [
        '-c',
        `printf '${line}' | ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} guard pre-receive ${args.join(' ')}`,
      ]);
    const byRepoConfig = guard();
    expect(byRepoConfig.status).toBe(1);
    expect(byRepoConfig.stderr).toContain('backend/allowed-by-ci-config.ts');
    const byFile = guard('--config', cfg);
    expect(byFile.stderr).toBe('');
    expect(byFile.status).toBe(0);
  });
});
