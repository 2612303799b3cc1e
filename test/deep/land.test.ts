// land beyond its main path (the deep tier, issue 29; the main path is test/land.test.ts): a
// --dry-run that moves, checks and records nothing; the rebase request in status and brief until
// the lane pushes a new tip; a rebased lane waits for a new sign-off, then lands.
import { rmSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useInProcessCli } from '../helpers/in-process.js';
import { hubSha, landWorld, signoff } from '../helpers/land-world.js';

// The CLI steps run in this process (helpers/in-process.ts); hooks and pushes stay real processes.
useInProcessCli();

const SLOW = { timeout: 240_000 };

describe('land', () => {
  const { sb, B, land, audit, tips, master0 } = landWorld();

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
