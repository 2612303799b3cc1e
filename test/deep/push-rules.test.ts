// pre-push against a real bare remote beyond the one case per rule and layer of
// test/push-rules.test.ts (the deep tier, issue 29): in-scope pushes, an override recorded, a
// rebased lane, and the release pushes that are allowed.
import { beforeAll, describe, expect, it } from 'vitest';
import { claim, commit, world } from '../helpers/world.js';

const w = world(['A-backend', 'B-ui']);
claim(w, w.coordinator, 'A-backend', 'agent-a');
const A = () => w.lanes['A-backend']!;
const C = () => w.coordinator;
const remoteSha = (ref: string) =>
  w.git(w.remote, 'rev-parse', '-q', '--verify', ref).stdout.trim();

describe('path-scope over the pushed range', () => {
  it('allows pushing in-scope commits', () => {
    commit(w, A(), ['backend/one.ts']);
    commit(w, A(), ['services/two.ts']);
    const r = w.git(A(), 'push', '-q', '-u', 'origin', 'agent/A-backend');
    expect(r.stderr).toBe('');
    expect(remoteSha('agent/A-backend')).toBe(w.must(A(), 'rev-parse', 'HEAD'));
  });

  describe('after a commit that skipped the commit hooks (the range test/push-rules.test.ts refuses)', () => {
    beforeAll(() => {
      commit(w, A(), ['backend/three.ts']);
      commit(w, A(), ['web/smuggled name.tsx'], { flags: ['--no-verify'] });
    });

    it('lets the push through with an override, and records it', () => {
      const r = w.run(A(), 'git', ['push', '-q', 'origin', 'agent/A-backend'], {
        LANES_OVERRIDE: 'agreed with B-ui',
      });
      expect(r.status).toBe(0);
      expect(r.stderr).toContain('path-scope OVERRIDDEN');
      const audit = JSON.parse(w.mustCli(A(), 'audit', '--json')).entries;
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        rule: 'path-scope',
        lane: 'A-backend',
        reason: 'agreed with B-ui',
        kind: 'override',
        who: 'Demo User <demo@example.com>',
      });
    });

    it('does not count commits already on the remote integration (a rebased lane)', () => {
      commit(w, C(), ['web/by-coordinator.tsx']);
      w.must(C(), 'push', '-q', 'origin', 'master');
      w.must(A(), 'fetch', '-q', 'origin');
      w.must(A(), 'reset', '-q', '--hard', 'origin/master');
      commit(w, A(), ['backend/after-rebase.ts']);
      expect(w.git(A(), 'push', '-q', '-f', 'origin', 'agent/A-backend').status).toBe(0);
    });
  });
});

describe('release-exact-sha', () => {
  it('allows pushing release to a SHA on the remote integration', () => {
    const r = w.git(
      C(),
      'push',
      '-q',
      'origin',
      'origin/master:refs/heads/release/platform-control',
    );
    // A plain push of release is a promotion: recorded, and the audit log shared first.
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(
      /^lanes-hooks: promotion of release\/platform-control to \w+ recorded/,
    );
    expect(remoteSha('release/platform-control')).toBe(remoteSha('master'));
    expect(remoteSha('refs/lanes/audit')).toBe(w.must(C(), 'rev-parse', 'refs/lanes/audit'));
  });

  it('allows integration and release pushed together to the same new SHA', () => {
    commit(w, C(), ['docs/together.md']);
    const r = w.git(C(), 'push', '-q', 'origin', 'master', 'master:release/platform-control');
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('recorded in the audit log');
    expect(remoteSha('release/platform-control')).toBe(w.must(C(), 'rev-parse', 'master'));
  });
});
