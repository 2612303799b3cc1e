// The lane itself, hooks on: no lane moves or deletes a ref it does not own (route 10), no
// environment variable moves release (route 11), and claims are authorized by the branch, ended
// only by their owner or a coordinator (route 7, the local layer; the hub replays the same rules).
import { describe, expect, it } from 'vitest';
import { claim } from '../helpers/world.js';
import { hub, local, SLOW, tip } from './hub.js';

describe('a lane that wants through, with its hooks on', () => {
  const sb = hub(undefined, { setup: true });
  const C = sb.coordinator;
  const B = sb.lane('B-ui');
  const Cops = sb.lane('C-ops');
  claim(sb, C, 'A-backend', 'agent-a');

  it(
    'route 10: update-ref -d of master, of another lane’s branch, of the queue; branch -D',
    SLOW,
    () => {
      const before = ['refs/heads/master', 'refs/heads/agent/C-ops', 'refs/lanes/queue'].map((r) =>
        local(sb, B, r),
      );
      const cases: [string[], RegExp][] = [
        [['update-ref', '-d', 'refs/heads/master'], /refused by integration-ff-only/],
        [['update-ref', '-d', 'refs/heads/agent/C-ops'], /refused by lane-branch/],
        [['branch', '-D', 'agent/C-ops'], /refused by lane-branch|checked out/],
        [['branch', '-m', 'agent/C-ops', 'mine'], /refused by lane-branch/],
        [['update-ref', '-d', 'refs/lanes/queue'], /refused by store-integrity/],
      ];
      for (const [args, refusal] of cases) {
        const r = sb.git(B, ...args);
        expect(r.status, args.join(' ')).not.toBe(0);
        expect(r.stderr, args.join(' ')).toMatch(refusal);
      }
      expect(
        ['refs/heads/master', 'refs/heads/agent/C-ops', 'refs/lanes/queue'].map((r) =>
          local(sb, B, r),
        ),
      ).toEqual(before);
    },
  );

  it('route 10: `git push origin :agent/A-backend` from B-ui', SLOW, () => {
    sb.mustCli(C, 'sync');
    sb.must(sb.lane('A-backend'), 'push', '-q', 'origin', 'agent/A-backend');
    const before = tip(sb, 'agent/A-backend');
    const r = sb.git(B, 'push', '-q', 'origin', ':agent/A-backend');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/^lanes-hooks: refused by lane-branch/m);
    expect(tip(sb, 'agent/A-backend')).toBe(before);
  });

  it(
    'route 11: LANES_PROMOTE_SHA moves release nowhere, in a lane or in the coordinator',
    SLOW,
    () => {
      const release = local(sb, C, 'refs/heads/release/platform-control');
      const sha = local(sb, C, 'refs/remotes/origin/master');
      for (const dir of [B, C]) {
        const r = sb.run(dir, 'git', ['update-ref', 'refs/heads/release/platform-control', sha], {
          LANES_PROMOTE_SHA: sha,
        });
        expect(r.status).not.toBe(0);
        expect(r.stderr).toContain('refused by release-branch-commit');
      }
      expect(local(sb, C, 'refs/heads/release/platform-control')).toBe(release);
      // promote records the promotion first; only then does the hook let release move.
      sb.mustCli(C, 'promote');
      expect(local(sb, C, 'refs/heads/release/platform-control')).toBe(sha);
    },
  );

  it(
    'route 7: a lane claims only its own branch, for its own role; unknown roles are refused',
    SLOW,
    () => {
      const tries: string[][] = [
        ['--role', 'B-ui', '--owner', 'agent-c', '--branch', 'agent/B-ui'],
        ['--role', 'C-ops', '--owner', 'agent-c', '--branch', 'agent/B-ui'],
        ['--role', 'Z-none', '--owner', 'agent-c', '--branch', 'agent/Z-none'],
      ];
      for (const args of tries) {
        const r = sb.cli(Cops, 'queue', 'claim', ...args);
        expect(r.status, args.join(' ')).not.toBe(0);
        expect(r.status).not.toBe(0);
        expect(r.stderr, args.join(' ')).toMatch(/claim-required|not a role|no role/);
      }
      expect(
        sb.cli(
          Cops,
          'queue',
          'claim',
          '--role',
          'C-ops',
          '--owner',
          'agent-c',
          '--branch',
          'agent/C-ops',
        ).status,
      ).toBe(0);
    },
  );

  it('route 7: only the claim’s owner or a coordinator ends it', SLOW, () => {
    const r = sb.cli(Cops, 'queue', 'release', '--branch', 'agent/A-backend');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('claim-required');
    const claims = () =>
      JSON.parse(sb.mustCli(C, 'queue', 'list', '--json')).claims.filter(
        (c: { branch: string; state: string }) =>
          c.branch === 'agent/A-backend' && c.state === 'active',
      );
    expect(claims()).toHaveLength(1);
    expect(sb.cli(C, 'queue', 'release', '--branch', 'agent/A-backend').status).toBe(0);
    expect(claims()).toHaveLength(0);
  });
});
