// Route (b): `lanes.integration` is in the common git config, which a lane can write. A lane that
// committed a wider .lanesrc.json on its own branch (naming that branch as integration, with
// --no-verify) pins it: the coordinator's and every lane's local policy would be the lane's own.
// A pin into the lane, review or release branches now fails closed, everywhere, with the fix.
//
// lanes.owner: a lane can write its own worktree config too; the owner recorded locally is
// advisory. Where the hub names owners, a claim in another owner's name, pushed by the wrong
// identity, is refused there (test/deep/attacks/identity.test.ts covers the owner's own claim).
import { describe, expect, it } from 'vitest';
import { CLI } from '../../helpers/world.js';
import { hub, SLOW, tip } from '../../attacks/hub.js';

describe('route b: a lane pins lanes.integration to its own branch', () => {
  const sb = hub(undefined, { setup: true });
  const C = sb.coordinator;
  const A = sb.lane('A-backend');
  const B = sb.lane('B-ui');

  it('fails closed in the coordinator and every lane until the pin is put back', SLOW, () => {
    const cfg = JSON.parse(sb.must(C, 'show', 'master:.lanesrc.json'));
    cfg.integration = 'agent/A-backend';
    cfg.roles['A-backend'].paths = ['**'];
    sb.write(A, '.lanesrc.json', JSON.stringify(cfg, null, 2) + '\n');
    sb.must(A, '-c', 'core.hooksPath=/dev/null', 'commit', '-qam', 'my own rules', '--no-verify');
    sb.must(A, 'config', 'lanes.integration', 'agent/A-backend'); // the common config
    // Before: A's commit outside its scope would pass its own hooks under its own policy.
    sb.write(A, 'web/takeover.ts', 'x\n');
    sb.must(A, 'add', 'web/takeover.ts');
    const r = sb.git(A, 'commit', '-qm', 'out of scope');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('lanes.integration names "agent/A-backend"');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    for (const dir of [B, C]) {
      const b = sb.cli(dir, 'brief');
      expect(b.status).toBe(2);
      expect(b.stderr).toContain("a lane's branch (agent/{role})");
      expect(b.stderr).toContain('git config lanes.integration');
    }
    sb.must(C, 'config', 'lanes.integration', 'master');
    expect(sb.cli(B, 'brief').status).toBe(0);
    const again = sb.git(A, 'commit', '-qm', 'out of scope');
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain('path-scope');
  });
});

describe('lanes.owner is advisory: the hub judges who claims', () => {
  const sb = hub((cfg) => {
    cfg.server.coordinators = ['coord'];
    cfg.roles['A-backend'].owners = ['alice'];
  });
  const C = sb.coordinator;
  sb.must(C, 'config', '--worktree', 'lanes.identity', 'coord');
  sb.run(C, process.execPath, [CLI, 'setup'], { LANES_PUSHER: 'coord' });
  const A = sb.lane('A-backend');

  it(
    'a claim in alice’s name, made by mallory with lanes.owner set, is refused at the hub',
    SLOW,
    () => {
      sb.must(A, 'config', '--worktree', 'lanes.owner', 'alice');
      const before = tip(sb, 'refs/lanes/queue');
      const r = sb.run(
        A,
        process.execPath,
        [
          CLI,
          'queue',
          'claim',
          '--role',
          'A-backend',
          '--owner',
          'alice',
          '--branch',
          'agent/A-backend',
        ],
        { LANES_PUSHER: 'mallory' },
      );
      expect(r.stderr).toContain('not yet on origin'); // recorded locally: advisory
      expect(tip(sb, 'refs/lanes/queue')).toBe(before);
      const s = sb.run(A, process.execPath, [CLI, 'sync'], { LANES_PUSHER: 'mallory' });
      expect(s.status).not.toBe(0);
      expect(s.stderr).toContain('is made by its owners (alice)');
      expect(tip(sb, 'refs/lanes/queue')).toBe(before);
    },
  );
});
