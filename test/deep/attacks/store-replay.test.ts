// Route 2, the local half: a lane moves the shared refs/lanes/* forward by hand (`git commit-tree`
// + `git update-ref`, no lanes-hooks command). reference-transaction replays the new operations
// through the hub's own validator with the lane's own role as author (hooks/store-replay.ts).
import { describe, expect, it } from 'vitest';
import {
  auditEntryProblem,
  queueOpProblem,
  reviewEntryProblem,
} from '../../../src/hooks/store-replay.js';
import { defaults } from '../../helpers/world.js';
import { forge, hub, local, refusedBy, SLOW } from '../../attacks/hub.js';

const config = defaults();
const lane = (role: string | null, kind: 'delivery' | 'review' | 'unassigned') => ({
  kind,
  role,
  owner: null,
});
const signoff = (reviewer: string, kind = 'signoff') => ({
  kind: kind as 'signoff',
  reviewer,
  target: 'A-backend',
  sha: 'a'.repeat(40),
  text: null,
  severity: null,
  at: '2026-12-06T00:00:00Z',
  by: 'x',
});

describe('what a lane may record in the shared store, as a table', () => {
  it('review entries: its own, as a review role, never a carry-over', () => {
    expect(reviewEntryProblem(config, lane('D-arch', 'review'), signoff('D-arch'))).toBeNull();
    expect(reviewEntryProblem(config, lane('A-backend', 'delivery'), signoff('D-arch'))).toContain(
      'records its own',
    );
    expect(reviewEntryProblem(config, lane('E-governance', 'review'), signoff('D-arch'))).toContain(
      'records its own',
    );
    expect(
      reviewEntryProblem(config, lane('D-arch', 'review'), signoff('D-arch', 'carryover')),
    ).toContain('coordinator');
  });
  it('queue operations and audit entries: in its own name only', () => {
    const claim = {
      op: 'claim' as const,
      role: 'B-ui',
      owner: 'b',
      branch: 'agent/B-ui',
      task: null,
      at: 'now',
      by: 'x',
    };
    const empty = { tasks: [], claims: [] } as never;
    expect(
      queueOpProblem(
        config,
        lane('A-backend', 'delivery'),
        { ...claim, lane: 'coordinator' } as never,
        empty,
      ),
    ).toContain('own name');
    expect(
      queueOpProblem(
        config,
        lane('A-backend', 'delivery'),
        { ...claim, lane: 'A-backend' } as never,
        empty,
      ),
    ).not.toBeNull();
    const entry = {
      at: 'now',
      who: 'x',
      lane: 'A-backend',
      rule: 'path-scope',
      object: 'o',
      reason: 'r',
      kind: 'override' as const,
    };
    expect(auditEntryProblem(lane('A-backend', 'delivery'), entry)).toBeNull();
    expect(
      auditEntryProblem(lane('A-backend', 'delivery'), { ...entry, lane: 'coordinator' }),
    ).toContain('this is');
    expect(
      auditEntryProblem(lane('A-backend', 'delivery'), { ...entry, kind: 'landing' }),
    ).toContain('coordinator only');
  });
});

describe('a lane forges store entries by hand, hooks on', () => {
  const sb = hub(undefined, { setup: true });
  const A = sb.lane('A-backend');
  const sha = local(sb, A, 'HEAD');

  it(
    'route 2: a delivery lane adds a D-arch sign-off of its own SHA to refs/lanes/reviews',
    SLOW,
    () => {
      const before = local(sb, A, 'refs/lanes/reviews');
      const forged = forge(sb, A, before || null, {
        'op.json': JSON.stringify({ ...signoff('D-arch'), sha }),
      });
      const r = before
        ? sb.git(A, 'update-ref', 'refs/lanes/reviews', forged, before)
        : sb.git(A, 'update-ref', 'refs/lanes/reviews', forged, '');
      expect(refusedBy(r, 'store-integrity', 'local')).toBeNull();
      expect(r.stderr).toContain('records its own findings and sign-offs only');
      expect(local(sb, A, 'refs/lanes/reviews')).toBe(before);
    },
  );

  it('a claim recorded as the coordinator’s, forged the same way', SLOW, () => {
    sb.mustCli(sb.coordinator, 'queue', 'add', 'a task'); // the queue exists
    const before = local(sb, A, 'refs/lanes/queue');
    const op = {
      op: 'claim',
      role: 'A-backend',
      owner: 'mallory',
      branch: 'agent/A-backend',
      task: null,
      lane: 'coordinator',
      at: 'now',
      by: 'x',
    };
    const forged = forge(sb, A, before, {
      'op.json': JSON.stringify(op),
      'state.json': sb.must(A, 'show', `${before}:state.json`),
      'claims.txt': sb.git(A, 'show', `${before}:claims.txt`).stdout,
    });
    const r = sb.git(A, 'update-ref', 'refs/lanes/queue', forged, before);
    expect(refusedBy(r, 'store-integrity', 'local')).toBeNull();
    expect(r.stderr).toContain('a lane records operations in its own name only');
    expect(local(sb, A, 'refs/lanes/queue')).toBe(before);
  });

  it(
    'sync from a lane still adopts other machines’ operations and replays the coordinator’s',
    SLOW,
    () => {
      const other = `${sb.root}/other-machine`;
      sb.must(sb.root, 'clone', '-q', sb.remote, other);
      sb.mustCli(other, 'queue', 'add', 'from another machine');
      sb.mustCli(other, 'sync');
      // The fetched case: the lane's store fast-forwards to operations no lane here made.
      const fetched = sb.cli(A, 'sync');
      expect(fetched.status, fetched.stderr).toBe(0);
      // The lane holds the hub's operations; what the coordinator recorded here and has not
      // shared stays for the coordinator's own sync (a lane pushes only its own entries, route a).
      const hubQueue = sb.must(sb.remote, 'rev-parse', 'refs/lanes/queue');
      expect(
        sb.git(A, 'merge-base', '--is-ancestor', hubQueue, local(sb, A, 'refs/lanes/queue')).status,
      ).toBe(0);
      // The merged case: the coordinator's unsynced claim here, another task there.
      sb.mustCli(
        sb.coordinator,
        'queue',
        'claim',
        '--role',
        'B-ui',
        '--owner',
        'bob',
        '--branch',
        'agent/B-ui',
      );
      sb.mustCli(other, 'queue', 'add', 'one more');
      sb.mustCli(other, 'sync');
      const merged = sb.cli(A, 'sync');
      expect(merged.status, merged.stderr).toBe(0);
      const list = JSON.parse(sb.mustCli(A, 'queue', 'list', '--json'));
      expect(list.claims.map((c: { owner: string }) => c.owner)).toContain('bob');
    },
  );
});
