// The conflict radar's git layer (src/git/merge-tree.ts) against a hostile configuration: every
// key that would change which paths merge-tree reports is set the other way, and a worktree holds
// a `.gitattributes` with a union merge driver; the pinned probe answers as git's defaults would.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeMerge, RadarCache, radarCacheFile } from '../../src/git/merge-tree.js';
import { tmpDir } from '../helpers/world.js';

const root = tmpDir('lanes-merge-tree-');
const repo = path.join(root, 'repo');
const hostile = path.join(root, 'hostile.gitconfig');
const attributes = path.join(root, 'attributes');
const env = { ...process.env, GIT_CONFIG_GLOBAL: hostile, GIT_CONFIG_NOSYSTEM: '1' };
const git = (...args: string[]) =>
  execFileSync('git', args, { cwd: repo, env, encoding: 'utf8' }).trim();
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
  writeFileSync(path.join(repo, file), text);
};
/** The same question without the pins, from the worktree: what the pins protect against. */
const unpinned = (a: string, b: string) =>
  spawnSync('git', ['merge-tree', '--write-tree', '--name-only', '--no-messages', a, b], {
    cwd: repo,
    env,
    encoding: 'utf8',
  });
const commonDir = () => path.join(repo, '.git');
let saved: NodeJS.ProcessEnv;

beforeAll(() => {
  writeFileSync(attributes, '* merge=union\n');
  writeFileSync(
    hostile,
    `[user]\n\tname = T\n\temail = t@example.com\n[init]\n\tdefaultBranch = master\n` +
      `[merge]\n\tdirectoryRenames = conflict\n\trenames = false\n\trenameLimit = 1\n` +
      `[diff]\n\trenames = false\n[core]\n\tattributesFile = ${attributes}\n`,
  );
  // probeMerge runs git with the test's own environment: make it the hostile one.
  saved = { ...process.env };
  process.env.GIT_CONFIG_GLOBAL = hostile;
  process.env.GIT_CONFIG_NOSYSTEM = '1';
  execFileSync('git', ['init', '-q', repo], { env });
  write('d/a', '1\n');
  write('d/b', '2\n');
  write('f', 'one\ntwo\nthree\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  git('switch', '-q', '-c', 'A');
  git('mv', 'd', 'e');
  write('f', 'one\nTWO from A\nthree\n');
  git('commit', '-q', '-am', 'A: rename d to e, edit f');
  git('switch', '-q', '-c', 'B', 'master');
  write('d/new', 'new\n');
  write('f', 'one\nTWO from B\nthree\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'B: add d/new, edit f');
  git('switch', '-q', 'master');
  write('.gitattributes', 'f merge=union\n'); // uncommitted, in the worktree
  return () => {
    process.env = saved;
  };
});

describe('merge-tree probes', () => {
  it('report what the pinned options say, whatever the configuration and the worktree say', () => {
    const [a, b] = [git('rev-parse', 'A'), git('rev-parse', 'B')];
    // Unpinned, from the worktree: the union driver hides f's conflict, and directory renames
    // report d/new as a conflict (file location).
    const plain = unpinned(a, b);
    expect(plain.stdout).not.toMatch(/^f$/m);
    expect(plain.stdout).toMatch(/^e\/new$/m);
    // Pinned, in the common git dir: f conflicts, d/new stays where B added it.
    expect(probeMerge(a, b, commonDir())).toEqual({ clean: false, paths: ['f'] });
  });

  it('says clean, or nothing at all for what git cannot merge', () => {
    const base = git('rev-parse', 'master');
    expect(probeMerge(base, git('rev-parse', 'A'), commonDir())).toEqual({
      clean: true,
      paths: [],
    });
    const orphan = git('commit-tree', '-m', 'unrelated', git('write-tree'));
    expect(probeMerge(orphan, base, commonDir())).toBeNull();
    expect(probeMerge('0'.repeat(40), base, commonDir())).toBeNull();
  });

  it('keeps answers by commit ids: a second cache computes nothing, batch and single agree', () => {
    const [m, a, b] = ['master', 'A', 'B'].map((r) => git('rev-parse', r)) as [
      string,
      string,
      string,
    ];
    const first = new RadarCache(commonDir());
    // Batched (two questions or more) …
    first.prefetch(
      [
        [a, b],
        [m, a],
      ],
      [
        [a, m],
        [b, m],
      ],
    );
    expect(first.counts).toEqual({ mergeTrees: 2, diffs: 2, cached: 0 });
    const batched = [first.merge(a, b), first.changed(a, m).sort(), first.changed(b, m).sort()];
    expect(first.counts.cached).toBe(0); // computed this run, not cache hits
    first.save();
    // … equal to the single commands, and to a fresh process's read of the file.
    expect(batched).toEqual([
      probeMerge(a, b, commonDir()),
      ['d/a', 'd/b', 'e/a', 'e/b', 'f'],
      ['d/new', 'f'],
    ]);
    const second = new RadarCache(commonDir());
    expect(second.merge(b, a)).toEqual({ clean: false, paths: ['f'] });
    expect(second.changed(b, m).sort()).toEqual(['d/new', 'f']);
    expect(second.counts).toEqual({ mergeTrees: 0, diffs: 0, cached: 2 });
    // A damaged cache file is ignored and the answers computed again.
    writeFileSync(radarCacheFile(commonDir()), '{ not json');
    const third = new RadarCache(commonDir());
    expect(third.merge(a, b)).toEqual({ clean: false, paths: ['f'] });
    expect(third.counts).toEqual({ mergeTrees: 1, diffs: 0, cached: 0 });
  });
});
