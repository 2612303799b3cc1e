// Commits in real lanes: path-scope, lane-branch, lane-unassigned, through every way git commits.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { commit, snapshot, world } from './helpers/world.js';

const w = world(['A-backend', 'B-ui']);
const A = () => w.lanes['A-backend']!;

const HOSTILE = [
  'with space.ts',
  'new\nline.ts',
  `quo"te's.ts`,
  'ünïcødé-ÄÖ.ts',
  'glob[*]?{a,b}!.ts',
  '-leading-dash.ts',
  '.dotfile',
  'tab\there.ts',
  'back\\slash.ts',
  'zero\u200bwidth.ts',
];

describe('path-scope at commit', () => {
  it('allows hostile names inside the scope', () => {
    const files = HOSTILE.map((n) => `backend/${n}`);
    const r = commit(w, A(), files);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const committed = w
      .must(A(), 'show', '--name-only', '-z', '--format=', 'HEAD')
      .split('\0')
      .filter(Boolean);
    expect(committed.sort()).toEqual([...files].sort());
  });

  it('refuses hostile names outside the scope, names each unambiguously, and leaves refs and index alone', () => {
    const files = HOSTILE.map((n) => `web/${n}`);
    for (const f of files) w.write(A(), f);
    w.must(A(), 'add', '--', ...files);
    const before = snapshot(w, A());
    const r = w.git(A(), 'commit', '-q', '-m', 'out of scope');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('refused by path-scope');
    expect(r.stderr).toContain(`${files.length} paths outside the scope`);
    expect(r.stderr).toContain('"web/new\\nline.ts"');
    expect(r.stderr).toContain('web/with space.ts');
    expect(r.stderr).toContain('LANES_OVERRIDE');
    expect(snapshot(w, A())).toBe(before);
    w.must(A(), 'reset', '-q');
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
  it('refuses commits on another branch in a delivery lane, --no-verify included', () => {
    w.must(A(), 'switch', '-q', '-c', 'scratch');
    let r = commit(w, A(), ['backend/on-scratch.ts']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('refused by lane-branch');
    expect(r.stderr).toContain('git switch agent/A-backend');
    const before = snapshot(w, A());
    r = w.git(A(), 'commit', '-q', '--no-verify', '-m', 'sneak');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('refused by lane-branch');
    expect(snapshot(w, A())).toBe(before);
    w.must(A(), 'reset', '-q', '--hard');
    w.must(A(), 'switch', '-q', 'agent/A-backend');
    w.must(A(), 'branch', '-q', '-D', 'scratch');
  });

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
  it('refuses commits in a plain `git worktree add` worktree, and in one made from a lane', () => {
    const scratch = path.join(w.root, 'scratch');
    w.must(w.coordinator, 'worktree', 'add', '-q', scratch);
    let r = commit(w, scratch, ['backend/x.ts']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('refused by lane-unassigned');
    expect(r.stderr).toContain('install --role');

    const fromLane = path.join(w.root, 'from-lane');
    w.must(A(), 'worktree', 'add', '-q', fromLane);
    r = commit(w, fromLane, ['backend/y.ts']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('refused by lane-unassigned');
    expect(r.stderr).toContain('copied by git worktree add');
  });

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

  it('refuses commit, --no-verify, cherry-pick and revert on it, leaving refs and index as they were', () => {
    const other = w.must(C(), 'rev-parse', 'master');
    const attempts: [string[], string][] = [
      [['commit', '-q', '--allow-empty', '-m', 'x'], 'git switch master'],
      [['commit', '-q', '--allow-empty', '--no-verify', '-m', 'x'], "bin/lanes-hooks' promote"],
      [['cherry-pick', other], 'git cherry-pick --abort'],
      [['revert', '--no-edit', 'HEAD'], 'git reset --hard HEAD'],
    ];
    for (const [args, fix] of attempts) {
      const before = w.must(C(), 'for-each-ref', '--format=%(refname) %(objectname)');
      const r = w.git(C(), ...args);
      expect(r.status, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).toContain('refused by release-branch-commit');
      expect(r.stderr, args.join(' ')).toContain(fix);
      expect(w.must(C(), 'for-each-ref', '--format=%(refname) %(objectname)')).toBe(before);
      w.git(C(), 'cherry-pick', '--abort');
      w.git(C(), 'revert', '--abort');
      w.must(C(), 'reset', '-q', '--hard');
    }
  });

  it('refuses branch -f and update-ref from the coordinator and from a lane', () => {
    for (const dir of [C(), A()]) {
      const before = w.must(dir, 'for-each-ref', '--format=%(refname) %(objectname)');
      for (const args of [
        ['branch', '-f', 'release/platform-control', 'master'],
        ['update-ref', 'refs/heads/release/platform-control', 'master'],
      ]) {
        if (dir === C()) w.must(C(), 'switch', '-q', 'master');
        const r = w.git(dir, ...args);
        expect(r.status).not.toBe(0);
        expect(r.stderr).toContain('refused by release-branch-commit');
        expect(w.must(dir, 'for-each-ref', '--format=%(refname) %(objectname)')).toBe(before);
      }
    }
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
