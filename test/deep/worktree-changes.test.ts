// worktreeChanges (src/git/repo.ts): what the after-shell check reports to an agent as changed in
// its worktree. Real git in temporary repositories, called in process (the subject is the git
// call and its parsing, not a process boundary).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { worktreeChanges } from '../../src/git/repo.js';
import { tmpDir } from '../helpers/world.js';

function repo(): { dir: string; git: (...args: string[]) => string } {
  const dir = tmpDir('lanes-wtc-');
  const git = (...args: string[]) => {
    const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'lane@example.com');
  git('config', 'user.name', 'lane');
  return { dir, git };
}

const sorted = (r: { tracked: string[]; untracked: string[] }) => ({
  tracked: [...r.tracked].sort(),
  untracked: [...r.untracked].sort(),
});

describe('worktreeChanges', () => {
  it('does not report a file only touched (same bytes, new mtime), and reports one rewritten', () => {
    const { dir, git } = repo();
    writeFileSync(path.join(dir, 'a.txt'), 'one\n');
    writeFileSync(path.join(dir, 'b.txt'), 'two\n');
    git('add', '.');
    git('commit', '-qm', 'init');
    const later = new Date(Date.now() + 5_000);
    utimesSync(path.join(dir, 'a.txt'), later, later);
    // diff-index trusts the index's stat data: the touched file is "changed" to it.
    expect(git('diff-index', '--name-only', 'HEAD', '--').trim()).toBe('a.txt');
    expect(worktreeChanges(dir)).toEqual({ tracked: [], untracked: [] });
    writeFileSync(path.join(dir, 'b.txt'), 'three\n');
    expect(worktreeChanges(dir)).toEqual({ tracked: ['b.txt'], untracked: [] });
  });

  it('lists staged, deleted, unmerged-free changes and untracked files whatever their names', () => {
    const { dir, git } = repo();
    const names = ['keep.txt', 'gone.txt', 'with space.txt', 'quote"d.txt', 'ünï.txt'];
    for (const n of names) writeFileSync(path.join(dir, n), `${n}\n`);
    git('add', '.');
    git('commit', '-qm', 'init');
    rmSync(path.join(dir, 'gone.txt'));
    writeFileSync(path.join(dir, 'with space.txt'), 'changed\n');
    writeFileSync(path.join(dir, 'staged new.txt'), 'new\n');
    git('add', 'staged new.txt');
    git('mv', 'quote"d.txt', 'moved.txt');
    mkdirSync(path.join(dir, 'dir with space'));
    writeFileSync(path.join(dir, 'dir with space', 'line\nbreak.txt'), 'x\n');
    writeFileSync(path.join(dir, 'ignored.log'), 'x\n');
    writeFileSync(path.join(dir, '.gitignore'), '*.log\n');
    expect(sorted(worktreeChanges(dir))).toEqual({
      // A move is its two halves (--no-renames): the scope check sees both paths.
      tracked: ['gone.txt', 'moved.txt', 'quote"d.txt', 'staged new.txt', 'with space.txt'],
      untracked: ['.gitignore', 'dir with space/line\nbreak.txt'],
    });
  });

  it('works before the first commit: every staged file is new', () => {
    const { dir, git } = repo();
    writeFileSync(path.join(dir, 'first.txt'), 'x\n');
    writeFileSync(path.join(dir, 'loose.txt'), 'x\n');
    git('add', 'first.txt');
    expect(worktreeChanges(dir)).toEqual({ tracked: ['first.txt'], untracked: ['loose.txt'] });
  });

  it('settings a lane controls hide nothing: status.showUntrackedFiles=no, status.renames, a submodule ignore', () => {
    const { dir, git } = repo();
    writeFileSync(path.join(dir, 'a.txt'), 'one\n');
    git('add', '.');
    git('commit', '-qm', 'init');
    git('config', 'status.showUntrackedFiles', 'no');
    git('config', 'status.renames', 'true');
    git('config', 'status.branch', 'true');
    git('config', 'status.showStash', 'true');
    git('config', 'diff.ignoreSubmodules', 'all');
    git('mv', 'a.txt', 'b.txt');
    writeFileSync(path.join(dir, 'new.txt'), 'x\n');
    expect(sorted(worktreeChanges(dir))).toEqual({
      tracked: ['a.txt', 'b.txt'],
      untracked: ['new.txt'],
    });
  });

  it('route: a lane marks a file fsmonitor-valid under a monitor that always answers "nothing changed"; the change is still reported', () => {
    const { dir, git } = repo();
    writeFileSync(path.join(dir, 'a.txt'), 'one\n');
    git('add', '.');
    git('commit', '-qm', 'init');
    // core.fsmonitor names a program (git-config(1)); protocol 2 answers "<token>\0<paths…>":
    // a token and no paths says nothing changed since the last query.
    const liar = path.join(dir, '.git', 'liar');
    writeFileSync(liar, '#!/bin/sh\nprintf "token\\0"\n');
    chmodSync(liar, 0o755);
    git('config', 'core.fsmonitor', liar);
    git('update-index', '--fsmonitor');
    git('status', '--porcelain');
    git('update-index', '--fsmonitor-valid', 'a.txt');
    writeFileSync(path.join(dir, 'a.txt'), 'changed by the lane\n');
    // The route works against git status as the lane configured it (the call worktreeChanges
    // makes, without its pin). diff-index is not asserted: whether it sees the change depends on
    // timing (in 40 parallel runs of these steps it missed it in most, saw it in 3 to 7).
    expect(git('status', '--porcelain').trim()).toBe('');
    expect(worktreeChanges(dir)).toEqual({ tracked: ['a.txt'], untracked: [] });
  });
});
