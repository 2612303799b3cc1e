// Routes 10 and 11 of issue 18: a lane moves or deletes no ref but its own, and no environment
// variable moves release. Refused in the lane's reference-transaction (which --no-verify does not
// skip), in pre-push, and on the hub past --no-verify.
import { describe, expect, it } from 'vitest';
import { claim, commit } from '../helpers/world.js';
import { hub, local, pushAs, refusedBy, SLOW, tip } from './refs-hub.js';

describe('a lane and the refs it does not own', () => {
  const sb = hub((cfg) => {
    cfg.server.coordinators = ['coord'];
    cfg.roles['A-backend'].owners = ['alice'];
    cfg.roles['B-ui'].owners = ['bob'];
  });
  const A = sb.lane('A-backend');
  const B = sb.lane('B-ui');
  const C = sb.coordinator;

  it('route 10: git update-ref -d refs/heads/master from a lane', SLOW, () => {
    const before = local(sb, B, 'refs/heads/master');
    const r = sb.git(B, 'update-ref', '-d', 'refs/heads/master');
    expect(refusedBy(r, 'integration-ff-only', 'local')).toBe(null);
    expect(local(sb, B, 'refs/heads/master')).toBe(before);
  });

  it(
    'route 10: deleting or renaming another lane’s branch (update-ref -d, branch -D, branch -m)',
    SLOW,
    () => {
      const before = local(sb, B, 'refs/heads/agent/C-ops');
      for (const args of [
        ['update-ref', '-d', 'refs/heads/agent/C-ops'],
        ['branch', '-m', 'agent/C-ops', 'mine'],
        ['branch', '-m', 'agent/B-ui', 'elsewhere'], // its own, checked out: git runs no hook for the new name,
      ]) {
        const r = sb.git(B, ...args);
        expect(refusedBy(r, 'lane-branch', 'local'), args.join(' ')).toBe(null);
        expect(local(sb, B, 'refs/heads/agent/C-ops')).toBe(before);
      }
      // branch -D of a branch checked out in another worktree: git refuses it on its own.
      expect(sb.git(B, 'branch', '-D', 'agent/C-ops').status).not.toBe(0);
      expect(local(sb, B, 'refs/heads/agent/C-ops')).toBe(before);
    },
  );

  it('route 10: deleting or rewriting the store (refs/lanes/queue) from a lane', SLOW, () => {
    claim(sb, B, 'B-ui', 'bob', 'agent/B-ui');
    claim(sb, C, 'A-backend', 'alice', 'agent/A-backend');
    const queue = local(sb, B, 'refs/lanes/queue');
    const del = sb.git(B, 'update-ref', '-d', 'refs/lanes/queue');
    expect(refusedBy(del, 'store-integrity', 'local')).toBe(null);
    const back = sb.git(B, 'update-ref', 'refs/lanes/queue', `${queue}~1`);
    expect(refusedBy(back, 'store-integrity', 'local')).toBe(null);
    expect(local(sb, B, 'refs/lanes/queue')).toBe(queue);
  });

  it(
    'route 10: git push origin :agent/A-backend from B-ui, and deletes of store refs',
    SLOW,
    () => {
      sb.run(C, process.execPath, [sb.cliFile, 'sync'], { LANES_PUSHER: 'coord' });
      expect(pushAs(sb, 'alice', A, '--no-verify', 'origin', 'agent/A-backend').status).toBe(0);
      const a = tip(sb, 'agent/A-backend');
      expect(a).not.toBe('');
      expect(
        refusedBy(pushAs(sb, 'bob', B, 'origin', ':agent/A-backend'), 'lane-branch', 'local'),
      ).toBe(null);
      const hubbed = pushAs(sb, 'bob', B, '--no-verify', 'origin', ':agent/A-backend');
      expect(refusedBy(hubbed, 'lane-branch', 'hub')).toBe(null);
      expect(tip(sb, 'agent/A-backend')).toBe(a);
      const q = tip(sb, 'refs/lanes/queue');
      expect(
        refusedBy(pushAs(sb, 'bob', B, 'origin', ':refs/lanes/queue'), 'store-integrity', 'local'),
      ).toBe(null);
      expect(
        refusedBy(
          pushAs(sb, 'bob', B, '--no-verify', 'origin', ':refs/lanes/queue'),
          'store-integrity',
          'hub',
        ),
      ).toBe(null);
      expect(tip(sb, 'refs/lanes/queue')).toBe(q);
    },
  );

  it(
    'route 10: what stays free — own claims, remote-tracking refs, fetch --prune, gc',
    SLOW,
    () => {
      expect(sb.git(B, 'fetch', '-q', '--prune', 'origin').status).toBe(0);
      expect(sb.git(B, 'update-ref', '-d', 'refs/remotes/origin/agent/C-ops').status).toBe(0);
      expect(sb.git(B, 'pack-refs', '--all').status).toBe(0);
      expect(sb.git(B, 'gc', '-q').status).toBe(0);
      expect(sb.cli(B, 'queue', 'release', '--branch', 'agent/B-ui').status).toBe(0);
      claim(sb, B, 'B-ui', 'bob', 'agent/B-ui');
      expect(
        sb.run(B, process.execPath, [sb.cliFile, 'sync'], { LANES_PUSHER: 'bob' }).status,
      ).toBe(0);
      commit(sb, B, ['web/free.html']);
      expect(pushAs(sb, 'bob', B, 'origin', 'agent/B-ui').status).toBe(0);
      // The coordinator stays free with lane branches.
      sb.must(C, 'branch', 'scratch');
      expect(sb.git(C, 'branch', '-D', 'scratch').status).toBe(0);
    },
  );

  it('route 11: LANES_PROMOTE_SHA moves release nowhere; promote still does', SLOW, () => {
    sb.must(B, 'fetch', '-q', 'origin');
    const onMaster = sb.must(B, 'rev-parse', 'origin/master');
    const release = `refs/heads/release/platform-control`;
    // A lane mirrors the remote's release, nothing else.
    expect(
      sb.git(B, 'branch', '-f', 'release/platform-control', 'origin/release/platform-control')
        .status,
    ).toBe(0);
    const before = local(sb, B, release);
    const env = { LANES_PROMOTE_SHA: onMaster };
    const inLane = sb.run(B, 'git', ['update-ref', release, onMaster], env);
    expect(refusedBy(inLane, 'release-branch-commit', 'local')).toBe(null);
    const inCoordinator = sb.run(C, 'git', ['update-ref', release, onMaster], env);
    expect(refusedBy(inCoordinator, 'release-branch-commit', 'local')).toBe(null);
    expect(local(sb, B, release)).toBe(before);
    expect(
      refusedBy(sb.git(B, 'update-ref', '-d', release), 'release-branch-commit', 'local'),
    ).toBe(null);
    sb.must(C, 'pull', '-q', '--ff-only', 'origin', 'master');
    const p = sb.run(C, process.execPath, [sb.cliFile, 'promote'], { LANES_PUSHER: 'coord' });
    expect(p.stderr).not.toContain('refused');
    expect(p.status).toBe(0);
    expect(tip(sb, 'release/platform-control')).toBe(sb.must(C, 'rev-parse', 'origin/master'));
  });
});
