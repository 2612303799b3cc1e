// land: the ready lanes in queue order, checked on their exact SHA in a temporary worktree, landed
// fast-forward only; the others wait (a rebase requested, recorded). Real hub, real lanes.
import { existsSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../src/demo/sandbox.js';
import { claim, commit } from './helpers/world.js';
import { committedDefault, editedConfig, fromTemplate } from './helpers/template.js';
import { useInProcessCli } from './helpers/in-process.js';

// The CLI steps run in this process (helpers/in-process.ts); hooks and pushes stay real processes.
useInProcessCli();

const SLOW = { timeout: 240_000 };

/** Coordinator and the lanes it needs; D-arch's sign-off required; a check that fails on "FAIL". */
function coordinated(edit: (cfg: Record<string, any>) => void = () => {}): Sandbox {
  // A copy of a template (helpers/template.ts) keyed by the edited config.
  const cfg = editedConfig((cfg) => {
    cfg.reviews.required = ['D-arch'];
    // The checks run in a throwaway clone, sandboxed: what they checked is said in their output.
    cfg.checks =
      'echo "checked $(git rev-parse HEAD)"; ! grep -rqs FAIL --exclude=.lanesrc.json --exclude-dir=.git .';
    edit(cfg);
  });
  return fromTemplate(`land.test coordinated ${JSON.stringify(cfg)}`, (sb) => {
    sb.createCoordinator();
    committedDefault(sb);
    sb.write(sb.coordinator, '.lanesrc.json', JSON.stringify(cfg, null, 2));
    sb.must(sb.coordinator, 'commit', '-qam', 'require D-arch, checks');
    sb.must(sb.coordinator, 'push', '-q', 'origin', 'master');
    for (const role of ['A-backend', 'B-ui', 'C-ops', 'D-arch']) sb.addLane(role);
  });
}
const hubSha = (sb: Sandbox, ref: string) =>
  sb.git(sb.remote, 'rev-parse', '-q', '--verify', ref).stdout.trim();

function signoff(sb: Sandbox, role: string) {
  const D = sb.lane('D-arch');
  sb.mustCli(D, 'review', 'refresh', role);
  sb.mustCli(D, 'review', 'signoff', role);
  // land decides on the hub's store: the sign-off counts once it is there.
  sb.mustCli(D, 'sync');
}

describe('land', () => {
  const sb = coordinated();
  const [A, B, C] = ['A-backend', 'B-ui', 'C-ops'].map((r) => sb.lane(r)) as [
    string,
    string,
    string,
  ];
  const land = (...args: string[]) => sb.cli(sb.coordinator, 'land', ...args);
  const audit = () => JSON.parse(sb.mustCli(sb.coordinator, 'audit', '--json')).entries;
  const claims = () => JSON.parse(sb.mustCli(sb.coordinator, 'queue', 'list', '--json')).claims;
  // Queue order: C-ops first (its check fails), then A-backend, then B-ui.
  claim(sb, C, 'C-ops', 'agent-c');
  sb.write(C, 'ops/run.sh', 'echo FAIL\n');
  sb.must(C, 'add', '-A');
  sb.must(C, 'commit', '-qm', 'ops: a failing change');
  sb.must(C, 'push', '-q', 'origin', 'agent/C-ops');
  claim(sb, A, 'A-backend', 'agent-a');
  commit(sb, A, ['backend/api.ts']);
  sb.must(A, 'push', '-q', 'origin', 'agent/A-backend');
  claim(sb, B, 'B-ui', 'agent-b');
  commit(sb, B, ['web/page.tsx']);
  sb.must(B, 'push', '-q', 'origin', 'agent/B-ui');
  for (const r of ['C-ops', 'A-backend', 'B-ui']) signoff(sb, r);
  const tips = Object.fromEntries(
    ['A-backend', 'B-ui', 'C-ops'].map((r) => [r, hubSha(sb, `agent/${r}`)]),
  );
  const master0 = hubSha(sb, 'master');

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
