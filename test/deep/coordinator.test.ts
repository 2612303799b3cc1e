// merge, promote and guard beyond each command's main path (the deep tier, issue 29; the main paths
// are test/coordinator.test.ts): merge from a lane, without the sign-off or with one of an older
// SHA, a conflict; promote's refusal of a SHA off integration; guard release's overrides and a
// fresh shallow CI clone; guard pre-receive's --config for CI.
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

// The CLI steps run in this process (helpers/in-process.ts); hooks and pushes stay real processes.
useInProcessCli();

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
  // Where test/coordinator.test.ts's promote leaves the coordinator: integration ahead of release.
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
