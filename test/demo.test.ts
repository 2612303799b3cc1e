// The demo tour (`lanes-hooks demo`), run once as a user runs it: every step's verdict, and the
// main-path cells of the commands it runs (docs/testing.md, "Coverage map: commands"): setup,
// merge, land, promote, audit, sync, and claim-required at pre-push. What each command leaves is
// read afterwards with plain git from the tour's sandbox: `<dir>` holds the first chapter (bare
// remote.git, coordinator, lanes gpuas-<role>), `<dir>/day` the coordinator's day (src/demo/).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../src/demo/sandbox.js';
import { CLI, tmpDir } from './helpers/world.js';

const ROLES = ['A-backend', 'B-ui', 'C-ops', 'D-arch', 'E-governance'];

/** Every ref of `repo` and the SHA it names, in one git process. */
function refs(sb: Sandbox, repo: string): Record<string, string> {
  const out = sb.must(repo, 'for-each-ref', '--format=%(objectname) %(refname)');
  return Object.fromEntries(out.split('\n').map((l) => [l.slice(41), l.slice(0, 40)]));
}

/** The verdict the tour printed for a step (what follows its "→"); fails naming a missing step. */
function verdict(out: string, lane: string, title: string): string {
  const head = `✔ [${lane}] ${title}\n    → `;
  const at = out.indexOf(head);
  expect(at, `the tour printed no passing step "[${lane}] ${title}"`).toBeGreaterThanOrEqual(0);
  return out.slice(at + head.length, out.indexOf('\n', at + head.length));
}

/** The subjects of a store's commits (one a recorded entry), oldest first. */
const entries = (sb: Sandbox, repo: string, ref: string) =>
  sb.must(repo, 'log', '--reverse', '--format=%s', ref).split('\n');

interface QueueState {
  tasks: { id: string; state: string }[];
  claims: { id: string; task: string; branch: string; state: string }[];
}
const queue = (sb: Sandbox, repo: string): QueueState =>
  JSON.parse(sb.must(repo, 'show', 'refs/lanes/queue:state.json'));

/**
 * setup's main path, in a sandbox the tour set up: every lane a worktree of the coordinator's at
 * gpuas-<role>, its branch agent/<role> made, its role recorded. (A review lane may rest on a
 * review/ branch at the end: only the delivery lanes' HEADs are checked.)
 */
function expectLanesBySetup(sb: Sandbox, root: string): void {
  const coordinator = path.join(root, 'coordinator');
  const listed = `${sb.must(coordinator, 'worktree', 'list', '--porcelain')}\n`;
  const branches = refs(sb, coordinator);
  for (const role of ROLES) {
    const lane = path.join(root, `gpuas-${role}`);
    expect(listed).toMatch(new RegExp(`^worktree ${lane}\\nHEAD [0-9a-f]{40}\\nbranch `, 'm'));
    expect(branches[`refs/heads/agent/${role}`]).toMatch(/^[0-9a-f]{40}$/);
    if (role !== 'D-arch')
      expect(listed).toContain(
        `worktree ${lane}\nHEAD ${branches[`refs/heads/agent/${role}`]}\nbranch refs/heads/agent/${role}\n`,
      );
    expect(sb.must(lane, 'config', '--worktree', '--get', 'lanes.role')).toBe(role);
  }
}

describe('demo', () => {
  it(
    'walks the sandbox tour and every step behaves as the policy says',
    { timeout: 300_000 },
    () => {
      const sb = new Sandbox(tmpDir(), CLI);
      const root = `${sb.root}/tour`;
      const r = sb.cli(sb.root, 'demo', root);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).not.toContain('✘');
      for (const rule of [
        'path-scope',
        'integration-ff-only',
        'release-branch-commit',
        'review-detached-head',
        'lane-branch',
        'lane-unassigned',
      ]) {
        expect(r.stdout).toContain(rule);
      }
      // The coordinator's day: an overlapping claim refused, the radar, land, the carry-over.
      const day = r.stdout.slice(r.stdout.indexOf("the coordinator's day"));
      expect(day).toContain('T1 is claimed by agent-a on agent/A-backend');
      expect(day).toContain('conflicts with C-ops on shared/theme.json');
      expect(day).toContain('B-ui and C-ops conflict on shared/theme.json');
      expect(day).toMatch(/waits: B-ui: .*rebase requested/);
      expect(day).toMatch(/waits: C-ops: .*rebase requested/);
      expect(day).toMatch(/D-arch's sign-off of \w+ carried over to \w+/);
      expect(day).toMatch(/waits: C-ops: no sign-off from D-arch for \w+/);
      for (const role of ['A-backend', 'B-ui', 'C-ops']) expect(day).toContain(`landed ${role} at`);
      expect(r.stdout).toContain('every step behaved as the policy says');

      const tour = r.stdout.slice(0, r.stdout.indexOf("the coordinator's day"));
      const C = path.join(root, 'coordinator');
      const hub = path.join(root, 'remote.git');
      const onHub = refs(sb, hub);
      const here = refs(sb, C);

      // setup: five lanes made in each chapter's coordinator, the first chapter's printed.
      expect(tour).toContain('setup: 5 lane(s) ready, 5 changed');
      expectLanesBySetup(sb, root);
      expectLanesBySetup(sb, path.join(root, 'day'));
      // A lane nobody committed in is still at master as setup found it (the first commit).
      expect(here['refs/heads/agent/E-governance']).toBe(
        sb.must(C, 'rev-list', '--max-parents=0', 'master'),
      );

      // claim-required at pre-push (the local queue): refused before the claim, allowed after it.
      expect(
        verdict(tour, 'A-backend', 'git push -u origin agent/A-backend without a queue claim'),
      ).toBe('refused by claim-required');
      expect(verdict(tour, 'A-backend', 'git push -u origin agent/A-backend with the claim')).toBe(
        'allowed',
      );
      expect(verdict(tour, 'coordinator', 'a second claim of the same branch, for agent-b')).toBe(
        'conflict (exit 3)',
      );

      // review refresh and signoff, then sync: the sign-off is on the hub, as the local store has it.
      expect(
        verdict(
          tour,
          'D-arch',
          'lanes-hooks review signoff A-backend, then sync (merge decides on the hub)',
        ),
      ).toBe('allowed');
      expect(onHub['refs/lanes/reviews']).toBe(here['refs/lanes/reviews']);
      expect(entries(sb, hub, 'refs/lanes/reviews')).toEqual([
        expect.stringMatching(/^signoff: D-arch signs off A-backend at [0-9a-f]{10}$/),
      ]);

      // merge: integration fast-forwarded to the lane's pushed tip on the hub (no merge commit),
      // the claim marked done; a lane that never pushed is refused.
      expect(verdict(tour, 'coordinator', 'lanes-hooks merge B-ui (never pushed)')).toBe(
        'refused: the B-ui lane pushes its branch first',
      );
      expect(verdict(tour, 'coordinator', 'lanes-hooks merge A-backend')).toBe('allowed');
      const merged = onHub['refs/heads/agent/A-backend']!;
      expect(tour).toContain(`merge: master fast-forwarded to A-backend at ${merged.slice(0, 12)}`);
      expect(tour).toContain(`merge: pushed master to origin at ${merged.slice(0, 12)}`);
      expect(sb.must(hub, 'rev-list', '--merges', '--count', 'master')).toBe('0');
      const q = queue(sb, C);
      expect(q.claims).toEqual([
        expect.objectContaining({ id: 'C1', task: 'T1', branch: 'agent/A-backend', state: 'done' }),
      ]);
      expect(q.tasks).toEqual([expect.objectContaining({ id: 'T1', state: 'done' })]);

      // promote: release at integration's tip on the hub, recorded and shared; a SHA off
      // integration is refused and release stays.
      expect(verdict(tour, 'coordinator', 'lanes-hooks promote (release := origin/master)')).toBe(
        'allowed',
      );
      expect(
        verdict(tour, 'coordinator', 'lanes-hooks promote <a SHA that is not on master>'),
      ).toBe('refused by release-exact-sha');
      expect(tour).toContain(`promote: release/platform-control -> ${merged}\n`);
      expect(onHub['refs/heads/master']).toBe(merged);
      expect(onHub['refs/heads/release/platform-control']).toBe(merged);
      expect(here['refs/heads/release/platform-control']).toBe(merged);

      // audit: the landing, the promotion (both shared with the hub by promote) and the override.
      const root0 = here['refs/heads/agent/E-governance']!;
      const log = tour.slice(tour.indexOf('\naudit log:\n'));
      expect(log).toMatch(
        new RegExp(
          `  landing  integration-ff-only  master [0-9a-f]{40} -> ${merged} \\(agent/A-backend\\)\\n`,
        ),
      );
      expect(log).toContain(
        `  promotion  release-exact-sha  release/platform-control: ${root0} -> ${merged}\n`,
      );
      expect(log).toMatch(
        / {2}override {2}path-scope {2}commit on agent\/A-backend: 1 path outside the scope\n.* in A-backend: hotfix approved by ops\n/,
      );
      expect(entries(sb, C, 'refs/lanes/audit')).toEqual([
        expect.stringMatching(
          /^landing: integration-ff-only master \w+ -> \w+ \(agent\/A-backend\)/,
        ),
        expect.stringMatching(/^promotion: release-exact-sha release\/platform-control: /),
        expect.stringMatching(/^override: path-scope commit on agent\/A-backend/),
      ]);
      expect(entries(sb, hub, 'refs/lanes/audit')).toEqual(
        entries(sb, C, 'refs/lanes/audit').slice(0, 2),
      );

      // land, the coordinator's day: A-backend, B-ui (its sign-off carried over), then C-ops (after
      // a new sign-off) landed fast-forward on the hub, each at its pushed tip, in that order.
      const dayRoot = path.join(root, 'day');
      const dayHub = path.join(dayRoot, 'remote.git');
      const dayC = path.join(dayRoot, 'coordinator');
      const hubDay = refs(sb, dayHub);
      const landedAt = Object.fromEntries(
        [...day.matchAll(/^ +landed (\S+) at ([0-9a-f]{12})$/gm)].map((m) => [m[1], m[2]]),
      );
      for (const role of ['A-backend', 'B-ui', 'C-ops'])
        expect(landedAt[role]).toBe(hubDay[`refs/heads/agent/${role}`]!.slice(0, 12));
      expect(hubDay['refs/heads/master']).toBe(hubDay['refs/heads/agent/C-ops']);
      const line = sb.must(dayHub, 'rev-list', '--first-parent', '--reverse', 'master').split('\n');
      const order = ['A-backend', 'B-ui', 'C-ops'].map((r) =>
        line.indexOf(hubDay[`refs/heads/agent/${r}`]!),
      );
      expect(order[0]).toBeGreaterThan(0);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(sb.must(dayHub, 'rev-list', '--merges', '--count', 'master')).toBe('0');
      // Each landing and each rebase request is recorded; the landed lanes' claims and tasks are
      // done; the task whose claim was refused stays open.
      const dayAudit = entries(sb, dayC, 'refs/lanes/audit');
      expect(dayAudit).toEqual([
        expect.stringMatching(/^rebase: integration-ff-only agent\/B-ui at /),
        expect.stringMatching(/^rebase: integration-ff-only agent\/C-ops at /),
        expect.stringMatching(
          new RegExp(
            `^landing: integration-ff-only master \\w+ -> ${hubDay['refs/heads/agent/A-backend']} \\(agent/A-backend\\)`,
          ),
        ),
        expect.stringMatching(
          new RegExp(
            `^landing: integration-ff-only master \\w+ -> ${hubDay['refs/heads/agent/B-ui']} \\(agent/B-ui\\)`,
          ),
        ),
        expect.stringMatching(
          new RegExp(
            `^landing: integration-ff-only master \\w+ -> ${hubDay['refs/heads/agent/C-ops']} \\(agent/C-ops\\)`,
          ),
        ),
      ]);
      const dq = queue(sb, dayC);
      expect(dq.claims.map((c) => [c.branch, c.state])).toEqual([
        ['agent/A-backend', 'done'],
        ['agent/B-ui', 'done'],
        ['agent/C-ops', 'done'],
      ]);
      expect(dq.tasks.map((t) => [t.id, t.state])).toEqual([
        ['T1', 'done'],
        ['T2', 'done'],
        ['T3', 'open'],
        ['T4', 'done'],
      ]);
      // sync: the day's sign-offs reached the hub (land reads only the hub's), the carry-over too.
      expect(hubDay['refs/lanes/reviews']).toBe(refs(sb, dayC)['refs/lanes/reviews']);
      const reviews = entries(sb, dayHub, 'refs/lanes/reviews');
      // (B-ui's sign-off is of its tip before the rebase: it counts for the landed one by carry-over)
      for (const role of ['A-backend', 'C-ops'])
        expect(reviews).toContain(
          `signoff: D-arch signs off ${role} at ${landedAt[role]!.slice(0, 10)}`,
        );
      expect(reviews).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^carryover: D-arch's sign-off of B-ui at \\w+ counts for ${landedAt['B-ui']!.slice(0, 10)}$`,
          ),
        ),
      );
    },
  );
});
