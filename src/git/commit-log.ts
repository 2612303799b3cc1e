// Who made a range of commits: one `git log` with every output-affecting option pinned.
import { gitMaybe } from './exec.js';

export interface CommitLine {
  sha: string;
  /** "Name <email>" as the commit says it (unverified: anyone can write any author). */
  author: string;
  subject: string;
}

/** The commits in `tip` and not in `base`, newest first, at most `limit`. */
export function commitsBetween(
  base: string,
  tip: string,
  limit: number,
  cwd?: string,
): CommitLine[] {
  const out = gitMaybe(
    [
      'log',
      '-z',
      '--no-color',
      '--no-show-signature',
      '--no-mailmap',
      '--format=%H%x1f%an <%ae>%x1f%s',
      `--max-count=${limit}`,
      '--end-of-options',
      tip,
      `^${base}`,
    ],
    { cwd },
  );
  if (!out) return [];
  return out
    .split('\0')
    .filter(Boolean)
    .map((rec) => {
      const [sha = '', author = '', subject = ''] = rec.replace(/^\n/, '').split('\x1f');
      return { sha, author, subject };
    });
}
