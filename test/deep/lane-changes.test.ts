// laneChanges (land's batch: every lane's commits and net effect against integration from one
// rev-list and one diff-tree) against commitPaths and netPaths asked one lane at a time, on
// random histories with merges (criss-crosses: several merge bases), new roots (unrelated
// histories) and files changing, and against a tip that does not exist.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { commitPaths, netPaths } from '../../src/git/history.js';
import { laneChanges } from '../../src/git/lane-changes.js';
import { tmpDir } from '../helpers/world.js';

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@e',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@e',
};

describe('laneChanges', () => {
  it('agrees with commitPaths and netPaths for every tip against every base', () => {
    const dir = tmpDir();
    const git = (args: string[], extra: Record<string, string> = {}, input?: string) =>
      execFileSync('git', args, {
        cwd: dir,
        env: { ...env, ...extra },
        encoding: 'utf8',
        input,
      }).trim();
    git(['init', '-q']);
    const blobs = ['a', 'b', 'c'].map((t) => git(['hash-object', '-w', '--stdin'], {}, `${t}\n`));
    const index = { GIT_INDEX_FILE: `${dir}/.git/bench-index` };
    let seed = 11;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
    let multi = 0;
    let unrelated = 0;
    for (let round = 0; round < 3; round++) {
      const commits: string[] = [];
      for (let i = 0; i < 40; i++) {
        const parents =
          !commits.length || rand() < 0.05
            ? []
            : rand() < 0.25
              ? [pick(commits), pick(commits)]
              : [commits.at(-1 - Math.floor(rand() * Math.min(6, commits.length)))!];
        const ps = [...new Set(parents)];
        if (ps.length) git(['read-tree', `${ps[0]}^{tree}`], index);
        else git(['read-tree', '--empty'], index);
        // One or two files changed (or removed) in a few folders.
        for (let k = 0; k < 1 + Math.floor(rand() * 2); k++) {
          const file = `${pick(['x', 'y', 'z'])}/f${Math.floor(rand() * 4)}`;
          if (rand() < 0.15) git(['update-index', '--force-remove', file], index);
          else
            git(['update-index', '--add', '--cacheinfo', `100644,${pick(blobs)},${file}`], index);
        }
        const tree = git(['write-tree'], index);
        commits.push(git(['commit-tree', tree, ...ps.flatMap((p) => ['-p', p]), '-m', `c${i}`]));
      }
      const tips = Array.from({ length: 8 }, () => pick(commits));
      for (const base of Array.from({ length: 4 }, () => pick(commits))) {
        // Tips with commits of their own (land asks for no other): base..tip not empty.
        const ahead = tips.filter((t) => git(['rev-list', '--count', t, '--not', base]) !== '0');
        const got = laneChanges(ahead, base, dir);
        // No such commit: git cannot walk it, and the caller asks each lane alone (and says why).
        expect(laneChanges([...ahead, 'f'.repeat(40)], base, dir).size).toBe(0);
        for (const t of ahead) {
          const net = netPaths(t, base, dir);
          if (net.bases.length > 1) multi++;
          if (!net.bases.length) unrelated++;
          const want = { commits: commitPaths([t], [base], dir), net };
          const have = got.get(t)!;
          // The same commits with the same paths; the order is one walk's of all tips (ordered: false).
          const byId = (cs: typeof want.commits) =>
            [...cs].sort((x, y) => (x.commit < y.commit ? -1 : 1));
          expect(have.ordered).toBe(false);
          expect(byId(have.commits), `${t} --not ${base}`).toEqual(byId(want.commits));
          expect(have.net.bases.sort()).toEqual([...want.net.bases].sort());
          expect(have.net.paths.sort()).toEqual([...want.net.paths].sort());
        }
      }
    }
    // The random histories held the cases the batch handles differently.
    expect(multi).toBeGreaterThan(0);
    expect(unrelated).toBeGreaterThan(0);
  });
});
