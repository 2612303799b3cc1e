// What land asks of every lane's pushed tip against integration (merge.ts, laneReadiness): the
// commits it would bring with the paths each changes (history.ts, commitPaths) and its net effect
// (netPaths), for many tips at once. Asked one lane at a time, that is four git processes per
// lane (rev-list, diff-tree, merge-base, diff-tree): over 30 lanes, more than a second of process
// starts on a two-core machine. Here: ONE `rev-list --parents` of every tip not in integration,
// and ONE `diff-tree --stdin` for every commit of every lane and every lane's net comparison.
//
// Each lane's commits are those of the walk reachable from its tip (a parent outside the walk is
// in integration, and so is everything below it). They come in the walk's order, which for
// commits of one date may differ from a walk of that tip alone: the set is git's, the order is
// not promised (`ordered: false`). laneReadiness asks again alone where a message would list them.
//
// The merge bases come from each lane's commits (L) and the parents of those outside L (the
// boundary). Every merge base is on the boundary (a best common ancestor X has a child on its way
// to the tip; that child is no common ancestor, else X would not be best, so it is in L), and every
// boundary commit is a common ancestor. So a boundary of one commit is exactly
// `git merge-base --all`'s answer, and an empty one means no common ancestor (unrelated histories:
// netPaths then compares with integration itself). A boundary of several may hold commits below
// others: only then is `git merge-base --all` asked, for that lane.
import { gitBytes, gitMaybe } from './exec.js';
import { DIFF_PINS, perLineDiffs, type CommitPaths, type NetEffect } from './history.js';

export interface LaneChanges {
  /** commitPaths([tip], [base])'s commits, each with its paths; in its order only if `ordered`. */
  commits: CommitPaths[];
  ordered: boolean;
  /** netPaths(tip, base). */
  net: NetEffect;
}

const isId = (s: string) => /^[0-9a-f]{40,64}$/.test(s);

/**
 * For each tip (a commit id), against `base` (integration's commit id): its commits and net effect,
 * as commitPaths and netPaths answer them. A tip git cannot walk, or one already in `base`, is
 * absent from the map (the caller asks commitPaths and netPaths itself, which say why).
 */
export function laneChanges(tips: string[], base: string, cwd?: string): Map<string, LaneChanges> {
  const out = new Map<string, LaneChanges>();
  const asked = [...new Set(tips)].filter(isId);
  if (!asked.length || !isId(base)) return out;
  const listings = revLists(asked, base, cwd);
  // Every diff line of every lane, then one diff-tree. `--root` only changes lines with a commit
  // alone (a root commit against the empty tree); the net lines name two commits.
  const lines: string[] = [];
  const plans: { tip: string; listing: string[][]; at: number; bases: string[]; from: string[] }[] =
    [];
  for (const tip of asked) {
    const listing = listings.get(tip);
    // Nothing to bring (the tip is in integration already): land never asks; its caller does.
    if (!listing?.length) continue;
    const inL = new Set(listing.map((l) => l[0]!));
    const boundary = [...new Set(listing.flatMap(([, ...ps]) => ps.filter((p) => !inL.has(p))))];
    let bases: string[];
    if (boundary.length <= 1) bases = boundary;
    else {
      // Several: some may be ancestors of others; git says which are the best (netPaths' call).
      const got = gitMaybe(['merge-base', '--all', tip, base], { cwd });
      bases = (got ?? '').split('\n').filter(Boolean);
    }
    const at = lines.length;
    for (const [commit, ...parents] of listing) {
      if (!parents.length) lines.push(commit!);
      for (const p of parents) lines.push(`${commit} ${p}`);
    }
    const from = bases.length ? bases : [base];
    for (const b of from) lines.push(`${tip} ${b}`);
    plans.push({ tip, listing, at, bases, from });
  }
  if (!lines.length) return out;
  const diffs = perLineDiffs(
    gitBytes(['diff-tree', '--stdin', '--always', '--root', ...DIFF_PINS], {
      cwd,
      input: lines.join('\n') + '\n',
    }),
    lines.length,
  );
  for (const { tip, listing, at, bases, from } of plans) {
    let i = at;
    const commits: CommitPaths[] = listing.map(([commit, ...parents]) => {
      const sets = diffs.slice(i, i + Math.max(1, parents.length));
      i += sets.length;
      const [first, ...rest] = sets;
      return {
        commit: commit!,
        parents,
        paths: [...first!].filter((p) => rest.every((s) => s.has(p))),
      };
    });
    const paths = new Set<string>();
    for (const d of diffs.slice(i, i + from.length)) for (const p of d) paths.add(p);
    out.set(tip, { commits, ordered: false, net: { bases, paths: [...paths] } });
  }
  return out;
}

/**
 * Each tip's commits not in `base` (`git rev-list --parents <tip> --not <base>`'s lines, in the
 * order of one walk of all the tips); a tip git cannot walk makes the whole walk fail: then none.
 */
function revLists(tips: string[], base: string, cwd?: string): Map<string, string[][]> {
  const out = new Map<string, string[][]>();
  const listing = gitMaybe(['rev-list', '--parents', ...tips, '--not', base, '--'], { cwd });
  if (listing === null) return out;
  const lines = listing
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' '));
  const parents = new Map(lines.map(([c, ...ps]) => [c!, ps]));
  for (const tip of tips) {
    const mine = new Set<string>();
    const stack = [tip];
    while (stack.length) {
      const c = stack.pop()!;
      if (mine.has(c) || !parents.has(c)) continue;
      mine.add(c);
      stack.push(...parents.get(c)!);
    }
    out.set(
      tip,
      lines.filter((l) => mine.has(l[0]!)),
    );
  }
  return out;
}
