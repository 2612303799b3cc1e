// The paths each commit of a range changes, in one `git log` (exact bytes with -z).
import { gitBytes } from './exec.js';

export interface CommitPaths {
  commit: string;
  paths: string[];
}

/**
 * Commits reachable from `tips` but not from `exclude`, with the paths each changes: both sides of
 * a rename; for a merge only what differs from every parent (its own resolution, not what it brought).
 */
export function commitPaths(tips: string[], exclude: string[], cwd?: string): CommitPaths[] {
  if (!tips.length) return [];
  const out = gitBytes(
    [
      'log',
      '-z',
      '--no-renames',
      '--no-ext-diff',
      '--name-only',
      '--diff-merges=c',
      '--format=%x00%H',
      ...tips,
      '--not',
      ...exclude,
      '--',
    ],
    { cwd },
  ).toString('utf8');
  // Layout: "\0<sha>\0\n<path>\0<path>\0\0<sha>\0…": an empty field (no path is empty) announces
  // a SHA, and one newline separates the SHA's line from its first path.
  const result: CommitPaths[] = [];
  let cur: CommitPaths | null = null;
  let expectSha = false;
  let first = false;
  for (const field of out.split('\0')) {
    if (field === '') {
      expectSha = true;
    } else if (expectSha) {
      cur = { commit: field, paths: [] };
      result.push(cur);
      expectSha = false;
      first = true;
    } else if (cur) {
      const p = first ? field.replace(/^\n/, '') : field;
      first = false;
      if (p) cur.paths.push(p);
    }
  }
  return result;
}
