// Odd layouts: a bare hub, moved and pruned worktrees, gc, odd paths, GIT_DIR from the caller.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../../../src/demo/sandbox.js';
import { claim, CLI, commit, tmpDir, world } from '../../helpers/world.js';
import { coordinatorSandbox } from '../../helpers/template.js';

describe('a bare hub with linked worktrees', () => {
  it('installs without breaking the worktrees (core.bare moves into the hub), governs them, and uninstalls back', () => {
    const sb = coordinatorSandbox({ install: false });
    const hub = path.join(sb.root, 'hub.git');
    sb.must(sb.root, 'clone', '-q', '--bare', sb.remote, hub);
    const lane = path.join(sb.root, 'gpuas-B-ui');
    sb.must(hub, 'worktree', 'add', '-q', '-b', 'agent/B-ui', lane, 'master');
    sb.mustCli(lane, 'install', '--role', 'B-ui');
    expect(sb.must(hub, 'config', '--local', '--get', 'extensions.worktreeConfig')).toBe('true');
    expect(sb.git(lane, 'status', '--porcelain').status).toBe(0);
    expect(sb.must(hub, 'rev-parse', '--is-bare-repository')).toBe('true');
    expect(commit(sb, lane, ['web/ok.tsx']).status).toBe(0);
    expect(commit(sb, lane, ['backend/no.ts']).stderr).toContain('refused by path-scope');
    sb.must(lane, 'reset', '-q');
    sb.mustCli(lane, 'uninstall');
    expect(sb.must(hub, 'config', '--local', '--get', 'core.bare')).toBe('true');
    expect(sb.git(lane, 'status', '--porcelain').status).toBe(0);
  });
});

describe('worktrees that move, vanish, and get collected', () => {
  const w = world(['A-backend']);

  it('a lane moved with git worktree move away from its configured path keeps its guard, not its role', () => {
    // A role is bound to its `worktrees` path (LANES-SPEC §3): elsewhere the worktree is no lane
    // and refuses everything until it is moved back (or the config names its new place).
    const moved = path.join(w.root, 'elsewhere', 'A lane ünï');
    mkdirSync(path.dirname(moved));
    w.must(w.coordinator, 'worktree', 'move', w.lanes['A-backend']!, moved);
    expect(commit(w, moved, ['backend/after-move.ts']).stderr).toContain(
      'refused by lane-unassigned',
    );
    w.must(moved, 'reset', '-q');
    const doctor = JSON.parse(w.cli(moved, 'doctor', '--json').stdout).worktrees[0];
    expect(doctor.role).toBeNull();
    expect(JSON.stringify(doctor)).toContain("not at that role's configured path");
    w.must(w.coordinator, 'worktree', 'move', moved, w.lanes['A-backend']!);
    expect(commit(w, w.lanes['A-backend']!, ['backend/after-move.ts']).status).toBe(0);
    expect(commit(w, w.lanes['A-backend']!, ['web/after-move.tsx']).stderr).toContain(
      'refused by path-scope',
    );
    w.must(w.lanes['A-backend']!, 'reset', '-q');
  });

  it('git worktree prune and git gc --prune=now keep the store and the hooks', () => {
    w.mustCli(w.coordinator, 'queue', 'add', 'survive gc');
    const gone = path.join(w.root, 'gone');
    w.must(w.coordinator, 'worktree', 'add', '-q', gone);
    w.run(w.root, 'rm', ['-rf', gone]);
    w.must(w.coordinator, 'worktree', 'prune');
    w.must(w.coordinator, 'gc', '-q', '--prune=now');
    expect(
      JSON.parse(w.mustCli(w.coordinator, 'queue', 'list', '--json')).tasks.map(
        (t: { title: string }) => t.title,
      ),
    ).toEqual(['survive gc']);
    expect(w.cli(w.coordinator, 'doctor').status).toBe(0);
  });

  it('GIT_DIR and GIT_WORK_TREE set by the caller still find the lane', () => {
    const lane = w.lanes['A-backend']!;
    const gitDir = w.must(lane, 'rev-parse', '--absolute-git-dir');
    w.write(lane, 'web/via-env.tsx');
    w.must(lane, 'add', '--', 'web/via-env.tsx');
    const r = w.run(w.root, 'git', ['commit', '-q', '-m', 'via env'], {
      GIT_DIR: gitDir,
      GIT_WORK_TREE: lane,
    });
    expect(r.stderr).toContain('refused by path-scope');
    w.must(lane, 'reset', '-q');
  });
});

describe('pack-refs and gc', () => {
  it('run in every kind of lane (git sends every loose ref as set to its own value), and the rules still hold', () => {
    const w = world(['A-backend', 'D-arch']);
    commit(w, w.coordinator, ['docs/not-pushed-yet.md']); // master ahead of origin/master
    const sha = w.must(w.coordinator, 'rev-parse', 'master');
    for (const dir of [w.lanes['A-backend']!, w.lanes['D-arch']!, w.coordinator]) {
      // Loose refs of every governed kind, as git leaves them: integration, release, another
      // lane's branch, a review mirror (written as files, at the values they already have).
      for (const ref of ['master', 'release/platform-control', 'agent/B-ui', 'review/D-arch']) {
        const file = path.join(w.coordinator, '.git/refs/heads', ref);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, `${sha}\n`);
      }
      const r = w.git(dir, 'pack-refs', '--all');
      expect(r.status, r.stderr).toBe(0);
      expect(existsSync(path.join(w.coordinator, '.git/refs/heads/master'))).toBe(false);
      expect(w.git(dir, 'gc', '-q').status).toBe(0);
    }
    const A = w.lanes['A-backend']!;
    expect(w.git(A, 'update-ref', 'refs/heads/master', 'master').status).toBe(0); // its own value: no move
    commit(w, A, ['backend/after-gc.ts']);
    const moved = w.git(A, 'update-ref', 'refs/heads/master', 'HEAD');
    expect(moved.stderr).toContain('refused by integration-ff-only');
  });
});

describe('a repository path with spaces, quotes and unicode', () => {
  it('installs, enforces, pushes and reports status', () => {
    const sb = new Sandbox(path.join(tmpDir(), `my repo ünï «x» it's "q"`), CLI);
    sb.createCoordinator();
    sb.mustCli(sb.coordinator, 'setup');
    const A = sb.lane('A-backend');
    expect(commit(sb, A, ['backend/a.ts']).status).toBe(0);
    expect(commit(sb, A, ['web/a.tsx']).stderr).toContain('refused by path-scope');
    sb.must(A, 'reset', '-q');
    claim(sb, A, 'A-backend', 'me');
    expect(sb.git(A, 'push', '-q', 'origin', 'agent/A-backend').status).toBe(0);
    sb.write(A, 'backend/dirty.ts');
    const rows = JSON.parse(sb.mustCli(sb.coordinator, 'status', '--json')).lanes;
    expect(rows.find((r: { role: string }) => r.role === 'A-backend')).toMatchObject({
      path: A,
      ahead: 1,
      behind: 0,
      dirty: 2, // backend/dirty.ts, and web/a.tsx left behind by the refused commit
      hooks: 'ok',
      claim: { owner: 'me' },
    });
  });
});

describe('a submodule', () => {
  it('does not confuse the hooks of the repository that holds it', () => {
    const w = world(['A-backend']);
    const lib = path.join(w.root, 'lib');
    w.must(w.root, 'init', '-q', lib);
    w.must(lib, 'commit', '-q', '--allow-empty', '-m', 'lib');
    // The coordinator adds it (a lane may not: .gitmodules lies outside every delivery scope).
    w.must(
      w.coordinator,
      '-c',
      'protocol.file.allow=always',
      'submodule',
      'add',
      '-q',
      lib,
      'backend/lib',
    );
    expect(w.git(w.coordinator, 'commit', '-q', '-m', 'add submodule').status).toBe(0);
    const A = w.lanes['A-backend']!;
    w.must(A, 'rebase', '-q', 'master');
    expect(commit(w, A, ['backend/next-to-lib.ts']).status).toBe(0);
    expect(commit(w, A, ['web/x.tsx']).stderr).toContain('refused by path-scope');
  });
});
