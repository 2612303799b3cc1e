// land's checks: the ready lanes in queue order, checked on their exact SHA in a throwaway clone,
// landed fast-forward only; the others wait (a rebase requested, recorded). Real hub, real lanes.
// The demo tour holds land's main path without checks (test/demo.test.ts: four land runs, a carried-over
// sign-off, a wait for a new one; its config has no checks, so this file keeps them).
// Refused from a lane, --dry-run, status and brief, a rebased lane: test/deep/land.test.ts (issue 29).
import { existsSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hubSha, landWorld } from './helpers/land-world.js';
import { useInProcessCli } from './helpers/in-process.js';

// The CLI steps run in this process (helpers/in-process.ts); hooks and pushes stay real processes.
useInProcessCli();

const SLOW = { timeout: 240_000 };

describe('land', () => {
  const { sb, land, audit, claims, tips, master0 } = landWorld();

  it(
    'a failing check lands nothing of that lane and names it; the next ready lane lands; the third is asked to rebase',
    SLOW,
    () => {
      const worktrees = () =>
        sb.must(sb.coordinator, 'worktree', 'list', '--porcelain').match(/^worktree .*$/gm);
      const before = worktrees();
      const r = land('--json');
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`the checks failed on C-ops at ${tips['C-ops']}`);
      const report = JSON.parse(r.stdout);
      expect(report.landed).toMatchObject([
        { role: 'A-backend', sha: tips['A-backend'], checks: 'passed' },
      ]);
      expect(report.landed).toHaveLength(1);
      expect(report.waiting).toMatchObject([
        { role: 'C-ops', reason: expect.stringContaining('checks failed') },
        { role: 'B-ui', reason: expect.stringContaining('rebase requested'), rebase: true },
      ]);
      // Checked on the exact SHAs, in clones that are no worktree of the coordinator's repository.
      expect([...r.stderr.matchAll(/^checked ([0-9a-f]{40})$/gm)].map((m) => m[1])).toEqual([
        tips['C-ops'],
        tips['A-backend'],
      ]);
      expect(r.stderr).toMatch(
        /ran: .* in a throwaway clone of [0-9a-f]{12} at .*, kept for inspection/,
      );
      // The failed clone is kept for inspection; the test removes it as the message says.
      const kept = /kept for inspection \(rm -rf (\S+) when done\)/.exec(r.stderr)![1]!;
      expect(existsSync(kept)).toBe(true);
      rmSync(kept, { recursive: true, force: true });
      expect(worktrees()).toEqual(before);
      expect(before!.length).toBe(5);
      // Integration moved fast-forward to A, on the hub too, with no merge commit.
      expect(hubSha(sb, 'master')).toBe(tips['A-backend']);
      expect(sb.must(sb.coordinator, 'rev-list', '--merges', '--count', 'master')).toBe('0');
      // A's claim is done, the others stay active; the landing and the rebase request are audited.
      const byBranch = (b: string) =>
        claims()
          .filter((c: any) => c.branch === b)
          .at(-1).state;
      expect(byBranch('agent/A-backend')).toBe('done');
      expect(byBranch('agent/B-ui')).toBe('active');
      expect(byBranch('agent/C-ops')).toBe('active');
      const tail = audit().slice(-2);
      // (the landing is recorded once integration is pushed, after the run's rebase requests)
      expect(tail[0]).toMatchObject({ kind: 'rebase', object: `agent/B-ui at ${tips['B-ui']}` });
      expect(tail[1]).toMatchObject({ kind: 'landing', lane: 'coordinator' });
      expect(tail[1].object).toContain(`${master0} -> ${tips['A-backend']}`);
    },
  );
});
