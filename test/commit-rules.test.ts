// Commits in real lanes: path-scope, lane-branch, lane-unassigned, release-branch-commit, one case
// per rule and layer. The other ways git commits: test/deep/commit-rules.test.ts (issue 29).
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { commit, snapshot, world } from './helpers/world.js';
import { HOSTILE_NAMES } from './helpers/setups.js';

const w = world(['A-backend', 'B-ui']);
const A = () => w.lanes['A-backend']!;

describe('path-scope at commit', () => {
  it('refuses hostile names outside the scope, names each unambiguously, and leaves refs and index alone', () => {
    const files = HOSTILE_NAMES.map((n) => `web/${n}`);
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
});

describe('release-branch-commit', () => {
  const C = () => w.coordinator;
  beforeAll(() => {
    // Integration has moved on past release (in test/deep/commit-rules.test.ts the coordinator's
    // own commits do that): a cherry-pick of master onto release is not empty.
    commit(w, C(), ['docs/moved-on.md']);
    w.must(C(), 'switch', '-q', 'release/platform-control');
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
});
