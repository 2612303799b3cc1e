// Sign-offs that survive a clean rebase (reviews.carryOver): the route a lane that wants through
// would take against a hub running guard pre-receive: a rebase that keeps every patch carries the
// sign-off (recorded with both SHAs, accepted by the hub); one that changes a patch but keeps the
// paths does not, in land, in merge, nor as a carry-over forged at the hub. The rule itself, pure,
// is a table in test/policy.test.ts ("the carry-over rule").
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { forge, hub, refusedBy, SLOW, tip } from '../attacks/hub.js';

describe('a sign-off across a rebase, locally and at the hub', () => {
  const sb = hub((cfg) => {
    cfg.reviews.required = ['D-arch'];
    cfg.reviews.carryOver = true;
  });
  // Only the lanes this route needs.
  const A = sb.addLane('A-backend');
  const D = sb.addLane('D-arch');
  const C = sb.coordinator;
  const rogue = path.join(sb.root, 'rogue');
  sb.must(sb.root, 'clone', '-q', sb.remote, rogue);
  const reviewsLog = () =>
    sb
      .must(C, 'log', '--format=%s', 'refs/lanes/reviews')
      .split('\n')
      .filter((l) => l.startsWith('carryover'));
  const land = (...args: string[]) => sb.cli(C, 'land', '--json', ...args);

  // The lane claims, makes two commits and pushes; D-arch signs off that exact SHA.
  sb.mustCli(
    A,
    'queue',
    'claim',
    '--role',
    'A-backend',
    '--owner',
    'agent-a',
    '--branch',
    'agent/A-backend',
  );
  sb.mustCli(A, 'sync');
  sb.write(A, 'backend/one.ts', 'export const one = 1;\n');
  sb.must(A, 'add', '-A');
  sb.must(A, 'commit', '-qm', 'one');
  sb.write(A, 'backend/two.ts', 'export const two = 2;\n');
  sb.must(A, 'add', '-A');
  sb.must(A, 'commit', '-qm', 'two');
  sb.must(A, 'push', '-q', 'origin', 'agent/A-backend');
  const signed = sb.must(A, 'rev-parse', 'HEAD');
  sb.mustCli(D, 'review', 'refresh', 'A-backend');
  sb.mustCli(D, 'review', 'signoff', 'A-backend');
  sb.mustCli(D, 'sync');
  // Integration moves on: the lane must rebase.
  sb.write(C, 'docs/news.md', 'news\n');
  sb.must(C, 'add', '-A');
  sb.must(C, 'commit', '-qm', 'news');
  sb.must(C, 'push', '-q', 'origin', 'master');

  /** The signed commits rebased onto the hub's master; `edit` changes the last one's content. */
  function rebaseAndPush(edit?: string): string {
    sb.must(A, 'reset', '-q', '--hard', signed);
    sb.must(A, 'fetch', '-q', 'origin');
    sb.must(A, 'rebase', '-q', 'origin/master');
    if (edit) {
      sb.write(A, 'backend/two.ts', edit);
      sb.must(A, 'commit', '-q', '-a', '--amend', '--no-edit');
    }
    sb.must(A, 'push', '-q', '-f', 'origin', 'agent/A-backend');
    return sb.must(A, 'rev-parse', 'HEAD');
  }

  /** A carry-over entry pushed by hand onto the hub's reviews log. */
  function forgedCarry(from: string, to: string) {
    sb.must(
      rogue,
      'fetch',
      '-q',
      'origin',
      '+refs/lanes/reviews:refs/forge/reviews',
      '+refs/heads/*:refs/remotes/origin/*',
    );
    const parent = sb.must(rogue, 'rev-parse', 'refs/forge/reviews');
    const op = {
      kind: 'carryover',
      reviewer: 'D-arch',
      target: 'A-backend',
      sha: to,
      from,
      base: sb.must(rogue, 'rev-parse', 'origin/master'),
      text: null,
      severity: null,
      at: new Date().toISOString(),
      by: 'mallory',
    };
    const commit = forge(sb, rogue, parent, { 'op.json': JSON.stringify(op) });
    return sb.git(rogue, 'push', '-q', 'origin', `${commit}:refs/lanes/reviews`);
  }

  it(
    'a rebase that changes a patch but keeps the paths does not carry: land waits, merge refuses, the hub refuses a forged carry-over',
    SLOW,
    () => {
      const changed = rebaseAndPush('export const two = 22;\n');
      // Same paths, same number of commits: only the patch differs.
      expect(sb.must(A, 'diff-tree', '--no-commit-id', '--name-only', '-r', changed)).toBe(
        'backend/two.ts',
      );
      const r = land();
      expect(r.status, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.landed).toEqual([]);
      expect(report.waiting).toMatchObject([
        {
          role: 'A-backend',
          reason: expect.stringContaining(`no sign-off from D-arch for ${changed.slice(0, 12)}`),
        },
      ]);
      const m = sb.cli(C, 'merge', 'A-backend');
      expect(m.status).toBe(1);
      expect(m.stderr).toContain('counts only when this is a clean rebase of it');
      expect(reviewsLog()).toEqual([]);
      // At the hub: a carry-over of the real sign-off to the changed SHA…
      const before = tip(sb, 'refs/lanes/reviews');
      let f = forgedCarry(signed, changed);
      expect(refusedBy(f, 'store-integrity', 'hub')).toBe(null);
      expect(f.stderr).toContain('does not carry over');
      expect(f.stderr).toContain('its patch differs');
      // …and one from a SHA D-arch never signed off.
      f = forgedCarry(sb.must(A, 'rev-parse', 'origin/master'), changed);
      expect(refusedBy(f, 'store-integrity', 'hub')).toBe(null);
      expect(f.stderr).toContain('never signed off A-backend');
      expect(tip(sb, 'refs/lanes/reviews')).toBe(before);
    },
  );

  it(
    'a clean rebase carries the sign-off: --dry-run records nothing, land records both SHAs and lands, the hub accepts it',
    SLOW,
    () => {
      const clean = rebaseAndPush();
      const base = sb.must(A, 'rev-parse', 'origin/master');
      expect(clean).not.toBe(signed);
      let r = land('--dry-run');
      expect(JSON.parse(r.stdout).landed).toMatchObject([{ role: 'A-backend', sha: clean }]);
      expect(reviewsLog()).toEqual([]);
      r = land();
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).landed).toMatchObject([{ role: 'A-backend', sha: clean }]);
      expect(r.stderr).toContain(
        `D-arch's sign-off of ${signed.slice(0, 12)} carried over to ${clean.slice(0, 12)}`,
      );
      expect(tip(sb, 'refs/heads/master')).toBe(clean);
      const entry = JSON.parse(sb.must(C, 'show', 'refs/lanes/reviews:op.json'));
      expect(entry).toMatchObject({
        kind: 'carryover',
        reviewer: 'D-arch',
        target: 'A-backend',
        sha: clean,
        from: signed,
        base,
      });
      // status counts it as D-arch's sign-off of the lane's HEAD.
      const row = JSON.parse(sb.mustCli(C, 'status', '--json')).lanes.find(
        (l: any) => l.role === 'A-backend',
      );
      expect(row.signoffs).toEqual([{ role: 'D-arch', sha: clean, from: signed }]);
      // The coordinator shares it; the hub checks it with the same rule and takes it.
      const s = sb.cli(C, 'sync');
      expect(s.status, s.stderr).toBe(0);
      expect(tip(sb, 'refs/lanes/reviews')).toBe(sb.must(C, 'rev-parse', 'refs/lanes/reviews'));
    },
  );
});
