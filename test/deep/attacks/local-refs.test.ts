// The lane itself, hooks on (deep tier, issue 29; route 10 stays in test/attacks/local-refs.test.ts):
// no environment variable moves release (route 11), and claims are authorized by the branch, ended
// only by their owner or a coordinator (route 7, the local layer; the hub replays the same rules).
import { describe, expect, it } from 'vitest';
import { claim } from '../../helpers/world.js';
import { hub, local, SLOW } from '../../attacks/hub.js';

describe('a lane that wants through, with its hooks on', () => {
  const sb = hub(undefined, { setup: true });
  const C = sb.coordinator;
  const B = sb.lane('B-ui');
  const Cops = sb.lane('C-ops');
  claim(sb, C, 'A-backend', 'agent-a');

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
