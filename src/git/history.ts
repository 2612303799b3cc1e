// The paths each new commit changes: the one reader every layer's path-scope uses (pre-push, the
// shell fast path's superset aside; guard pre-receive; guard over a CI range; merge).
//
// Plumbing only, every output-changing option on the command line (docs/git-facts.md):
// `rev-list --parents` names each commit and its parents, then ONE `diff-tree --stdin` compares
// each commit with each parent separately (`<commit> <parent>` lines) and each root commit with the
// empty tree (`--root`, a line with the commit alone). `--always` prints a header for every input
// line, even an empty diff, so the output maps back to the input line by line. A merge's paths are
// those that differ from EVERY parent (its own resolution: an "evil merge" change counts, what it
// merely brings in from one side does not), computed here as the intersection of the per-parent
// lists rather than by git's combined-diff output, whose -z layout differs from the plain one.
import { gitBytes, gitMaybe, splitZ } from './exec.js';
import { refValues } from './repo.js';

export interface CommitPaths {
  commit: string;
  /** Its parents (none for a root commit). */
  parents: string[];
  paths: string[];
}

/**
 * diff-tree options that fix its output whatever the configuration says:
 * -r (whole tree), -z (raw bytes, core.quotePath), --raw (a `:meta\0path\0` pair per entry, so a
 * path can never be mistaken for a header), --no-renames (diff.renames: both sides of a rename
 * appear as a delete and an add), --ignore-submodules=none (diff.ignoreSubmodules and
 * submodule.<name>.ignore would hide gitlinks), --no-ext-diff / --no-textconv (diff.external,
 * GIT_EXTERNAL_DIFF, attributes), --no-relative (diff.relative), --no-color (color.*),
 * --full-index (core.abbrev).
 */
export const DIFF_PINS = [
  '-r',
  '-z',
  '--raw',
  '--full-index',
  '--no-renames',
  '--ignore-submodules=none',
  '--no-ext-diff',
  '--no-textconv',
  '--no-relative',
  '--no-color',
] as const;

/**
 * Commits reachable from `tips` but not from `exclude` (ref names, SHAs or rev-list options such
 * as `--remotes=origin`), with the paths each changes: additions, deletions, mode changes, symlinks
 * and gitlinks, both sides of a rename; a root commit against the empty tree; a merge, only what
 * differs from every parent.
 */
export function commitPaths(tips: string[], exclude: string[], cwd?: string): CommitPaths[] {
  if (!tips.length) return [];
  const listing = gitBytes(['rev-list', '--parents', ...tips, '--not', ...exclude, '--'], { cwd })
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' '));
  if (!listing.length) return [];
  // One diff per (commit, parent) pair, and one per root commit.
  const lines: string[] = [];
  for (const [commit, ...parents] of listing) {
    if (!parents.length) lines.push(commit!);
    for (const p of parents) lines.push(`${commit} ${p}`);
  }
  const diffs = perLineDiffs(
    gitBytes(['diff-tree', '--stdin', '--always', '--root', ...DIFF_PINS], {
      cwd,
      input: lines.join('\n') + '\n',
    }),
    lines.length,
  );
  const result: CommitPaths[] = [];
  let at = 0;
  for (const [commit, ...parents] of listing) {
    const sets = diffs.slice(at, at + Math.max(1, parents.length));
    at += sets.length;
    const [first, ...rest] = sets;
    result.push({
      commit: commit!,
      parents,
      paths: [...first!].filter((p) => rest.every((s) => s.has(p))),
    });
  }
  return result;
}

/** What a branch would change in integration: its merge bases and the paths its tip differs in. */
export interface NetEffect {
  /** `git merge-base --all tip integration`; empty for unrelated histories. */
  bases: string[];
  /** Paths where the tip differs from any merge base (from integration's tip when there is none). */
  paths: string[];
}

/**
 * The net effect of `tip` against `integration` (both SHAs: diff-tree --stdin reads hex ids): every path where the tip differs
 * from its merge base with integration, compared tree to tree (two-dot, the pinned options), so a
 * merge that takes an older integration commit's side, or a new root's, is seen as the revert or
 * deletion it is. Several merge bases (criss-cross): the union over all of them. No merge base
 * (unrelated history): against integration's tip itself, so everything that differs counts.
 */
export function netPaths(tip: string, integration: string, cwd?: string): NetEffect {
  // Exit 1 with no output: no common ancestor.
  const bases = (gitMaybe(['merge-base', '--all', tip, integration], { cwd }) ?? '')
    .split('\n')
    .filter(Boolean);
  const from = bases.length ? bases : [integration];
  // `<a> <b>` on --stdin compares b (as if a parent) with a: one process for every base.
  const lines = from.map((b) => `${tip} ${b}`);
  const diffs = perLineDiffs(
    gitBytes(['diff-tree', '--stdin', '--always', ...DIFF_PINS], {
      cwd,
      input: lines.join('\n') + '\n',
    }),
    lines.length,
  );
  const paths = new Set<string>();
  for (const d of diffs) for (const p of d) paths.add(p);
  return { bases, paths: [...paths] };
}

/**
 * Split `diff-tree --stdin --always -z --raw` output into one path set per input line. Each line
 * yields a header field (the commit's id) followed by `:<modes> <ids> <status>` / `<path>` field
 * pairs; with --no-renames every entry has exactly one path.
 */
export function perLineDiffs(out: Buffer, expected: number): Set<string>[] {
  const fields = splitZ(out); // paths byte-exact (decodePath)
  const sets: Set<string>[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.startsWith(':')) {
      const p = fields[++i];
      if (p === undefined || !sets.length) throw new Error('git diff-tree: unexpected output');
      sets.at(-1)!.add(p);
    } else {
      sets.push(new Set());
    }
  }
  if (sets.length !== expected)
    throw new Error(`git diff-tree answered ${sets.length} of ${expected} comparisons`);
  return sets;
}

/**
 * HEAD's commits beyond `exclude` (refs; those that do not exist are left out), with their paths,
 * for the check after an agent's shell command. Nothing when HEAD is unborn, or when none of
 * `exclude` exists (all of history is not a lane's to answer for).
 */
export function headCommitsBeyond(exclude: string[], cwd: string): CommitPaths[] {
  const head = gitMaybe(['rev-parse', '-q', '--verify', 'HEAD^{commit}'], { cwd });
  if (!head) return [];
  const known = [...refValues(exclude, cwd).values()].filter((s): s is string => !!s);
  if (!known.length) return [];
  return commitPaths([head], known, cwd);
}
