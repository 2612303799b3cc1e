// Commits in real lanes beyond the one case per rule and layer of test/commit-rules.test.ts (the
// deep tier, issue 29): hostile names allowed in scope, look-alike prefixes, renames, `commit -a`
// and partial commits, the coordinator, a lane's own rebase, roles given late or found by path,
// the release branch mirroring its remote and a refused reset, and a commit with no HEAD yet.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { commit, world } from '../helpers/world.js';
import { HOSTILE_NAMES } from '../helpers/setups.js';

const w = world(['A-backend', 'B-ui']);
const A = () => w.lanes['A-backend']!;

describe('path-scope at commit', () => {
  it('allows hostile names inside the scope', () => {
    const files = HOSTILE_NAMES.map((n) => `backend/${n}`);
    const r = commit(w, A(), files);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const committed = w
      .must(A(), 'show', '--name-only', '-z', '--format=', 'HEAD')
      .split('\0')
      .filter(Boolean);
    expect(committed.sort()).toEqual([...files].sort());
  });

  it('refuses a look-alike prefix', () => {
    const r = commit(w, A(), ['backend-x/evil.ts', 'backendx.ts']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('backend-x/evil.ts');
    expect(r.stderr).toContain('backendx.ts');
    w.must(A(), 'reset', '-q');
  });

  it('counts both sides of a rename', () => {
    commit(w, A(), ['backend/moved.ts']);
    w.must(A(), 'mv', 'backend/moved.ts', 'web/moved.ts');
    let r = w.git(A(), 'commit', '-q', '-m', 'rename out');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('web/moved.ts');
    expect(r.stderr).not.toMatch(/^\s+backend\/moved\.ts$/m);
    w.must(A(), 'reset', '-q', '--hard');

    w.must(A(), 'mv', 'web/index.html', 'backend/index.html');
    r = w.git(A(), 'commit', '-q', '-m', 'rename in');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^\s+web\/index\.html$/m);
    w.must(A(), 'reset', '-q', '--hard');
  });

  it('checks the temporary index of `commit -a` and of a partial commit', () => {
    w.write(A(), 'web/index.html', 'changed\n');
    let r = w.git(A(), 'commit', '-q', '-a', '-m', 'all');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('web/index.html');
    r = w.git(A(), 'commit', '-q', '-m', 'partial', '--', 'web/index.html');
    expect(r.status).toBe(1);
    w.must(A(), 'checkout', '--', 'web/index.html');
  });

  it('lets the coordinator change anything', () => {
    expect(commit(w, w.coordinator, ['web/coord.tsx', 'backend/coord.ts']).status).toBe(0);
  });
});

describe('lane-branch at commit', () => {
  it('lets a delivery lane rebase its own branch (rebase picks run no pre-commit, the final move is its own)', () => {
    commit(w, w.coordinator, ['docs/moved-on.md']);
    commit(w, A(), ['backend/r1.ts']);
    const r = w.git(A(), 'rebase', '-q', 'master');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(w.must(A(), 'merge-base', '--is-ancestor', 'master', 'HEAD')).toBe('');
  });
});

describe('unassigned worktrees', () => {
  it('governs a worktree once it is given a role, only at that role’s configured path', () => {
    const late = path.join(w.root, 'late');
    w.must(w.coordinator, 'worktree', 'add', '-q', '-b', 'agent/C-ops', late);
    const wrong = w.cli(late, 'install', '--role', 'C-ops');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('not at that role’s configured path');
    expect(commit(w, late, ['ops/a.sh']).stderr).toContain('refused by lane-unassigned');
    w.must(late, 'reset', '-q');
    w.must(w.coordinator, 'worktree', 'move', late, w.lane('C-ops'));
    w.mustCli(w.lane('C-ops'), 'install', '--role', 'C-ops');
    expect(commit(w, w.lane('C-ops'), ['ops/a.sh']).status).toBe(0);
    expect(commit(w, w.lane('C-ops'), ['web/a.tsx']).status).toBe(1);
  });

  it('finds the role of a worktree at its configured path without any recorded role', () => {
    const dir = w.lane('E-governance');
    w.must(w.coordinator, 'worktree', 'add', '-q', '-b', 'agent/E-governance', dir);
    expect(commit(w, dir, ['doc/governance/reviews/x.md']).status).toBe(0);
    expect(commit(w, dir, ['backend/x.ts']).stderr).toContain('refused by path-scope');
  });
});

describe('release-branch-commit', () => {
  const C = () => w.coordinator;
  beforeAll(() => {
    w.must(C(), 'switch', '-q', 'release/platform-control');
  });

  it('allows the local release branch to mirror the remote', () => {
    expect(w.must(C(), 'rev-parse', 'HEAD')).toBe(
      w.must(C(), 'rev-parse', 'origin/release/platform-control'),
    );
  });

  it('says how to put files back when a reset onto release is refused', () => {
    w.must(C(), 'switch', '-q', 'release/platform-control');
    const r = w.git(C(), 'reset', '-q', '--hard', 'master');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('git reset --hard HEAD');
    expect(w.must(C(), 'rev-parse', 'release/platform-control')).toBe(
      w.must(C(), 'rev-parse', 'origin/release/platform-control'),
    );
    w.must(C(), 'reset', '-q', '--hard', 'HEAD');
    expect(w.must(C(), 'status', '--porcelain')).toBe('');
    w.must(C(), 'switch', '-q', 'master');
  });
});

describe('a commit with no HEAD yet', () => {
  it('counts everything staged against the empty tree (an orphan branch in a lane)', () => {
    w.must(A(), 'switch', '-q', '--orphan', 'scratch-orphan'); // an empty index, no HEAD
    const r = commit(w, A(), ['backend/fine.ts', 'web/not-mine.tsx']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('refused by path-scope');
    expect(r.stderr).toContain('web/not-mine.tsx');
    expect(r.stderr).not.toContain('    backend/fine.ts');
    w.must(A(), 'rm', '-rq', '--cached', '.');
    w.must(A(), 'clean', '-fdq');
    w.must(A(), 'switch', '-q', '-f', 'agent/A-backend');
  });
});
