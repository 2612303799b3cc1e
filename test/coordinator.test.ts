// promote and guard with real remotes: the release guard, guard's main paths and the server-side
// check, one case per rule and layer. merge's and promote's main paths are the demo tour's
// (test/demo.test.ts: master fast-forwarded to the lane on the hub, the claim done, release at
// the promoted SHA, the audit entries); those tests, overrides, a shallow CI clone, --config for
// CI, merge's other refusals and promote's: test/deep/coordinator.test.ts (issue 29).
import { describe, expect, it } from 'vitest';
import { claim, commit } from './helpers/world.js';
import {
  coordinated,
  preReceiveWorld,
  remoteSha,
  strayRelease,
} from './helpers/coordinator-world.js';
import { useInProcessCli } from './helpers/in-process.js';

// The CLI steps run in this process (helpers/in-process.ts); hooks and pushes stay real processes.
useInProcessCli();

/** The tests with the most pushes through hooks and the hub (7 to 10 CPU-s): room on a loaded machine. */
const SLOW = { timeout: 240_000 };

describe('promote', () => {
  const sb = coordinated();
  // A commit off integration (made with no hook: the release guard below is the subject).
  const C = sb.coordinator;
  const offIntegration = sb.must(C, 'commit-tree', '-p', 'HEAD', '-m', 'stray', 'HEAD^{tree}');
  sb.must(C, '-c', 'core.hooksPath=/dev/null', 'branch', 'stray', offIntegration);

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
      strayRelease(sb);
      const r = guard();
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(sb.must(sb.coordinator, 'rev-parse', 'hotfix'));
      expect(r.stderr).toContain(sb.must(sb.coordinator, 'rev-parse', 'origin/master'));
    });
  });
});

describe('guard pre-receive on a bare server', () => {
  const { sb, rogue, push } = preReceiveWorld();

  it(
    'accepts valid pushes: a claimed in-scope lane branch, a fast-forward of master, an audited release',
    SLOW,
    () => {
      // (queue claim shares the claim with the hub at once: no sync after it)
      claim(sb, sb.coordinator, 'B-ui', 'agent-b', 'agent/B-ui');
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
    },
  );

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
});
