// status's shortcuts never give a stale answer: the recorded roles read for every lane from one git
// call equal what git says in each lane, and a lane's remembered `git status` is given back only
// while nothing it depends on changed (an edit that keeps size and mtime, a moved ref, a new file,
// a changed setting).
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitDirOf, scopedConfigsArgs, scopedConfigsFrom } from '../../src/git/repo.js';
import { commit, world } from '../helpers/world.js';

const ROLES = ['A-backend', 'B-ui', 'C-ops'];
const KEYS = /^(lanes\.|core\.hookspath$)/;
const PER_LANE = ['config', '-z', '--show-scope', '--get-regexp', '^(lanes\\.|core\\.hookspath$)'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('every lane’s config from one git call', () => {
  const sb = world(ROLES);
  const dirs = [sb.coordinator, ...ROLES.map((r) => sb.lanes[r]!)];
  const common = sb.must(sb.coordinator, 'rev-parse', '--path-format=absolute', '--git-common-dir');
  const derive = () => {
    const gitDirs = dirs.map((d) => gitDirOf(d)!);
    const out = sb.git(common, ...scopedConfigsArgs(gitDirs));
    return scopedConfigsFrom(out.status === 0 ? out.stdout : null, common, gitDirs, KEYS);
  };
  const truth = () => dirs.map((d) => sb.git(d, ...PER_LANE).stdout);

  it('equals what git prints in each lane, value-less keys and a role changed since included', () => {
    sb.must(sb.lanes['B-ui']!, 'config', '--worktree', 'lanes.owner', 'bob');
    writeFileSync(
      path.join(gitDirOf(sb.lanes['C-ops']!)!, 'config.worktree'),
      readFileSync(path.join(gitDirOf(sb.lanes['C-ops']!)!, 'config.worktree'), 'utf8') +
        '[lanes]\n\tflag\n\tempty =\n',
    );
    const got = derive();
    expect(got.every((g) => g !== null)).toBe(true);
    expect(got).toEqual(truth());
    expect(got[1]).toContain('lanes.role\nA-backend');
    sb.must(sb.lanes['A-backend']!, 'config', '--worktree', 'lanes.role', 'B-ui');
    expect(derive()[1]).toContain('lanes.role\nB-ui');
    expect(derive()).toEqual(truth());
    sb.must(sb.lanes['A-backend']!, 'config', '--worktree', 'lanes.role', 'A-backend');
  });

  it('without extensions.worktreeConfig no lane has a worktree scope, as in git', () => {
    sb.must(sb.coordinator, 'config', '--local', 'extensions.worktreeConfig', 'false');
    try {
      const got = derive();
      expect(got).toEqual(truth());
      expect(got[1]).not.toContain('worktree\0');
    } finally {
      sb.must(sb.coordinator, 'config', '--local', 'extensions.worktreeConfig', 'true');
    }
  });

  it('gives up (each lane asks git) on a conditional include, or an include in a lane’s config', () => {
    sb.must(sb.coordinator, 'config', '--local', 'includeIf.gitdir:/nowhere/.path', '/dev/null');
    expect(derive().every((g) => g === null)).toBe(true);
    sb.must(sb.coordinator, 'config', '--local', '--remove-section', 'includeIf.gitdir:/nowhere/');
    sb.must(sb.lanes['B-ui']!, 'config', '--worktree', 'include.path', '/dev/null');
    expect(derive().every((g) => g === null)).toBe(true);
    sb.must(sb.lanes['B-ui']!, 'config', '--worktree', '--unset', 'include.path');
    expect(derive()).toEqual(truth());
  });
});

describe('status remembers a lane’s git status only while nothing changed', () => {
  const sb = world(ROLES);
  const trace = path.join(sb.root, 'trace.json');
  // One fixed trace file for every run: the environment is part of the cache's key.
  const status = () => {
    writeFileSync(trace, '');
    const r = sb.run(sb.coordinator, process.execPath, [sb.cliFile, 'status', '--json'], {
      GIT_TRACE2_EVENT: trace,
    });
    expect(r.status, r.stderr).toBe(0);
    const asked = readFileSync(trace, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"event":"start"') && /"status","--porcelain"/.test(l))
      .map((l) => /"-C","([^"]+)"/.exec(l)?.[1]);
    return { json: JSON.parse(r.stdout), asked };
  };
  const row = (s: { lanes: { role: string; dirty: number; path: string }[] }, role: string) =>
    s.lanes.find((l) => l.role === role)!;
  const A = () => sb.lanes['A-backend']!;
  const B = () => sb.lanes['B-ui']!;

  it('asks git once, then answers from the cache; an edit that keeps size and mtime shows', async () => {
    commit(sb, A(), ['backend/a.ts']);
    commit(sb, B(), ['web/b.tsx']);
    // The first status after a commit may rewrite the lanes' indexes (git refreshes racily clean
    // entries); answers are kept once everything is older than the racy window.
    await sleep(3500);
    expect(status().asked.length).toBe(4); // the coordinator and three lanes: nothing kept yet
    await sleep(3500);
    const first = status();
    const second = status();
    expect(second.asked).toEqual([]);
    expect(second.json.lanes).toEqual(first.json.lanes);
    expect(row(second.json, 'A-backend').dirty).toBe(0);

    // Same size, mtime put back: only ctime (and the content) differ, the index is untouched.
    const file = path.join(A(), 'backend/a.ts');
    const before = statSync(file);
    writeFileSync(file, 'backend/a.tx\n');
    utimesSync(file, before.atime, before.mtime);
    expect(statSync(file).size).toBe(before.size);
    const third = status();
    expect(third.asked).toEqual([A()]);
    expect(row(third.json, 'A-backend').dirty).toBe(1);
    expect(sb.must(A(), 'status', '--porcelain')).toBe('M backend/a.ts');
  });

  it('a new untracked file, and a moved ref with the files and index as they were, show', async () => {
    await sleep(3500);
    expect(status().asked.length).toBeGreaterThan(0); // the edited lane's new state is kept now
    expect(status().asked).toEqual([]);
    sb.write(B(), 'web/new.tsx');
    const s = status();
    expect(s.asked).toEqual([B()]);
    expect(row(s.json, 'B-ui').dirty).toBe(1);

    await sleep(3500);
    status();
    expect(status().asked).toEqual([]);
    const C = sb.lanes['C-ops']!;
    // The branch moves back one commit; the index and the files stay: git status shows the diff.
    commit(sb, C, ['ops/c.sh']);
    await sleep(3500);
    status();
    expect(row(status().json, 'C-ops').dirty).toBe(0);
    sb.must(C, 'update-ref', 'refs/heads/agent/C-ops', 'HEAD~1');
    const moved = status();
    expect(moved.asked).toContain(C);
    expect(row(moved.json, 'C-ops').dirty).toBe(1);
  });

  it('a changed setting is another key: status.showUntrackedFiles=no hides the new file', async () => {
    await sleep(3500);
    status();
    expect(row(status().json, 'B-ui').dirty).toBe(1);
    sb.must(B(), 'config', '--worktree', 'status.showUntrackedFiles', 'no');
    const s = status();
    expect(s.asked).toContain(B());
    expect(row(s.json, 'B-ui').dirty).toBe(0);
    // The answer still equals git's own, whatever the cache held.
    expect(sb.must(B(), 'status', '--porcelain')).toBe('');
  });
});
