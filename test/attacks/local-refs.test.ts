// The lane itself, hooks on: no lane moves or deletes a ref it does not own (route 10). No
// environment variable moves release (route 11) and claims authorized by the branch, ended only
// by their owner or a coordinator (route 7, the local layer): test/deep/attacks/local-refs.test.ts
// (deep tier, issue 29; the hub's side of route 7 is test/deep/attacks/claims.test.ts).
import { describe, expect, it } from 'vitest';
import { claim } from '../helpers/world.js';
import { hub, local, SLOW, tip } from './hub.js';

describe('a lane that wants through, with its hooks on', () => {
  const sb = hub(undefined, { setup: true });
  const C = sb.coordinator;
  const B = sb.lane('B-ui');
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
    // (the claim above was shared with the hub as queue claim made it: no sync first)
    sb.must(sb.lane('A-backend'), 'push', '-q', 'origin', 'agent/A-backend');
    const before = tip(sb, 'agent/A-backend');
    const r = sb.git(B, 'push', '-q', 'origin', ':agent/A-backend');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/^lanes-hooks: refused by lane-branch/m);
    expect(tip(sb, 'agent/A-backend')).toBe(before);
  });
});
