// land beyond its main path (the deep tier, issue 29; the main path is the demo tour's,
// test/demo.test.ts, its checks test/land.test.ts): refused from a lane; a --dry-run that moves,
// checks and records nothing; the rebase request in status and brief until the lane pushes a new
// tip; a rebased lane waits for a new sign-off, then lands; a lane that carries another lane's
// commits, judged in land's batch of lanes.
import { rmSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useInProcessCli } from '../helpers/in-process.js';
import { coordinated, hubSha, landWorld, signoff } from '../helpers/land-world.js';
import { claim, commit } from '../helpers/world.js';

// The CLI steps run in this process (helpers/in-process.ts); hooks and pushes stay real processes.
useInProcessCli();

const SLOW = { timeout: 240_000 };

describe('land', () => {
  const { sb, A, B, land, audit, tips, master0 } = landWorld();

  // (moved from test/land.test.ts, issue 29: a refusal, not land's main path)
  it('is refused from a lane', () => {
    const r = sb.cli(A, 'land', '--dry-run');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('only the coordinator');
  });

  it('--dry-run reports in queue order, moves, checks and records nothing', SLOW, () => {
    const entries = audit().length;
    const r = land('--dry-run', '--json');
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    // C-ops fast-forwards first; after it, A and B no longer would.
    expect(report.landed).toMatchObject([{ role: 'C-ops', sha: tips['C-ops'], checks: 'not run' }]);
    expect(report.landed).toHaveLength(1);
    expect(report.waiting.map((w: { role: string }) => w.role)).toEqual(['A-backend', 'B-ui']);
    expect(report.waiting[0].reason).toContain('rebase requested');
    expect(hubSha(sb, 'master')).toBe(master0);
    expect(audit().length).toBe(entries);
    expect(r.stderr).not.toContain('checked ');
  });

  it(
    'a store the hub dropped since the last fetch counts for nothing, though its copy stays',
    SLOW,
    () => {
      // land's one fetch (merge.ts pullIntegration) brings the branches and the stores together, so
      // it cannot prune the stores' copy (refs/lanes-sync/origin/hub/*) alone: what counts is what
      // that fetch brought (FETCH_HEAD), and the hub has no queue now. The local queue still has
      // every claim: it says so, and nothing lands.
      const queue = hubSha(sb, 'refs/lanes/queue');
      const copy = 'refs/lanes-sync/origin/hub/queue';
      expect(sb.must(sb.coordinator, 'rev-parse', copy)).toBe(queue);
      sb.must(sb.remote, 'update-ref', '-d', 'refs/lanes/queue');
      try {
        const r = land('--dry-run', '--json');
        expect(r.status, r.stderr).toBe(0);
        const report = JSON.parse(r.stdout);
        expect(report.landed).toEqual([]);
        expect(report.waiting[0].reason).toContain('refused by claim-required');
        expect(report.waiting[0].reason).toContain(
          'the local refs/lanes/queue has an active claim of agent/C-ops',
        );
        expect(sb.must(sb.coordinator, 'rev-parse', copy)).toBe(queue);
      } finally {
        sb.must(sb.remote, 'update-ref', 'refs/lanes/queue', queue);
      }
    },
  );

  describe('after the run of the main path (C-ops failed its check, A-backend landed)', () => {
    beforeAll(() => {
      // What test/land.test.ts asserts in "a failing check lands nothing of that lane...".
      const r = land('--json');
      const kept = /kept for inspection \(rm -rf (\S+) when done\)/.exec(r.stderr)?.[1];
      if (r.status !== 1 || !kept)
        throw new Error(`land did not run as the main path: ${r.stderr}`);
      rmSync(kept, { recursive: true, force: true });
    }, 240_000);

    it('status and brief show the rebase request until the lane pushes a new tip', SLOW, () => {
      const row = (s: any) => s.lanes.find((l: any) => l.role === 'B-ui');
      let s = JSON.parse(sb.mustCli(sb.coordinator, 'status', '--json'));
      expect(row(s).landRebase).toMatchObject({ sha: tips['B-ui'] });
      expect(s.actions.join('\n')).toContain('B-ui: rebase onto origin/master');
      const brief = () => JSON.parse(sb.mustCli(B, 'brief', '--json'));
      expect(brief().landRebase).toMatchObject({ sha: tips['B-ui'] });
      sb.must(B, 'fetch', '-q', 'origin');
      sb.must(B, 'rebase', '-q', 'origin/master');
      sb.must(B, 'push', '-q', '-f', 'origin', 'agent/B-ui');
      s = JSON.parse(sb.mustCli(sb.coordinator, 'status', '--json'));
      expect(row(s).landRebase).toBe(null);
      expect(brief().landRebase).toBe(null);
    });

    it('a rebased lane waits for a new sign-off (carry-over is off), then lands', SLOW, () => {
      const rebased = hubSha(sb, 'agent/B-ui');
      let r = land('--json');
      expect(r.status).toBe(0); // C-ops, behind A now, is asked to rebase before any check
      const report = JSON.parse(r.stdout);
      expect(report.landed).toEqual([]);
      expect(report.waiting.find((w: any) => w.role === 'C-ops').reason).toContain(
        'rebase requested',
      );
      expect(report.waiting.find((w: any) => w.role === 'B-ui').reason).toContain(
        `no sign-off from D-arch for ${rebased.slice(0, 12)}`,
      );
      expect(hubSha(sb, 'master')).toBe(tips['A-backend']);
      signoff(sb, 'B-ui');
      r = land();
      expect(r.stdout).toContain(`landed B-ui at ${rebased.slice(0, 12)}`);
      expect(hubSha(sb, 'master')).toBe(rebased);
      // C-ops was asked to rebase in both runs, at the same tip: recorded once.
      const asked = audit().filter(
        (e: any) => e.kind === 'rebase' && e.object === `agent/C-ops at ${tips['C-ops']}`,
      );
      expect(asked).toHaveLength(1);
    });
  });
});

describe('land over a batch of lanes (lane-changes.ts) against a lane that wants through', () => {
  // The route: a lane builds on another lane's pushed, unlanded commits (outside its own paths),
  // past its own hooks, and is first in the queue: its commits against integration are the other
  // lane's too, and land must refuse them while the other lane lands.
  it('refuses a lane carrying another lane’s commits; that lane lands', SLOW, () => {
    const sb = coordinated();
    const [A, B] = ['A-backend', 'B-ui'].map((r) => sb.lane(r)) as [string, string];
    const quiet = (dir: string, ...args: string[]) =>
      sb.must(dir, '-c', 'core.hooksPath=/dev/null', ...args);
    claim(sb, B, 'B-ui', 'agent-b');
    claim(sb, A, 'A-backend', 'agent-a');
    commit(sb, A, ['backend/api.ts']);
    sb.must(A, 'push', '-q', 'origin', 'agent/A-backend');
    quiet(B, 'fetch', '-q', 'origin');
    quiet(B, 'merge', '-q', '--ff-only', 'origin/agent/A-backend');
    sb.write(B, 'web/page.tsx');
    quiet(B, 'add', '-A');
    quiet(B, 'commit', '-qm', 'web: on top of A');
    quiet(B, 'push', '-q', 'origin', 'agent/B-ui');
    for (const r of ['A-backend', 'B-ui']) signoff(sb, r);
    const r = sb.cli(sb.coordinator, 'land', '--dry-run', '--json');
    const report = JSON.parse(r.stdout);
    expect(report.landed).toMatchObject([
      { role: 'A-backend', sha: hubSha(sb, 'agent/A-backend') },
    ]);
    expect(report.waiting).toHaveLength(1);
    expect(report.waiting[0]).toMatchObject({
      role: 'B-ui',
      reason: expect.stringContaining('refused by path-scope'),
    });
    // The refusal itself, with the paths, on stderr: A's path is B's offence, B's own is not.
    expect(r.stderr).toMatch(/B-ui waits: refused by path-scope/);
  });
});
