// What land asks of every lane's pushed tip against integration (merge.ts, laneReadiness): the
// commits it would bring with the paths each changes (history.ts, commitPaths) and its net effect
// (netPaths), for many tips at once. Asked one lane at a time, that is four git processes per
// lane (rev-list, diff-tree, merge-base, diff-tree): over 30 lanes, more than a second of process
// starts on a two-core machine. Here: one sh running each lane's `rev-list --parents` (kept per
// lane: the order of the commits is git's walk of that tip, and messages list paths in it), then
// ONE `diff-tree --stdin` for every commit of every lane and every lane's net comparison.
//
// The merge bases come from each lane's own listing: the commits reachable from the tip and not
// from integration (L), and the parents of those that are not in L (the boundary). Every merge
// base is on the boundary (a best common ancestor X has a child on its way to the tip; that child
// is no common ancestor, else X would not be best, so it is in L), and every boundary commit is a
// common ancestor. So a boundary of one commit is exactly `git merge-base --all`'s answer, and an
// empty one means no common ancestor (unrelated histories: netPaths then compares with
// integration itself). A boundary of several may hold commits below others: only then is
// `git merge-base --all` asked, for that lane.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { shellQuote } from '../util/sh.js';
import { gitBytes, gitMaybe, pinnedEnv, SH_GIT } from './exec.js';
import { DIFF_PINS, perLineDiffs, type CommitPaths, type NetEffect } from './history.js';

export interface LaneChanges {
  /** commitPaths([tip], [base]): the commits, in git's order, each with its paths. */
  commits: CommitPaths[];
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
    out.set(tip, { commits, net: { bases, paths: [...paths] } });
  }
  return out;
}

/** `git rev-list --parents <tip> --not <base> --` of every tip, from one sh; a failed one is absent. */
function revLists(tips: string[], base: string, cwd?: string): Map<string, string[][]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lanes-changes-'));
  try {
    const g = `${SH_GIT} -C ${shellQuote(path.resolve(cwd ?? '.'))}`;
    const script = tips
      .map(
        (t, i) =>
          `${g} rev-list --parents ${t} --not ${base} -- > r${i} 2>/dev/null && : > r${i}.ok`,
      )
      .join('\n');
    const r = spawnSync('/bin/sh', ['-c', `cd ${shellQuote(dir)} || exit 1\n${script}`], {
      env: pinnedEnv(),
    });
    if (r.error) throw r.error;
    const out = new Map<string, string[][]>();
    tips.forEach((t, i) => {
      if (!existsSync(path.join(dir, `r${i}.ok`))) return;
      const listing = readFileSync(path.join(dir, `r${i}`), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' '));
      out.set(t, listing);
    });
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
