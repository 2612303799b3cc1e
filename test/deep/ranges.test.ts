// rangeCounts (one graph walk for every lane's ahead/behind) against `git rev-list --count a..b`,
// and its merge bases against `git merge-base --all a b`, on random histories with merges,
// several roots and a tip that does not exist.
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { rangeCounts } from '../../src/git/ranges.js';
import { tmpDir } from '../helpers/world.js';

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@e',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@e',
};

describe('rangeCounts', () => {
  it('agrees with git rev-list --count for every pair of tips', async () => {
    const dir = tmpDir();
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' }).trim();
    git('init', '-q');
    const tree = git('mktree'); // the empty tree: the graph is all that matters
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
    let pairs = 0;
    for (let round = 0; round < 4; round++) {
      const commits: string[] = [];
      for (let i = 0; i < 60; i++) {
        const parents =
          !commits.length || rand() < 0.05 // a new root now and then: unrelated histories
            ? []
            : rand() < 0.2
              ? [pick(commits), pick(commits)]
              : [commits.at(-1 - Math.floor(rand() * Math.min(5, commits.length)))!];
        const ps = [...new Set(parents)].flatMap((p) => ['-p', p]);
        commits.push(git('commit-tree', tree, ...ps, '-m', `r${round} c${i}`));
      }
      git('update-ref', `refs/heads/r${round}`, commits.at(-1)!);
      const tips = [
        `refs/heads/r${round}`,
        ...Array.from({ length: 6 }, () => pick(commits)),
        'refs/remotes/origin/missing',
      ];
      const counts = await rangeCounts(tips, dir);
      for (const a of tips)
        for (const b of tips) {
          const expected =
            a.endsWith('missing') || b.endsWith('missing')
              ? null
              : Number(git('rev-list', '--count', `${a}..${b}`));
          expect(counts.count(a, b), `${a}..${b}`).toBe(expected);
          // The radar's merge bases from the same walk, against git's own (exit 1: none).
          const bases =
            expected === null
              ? null
              : spawnSync('git', ['merge-base', '--all', a, b], { cwd: dir, env, encoding: 'utf8' })
                  .stdout.split('\n')
                  .filter(Boolean)
                  .sort();
          expect(counts.mergeBases(a, b)?.sort() ?? null, `merge-base --all ${a} ${b}`).toEqual(
            bases,
          );
          pairs++;
        }
    }
    expect(pairs).toBe(4 * 8 * 8);
  });

  it('answers for no tips, and for one', async () => {
    const dir = tmpDir();
    execFileSync('git', ['init', '-q'], { cwd: dir });
    expect((await rangeCounts([], dir)).count('a', 'b')).toBeNull();
    expect((await rangeCounts(['HEAD'], dir)).count('HEAD', 'HEAD')).toBeNull(); // unborn
  });
});
