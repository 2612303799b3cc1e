// merge, promote and guard beyond the fast tier (the deep tier, issue 29; merge's and promote's main
// paths are the demo tour's, test/demo.test.ts, guard's are test/coordinator.test.ts): merge from
// a lane, without a claim, without the sign-off or with one of an older SHA, a conflict, and its
// fast-forward with the claim done; promote's move and its record, its refusal of a SHA off
// integration; guard release's overrides and a fresh shallow CI clone; guard pre-receive's
// --config for CI.
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { claim, CLI, commit } from '../helpers/world.js';
import {
  coordinated,
  mergeWorld,
  preReceiveWorld,
  remoteSha,
  strayRelease,
} from '../helpers/coordinator-world.js';
import { useInProcessCli } from '../helpers/in-process.js';
import { NO_HOOKS_ENV } from '../attacks/hub.js';

// The CLI steps run in this process (helpers/in-process.ts); hooks and pushes stay real processes.
useInProcessCli();

/** The tests with the most pushes through hooks and the hub (7 to 10 CPU-s): room on a loaded machine. */
const SLOW = { timeout: 240_000 };

describe('merge', () => {
  const { sb, A, D, merge } = mergeWorld();

  it('is refused from a lane, naming the coordinator', () => {
    const r = merge(A);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('coordinator');
  });

  describe('with the lane branch claimed and pushed', () => {
    beforeAll(() => {
      claim(sb, A);
      sb.must(A, 'push', '-q', 'origin', 'agent/A-backend');
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
  });
});

describe('promote', () => {
  // Where the promote main path leaves the coordinator (the promote describe below, the demo tour):
  // integration ahead of release.
  const sb = coordinated();
  commit(sb, sb.coordinator, ['docs/next.md']);
  sb.must(sb.coordinator, 'push', '-q', 'origin', 'master');
  expect(sb.cli(sb.coordinator, 'promote').status).toBe(0);

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
});

// merge's and promote's main paths, moved whole from test/coordinator.test.ts once the demo tour held
// those cells (test/demo.test.ts, issue 29); each in the world it had there.
describe('merge', () => {
  const { sb, A, D, merge } = mergeWorld();
  // The steps before each merge (claims, the review) are other cells' subjects: they run with no
  // hook (each claim or review write would start Node in its reference-transaction hook, about
  // 0.5 CPU-s, issue 29). The remote here has no guard; merge itself runs with every hook.
  const quiet = (dir: string, ...args: string[]) =>
    expect(sb.cliWith(dir, NO_HOOKS_ENV, ...args).status).toBe(0);
  const claimA = ['queue', 'claim', '--role', 'A-backend', '--owner', 'agent-a', '--branch'];

  it('is refused without a claim (nothing moves)', SLOW, () => {
    quiet(A, ...claimA, 'agent/A-backend');
    sb.must(A, 'push', '-q', 'origin', 'agent/A-backend');
    quiet(A, 'queue', 'release', '--branch', 'agent/A-backend');
    const before = remoteSha(sb, 'master');
    const r = merge();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('refused by claim-required');
    expect(remoteSha(sb, 'master')).toBe(before);
  });

  it(
    'fast-forwards integration to the lane tip with no merge commit, pushes, and marks the claim done',
    SLOW,
    () => {
      // (claimed again: in the merge describe above, the refusals between hold the claim)
      quiet(A, ...claimA, 'agent/A-backend');
      sb.must(A, 'fetch', '-q', 'origin');
      sb.must(A, 'rebase', '-q', 'origin/master');
      sb.must(A, 'push', '-q', '-f', 'origin', 'agent/A-backend');
      quiet(D, 'review', 'refresh', 'A-backend');
      quiet(D, 'review', 'signoff', 'A-backend');
      quiet(D, 'sync');
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
    },
  );
});

describe('promote', () => {
  // As in test/coordinator.test.ts: integration is ahead of release already (the hub's "server
  // config" commit, attacks/hub.ts's hubWorld), so promote has a move to make.
  const sb = coordinated();

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
});

describe('guard release', () => {
  const sb = coordinated();
  const guard = (env: NodeJS.ProcessEnv = {}, dir = sb.coordinator) =>
    sb.cliWith(dir, env, 'guard', 'release');

  describe('with a stray release', () => {
    beforeAll(() => strayRelease(sb));

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
  const { sb, rogue } = preReceiveWorld();
  // What the main path (test/coordinator.test.ts, "accepts valid pushes") leaves: agent/B-ui
  // claimed on the hub and pushed from the clone without hooks.
  claim(sb, sb.coordinator, 'B-ui', 'agent-b', 'agent/B-ui');
  sb.mustCli(sb.coordinator, 'sync');
  sb.must(rogue, 'switch', '-q', '-c', 'agent/B-ui');
  commit(sb, rogue, ['web/fine.tsx']);
  sb.must(rogue, 'push', '-q', 'origin', 'agent/B-ui');
  sb.must(rogue, 'switch', '-q', 'master');

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
