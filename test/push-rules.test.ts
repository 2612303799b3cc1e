// pre-push against a real bare remote: path-scope over the pushed range, integration, release; one
// case per rule and layer. Allowed pushes, overrides, a rebased lane: test/deep/push-rules.test.ts.
import { describe, expect, it } from 'vitest';
import { claim, commit, world } from './helpers/world.js';

const w = world(['A-backend', 'B-ui']);
claim(w, w.coordinator, 'A-backend', 'agent-a');
const A = () => w.lanes['A-backend']!;
const C = () => w.coordinator;
const remoteSha = (ref: string) =>
  w.git(w.remote, 'rev-parse', '-q', '--verify', ref).stdout.trim();

describe('path-scope over the pushed range', () => {
  it('refuses a range holding a commit that skipped the commit hooks, naming commit and path', () => {
    commit(w, A(), ['backend/three.ts']);
    commit(w, A(), ['web/smuggled name.tsx'], { flags: ['--no-verify'] }); // reference-transaction allows it: own branch
    const bad = w.must(A(), 'rev-parse', 'HEAD');
    const before = remoteSha('agent/A-backend');
    const r = w.git(A(), 'push', '-q', 'origin', 'agent/A-backend');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('refused by path-scope');
    expect(r.stderr).toContain(`${bad.slice(0, 10)} web/smuggled name.tsx`);
    expect(r.stderr).not.toContain('backend/three.ts');
    expect(remoteSha('agent/A-backend')).toBe(before);
  });
});

describe('integration-ff-only', () => {
  it('refuses a lane pushing integration, even as a fast-forward', () => {
    // (git itself rejects a non-fast-forward before pre-push runs: make this one a fast-forward)
    w.must(w.lanes['B-ui']!, 'fetch', '-q', 'origin');
    w.must(w.lanes['B-ui']!, 'reset', '-q', '--hard', 'origin/master');
    commit(w, w.lanes['B-ui']!, ['web/b.tsx']);
    const before = remoteSha('master');
    const r = w.git(w.lanes['B-ui']!, 'push', '-q', 'origin', 'HEAD:master');
    expect(r.stderr).toContain('refused by integration-ff-only');
    expect(r.stderr).toContain('only the coordinator');
    expect(remoteSha('master')).toBe(before);
  });

  it('allows the coordinator a fast-forward and refuses a rewrite, forced or not', () => {
    commit(w, C(), ['docs/ff.md']);
    expect(w.git(C(), 'push', '-q', 'origin', 'master').status).toBe(0);
    w.must(C(), 'reset', '-q', '--hard', 'HEAD~1');
    commit(w, C(), ['docs/rewrite.md']);
    const before = remoteSha('master');
    const r = w.git(C(), 'push', '-q', '-f', 'origin', 'master');
    expect(r.stderr).toContain('refused by integration-ff-only');
    expect(r.stderr).toContain('not a fast-forward');
    expect(remoteSha('master')).toBe(before);
    w.must(C(), 'reset', '-q', '--hard', 'origin/master');
  });

  it('refuses deleting integration on the remote', () => {
    const r = w.git(C(), 'push', '-q', 'origin', ':master');
    expect(r.stderr).toContain('refused by integration-ff-only');
    expect(remoteSha('master')).not.toBe('');
  });

  it('refuses moving local integration from a lane', () => {
    // (git refuses `branch -f` of a branch checked out elsewhere by itself; update-ref does not)
    const before = w.must(A(), 'rev-parse', 'master');
    const r = w.git(A(), 'update-ref', 'refs/heads/master', 'HEAD');
    expect(r.stderr).toContain('refused by integration-ff-only');
    expect(w.must(A(), 'rev-parse', 'master')).toBe(before);
  });
});

describe('release-exact-sha', () => {
  it('refuses pushing release to a SHA that is not on the remote integration', () => {
    w.must(C(), 'switch', '-q', '-c', 'stray');
    commit(w, C(), ['docs/stray.md']);
    const before = remoteSha('release/platform-control');
    const r = w.git(C(), 'push', '-q', 'origin', 'HEAD:release/platform-control');
    expect(r.stderr).toContain('refused by release-exact-sha');
    expect(remoteSha('release/platform-control')).toBe(before);
    w.must(C(), 'switch', '-q', 'master');
  });

  it('refuses a lane pushing release at all', () => {
    const before = remoteSha('release/platform-control');
    const r = w.git(
      A(),
      'push',
      '-q',
      'origin',
      '+agent/A-backend:refs/heads/release/platform-control',
    );
    expect(r.stderr).toContain('refused by release-branch-commit');
    expect(remoteSha('release/platform-control')).toBe(before);
  });
});

describe('lane-unassigned at push', () => {
  it('refuses pushes from an unassigned worktree', () => {
    const dir = `${w.root}/unassigned`;
    w.must(C(), 'worktree', 'add', '-q', '-b', 'loose', dir);
    const r = w.git(dir, 'push', '-q', 'origin', 'loose');
    expect(r.stderr).toContain('refused by lane-unassigned');
    expect(remoteSha('loose')).toBe('');
  });
});
