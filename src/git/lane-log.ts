// What the dashboard's lane detail reads on demand: a lane's own commits with their trailers, and
// its diff stat against where it left integration. Exact layer: every output-changing option on
// the command line (docs/git-facts.md).
import { gitBytes, splitZ } from './exec.js';
import { TRAILER_PINS } from './trailers.js';

export interface LaneCommit {
  sha: string;
  author: string;
  /** Author date, strict ISO 8601. */
  date: string;
  subject: string;
  trailers: Record<string, string[]>;
}

/**
 * The commits of `tip` not reachable from `integration`, newest first, at most `max`.
 * `--encoding=UTF-8` (i18n.logOutputEncoding), `--no-show-signature` (log.showSignature),
 * `--no-color`, `--no-mailmap` (log.mailmap); %s is the subject joined into one line, so each
 * record's first four lines are fixed and the rest are the trailers, unfolded.
 */
export function commitsBeyond(
  tip: string,
  integration: string | null,
  cwd?: string,
  max = 200,
): LaneCommit[] {
  const out = gitBytes(
    [
      ...TRAILER_PINS,
      'log',
      '-z',
      '--encoding=UTF-8',
      '--no-show-signature',
      '--no-color',
      '--no-mailmap',
      `--max-count=${max}`,
      '--format=%H%n%an%n%aI%n%s%n%(trailers:only=true,unfold=true)',
      tip,
      ...(integration ? ['--not', integration] : []),
      '--',
    ],
    { cwd },
  ).toString('utf8');
  return out
    .split('\0')
    .filter(Boolean)
    .map((rec) => {
      const [sha = '', author = '', date = '', subject = '', ...lines] = rec.split('\n');
      const trailers: Record<string, string[]> = {};
      for (const l of lines) {
        const m = /^([^:\s][^:]*):\s?(.*)$/.exec(l);
        if (m) (trailers[m[1]!] ??= []).push(m[2]!.trim());
      }
      return { sha, author, date, subject, trailers };
    });
}

export interface FileStat {
  path: string;
  /** Lines added and deleted; null for a binary file. */
  added: number | null;
  deleted: number | null;
}

/**
 * Lines added and deleted per path from `base` to `tip` (trees compared, two-dot), numstat with
 * -z: `<added>\t<deleted>\t<path>\0`, `-` for binary. Renames off (diff.renames) so each entry has
 * one path; submodules, external diff, textconv and diff.relative pinned as in DIFF_PINS.
 */
export function diffStat(base: string, tip: string, cwd?: string): FileStat[] {
  const fields = splitZ(
    gitBytes(
      [
        'diff-tree',
        '-r',
        '-z',
        '--numstat',
        '--no-renames',
        '--ignore-submodules=none',
        '--no-ext-diff',
        '--no-textconv',
        '--no-relative',
        '--no-color',
        base,
        tip,
        '--',
      ],
      { cwd },
    ),
  );
  return fields.map((f) => {
    const [added = '-', deleted = '-', ...rest] = f.split('\t');
    return {
      path: rest.join('\t'),
      added: added === '-' ? null : Number(added),
      deleted: deleted === '-' ? null : Number(deleted),
    };
  });
}
