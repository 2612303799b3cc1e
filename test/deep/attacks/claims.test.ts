// Route 7 of issue 18: a claim of agent/<role> is made only for that role (the branch decides),
// of a known role, by its owners; only the claim's owner or a coordinator ends it. Refused by
// `queue` in the lane (claim-required, exit 1) and on the hub (store-integrity on the pushed
// operation, --no-verify included, identities as an ssh forced command would set them).
import { describe, expect, it } from 'vitest';
import { forge, hub, pushAs, SLOW, tip } from '../../attacks/hub.js';

describe('claims are authorized by the branch', () => {
  const sb = hub(
    (cfg) => {
      cfg.server.coordinators = ['coord'];
      cfg.roles['A-backend'].owners = ['alice'];
      cfg.roles['B-ui'].owners = ['bob'];
    },
    { setup: true },
  );
  const B = sb.lane('B-ui');
  const Cops = sb.lane('C-ops');
  const C = sb.coordinator;
  const q = (dir: string, ...args: string[]) => sb.cli(dir, 'queue', ...args);
  const claimArgs = (role: string, owner: string, branch: string) => [
    'claim',
    '--role',
    role,
    '--owner',
    owner,
    '--branch',
    branch,
  ];
  /** A queue operation pushed by hand on top of the hub's queue. */
  const forgedOp = (op: Record<string, unknown>) => {
    sb.must(C, 'fetch', '-q', 'origin', '+refs/lanes/queue:refs/forge/queue');
    const parent = sb.must(C, 'rev-parse', 'refs/forge/queue');
    const state = JSON.parse(sb.must(C, 'show', `${parent}:state.json`));
    return forge(sb, C, parent, {
      'op.json': JSON.stringify({ at: 'now', by: 'x', ...op }),
      'state.json': JSON.stringify(state),
      'claims.txt': sb.git(C, 'show', `${parent}:claims.txt`).stdout,
    });
  };

  it(
    'the seed’s flow: the coordinator claims for a lane, a second claimant gets exit 3',
    SLOW,
    () => {
      expect(q(C, ...claimArgs('A-backend', 'alice', 'agent/A-backend')).status).toBe(0);
      const again = q(C, ...claimArgs('A-backend', 'mallory', 'agent/A-backend'));
      expect(again.status).toBe(3);
      expect(again.stderr).toContain('already claimed by alice');
      expect(
        sb.run(C, process.execPath, [sb.cliFile, 'sync'], { LANES_PUSHER: 'coord' }).status,
      ).toBe(0);
    },
  );

  it('route 7: C-ops claims agent/B-ui (under B-ui, or under its own role)', SLOW, () => {
    for (const role of ['B-ui', 'C-ops']) {
      const r = q(Cops, ...claimArgs(role, 'carol', 'agent/B-ui'));
      expect(r.status, role).toBe(1);
      expect(r.stderr).toContain('refused by claim-required');
      expect(r.stderr).toContain('fix:');
    }
    // The coordinator may claim for any lane, but the role is the branch's.
    expect(q(C, ...claimArgs('C-ops', 'carol', 'agent/B-ui')).status).toBe(1);
    // The hub: the same operations pushed by hand.
    const queue = tip(sb, 'refs/lanes/queue');
    for (const op of [
      {
        op: 'claim',
        role: 'B-ui',
        owner: 'carol',
        branch: 'agent/B-ui',
        task: null,
        lane: 'C-ops',
      },
      {
        op: 'claim',
        role: 'C-ops',
        owner: 'carol',
        branch: 'agent/B-ui',
        task: null,
        lane: 'coordinator',
      },
    ]) {
      const r = pushAs(sb, 'coord', C, '--no-verify', 'origin', `${forgedOp(op)}:refs/lanes/queue`);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('remote: lanes-hooks: refused by store-integrity');
    }
    expect(tip(sb, 'refs/lanes/queue')).toBe(queue);
  });

  it('route 7: a claim under a role that does not exist', SLOW, () => {
    expect(q(C, ...claimArgs('Z-nobody', 'z', 'agent/Z-nobody')).status).toBe(2);
    const op = {
      op: 'claim',
      role: 'Z-nobody',
      owner: 'z',
      branch: 'agent/Z-nobody',
      task: null,
      lane: 'coordinator',
    };
    const r = pushAs(sb, 'coord', C, '--no-verify', 'origin', `${forgedOp(op)}:refs/lanes/queue`);
    expect(r.stderr).toContain('remote: lanes-hooks: refused by store-integrity');
    expect(r.stderr).toContain('no role "Z-nobody"');
  });

  it('route 7: ending someone else’s claim (queue release)', SLOW, () => {
    // Locally: B-ui does not end A-backend's claim.
    const r = q(B, 'release', '--branch', 'agent/A-backend');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('refused by claim-required');
    // The hub: a release op said to come from B-ui, and one pushed by bob, are refused.
    const fromB = {
      op: 'end',
      end: 'released',
      task: null,
      branch: 'agent/A-backend',
      lane: 'B-ui',
    };
    expect(
      pushAs(sb, 'coord', C, '--no-verify', 'origin', `${forgedOp(fromB)}:refs/lanes/queue`).stderr,
    ).toContain('refused by store-integrity');
    expect(q(C, 'release', '--branch', 'agent/A-backend').status).toBe(0);
    const byBob = pushAs(sb, 'bob', C, '--no-verify', 'origin', 'refs/lanes/queue');
    expect(byBob.stderr).toContain("only the claim's owner (alice) or a coordinator");
    // The claim's owner, or a coordinator, ends it.
    expect(pushAs(sb, 'alice', C, '--no-verify', 'origin', 'refs/lanes/queue').status).toBe(0);
  });
});
