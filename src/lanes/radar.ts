// The conflict radar: for each lane with work of its own, whether it still merges into integration,
// and which other lanes it would conflict with, on which paths. Computed from commit ids alone
// (git merge-tree, through RadarCache), so that status, the brief and agent-hook all say the same.
//
// Cost: a lane that is not ahead has nothing to merge; a lane ahead but not behind fast-forwards;
// only a lane both ahead and behind needs a merge with integration. Lane pairs are merged only
// when the paths each changed since its merge base with integration intersect (with
// merge.directoryRenames pinned off, disjoint changes always merge cleanly), so 30 lanes that
// keep to their own paths cost 30 cached diffs and no merge.
import type { LanesConfig } from '../config/schema.js';
import { RadarCache, type BasesOf } from '../git/merge-tree.js';
import { leftRight } from '../git/ranges.js';
import { refValues } from '../git/repo.js';
import { chooseIntegration } from './integration.js';
import { remoteRef } from './names.js';

export interface RadarLane {
  role: string;
  head: string;
  ahead: number;
  behind: number;
}

export interface Conflicts {
  /** Paths that conflict when the lane is merged into (or rebased onto) integration. */
  integration: string[];
  /** Other lanes it would conflict with, and on which paths. */
  lanes: Record<string, string[]>;
}

/**
 * How the lane's work goes into integration: `fast-forward` (not behind), `clean` (a real merge
 * with no conflict), `conflict`, `unknown` (git could not merge them: unrelated histories);
 * null: the lane has no commits of its own.
 */
export type MergeState = 'fast-forward' | 'clean' | 'conflict' | 'unknown' | null;

export interface RadarResult {
  merge: MergeState;
  conflicts: Conflicts;
}

export const noConflicts = (): Conflicts => ({ integration: [], lanes: {} });

/** The radar for every lane, by role; `integration` is the integration commit's id. */
export function conflictRadar(
  lanes: RadarLane[],
  integration: string,
  cache: RadarCache,
  basesOf?: BasesOf,
): Map<string, RadarResult> {
  const out = new Map<string, RadarResult>();
  const ahead = lanes.filter((l) => l.ahead > 0);
  const behind = ahead.filter((l) => l.behind > 0);
  for (const l of lanes) out.set(l.role, { merge: null, conflicts: noConflicts() });
  // With the merge bases known (status walked the graph), the paths each side changed since them
  // come first, all from one diff-tree: a lane and integration that changed disjoint paths since
  // their merge bases merge cleanly (with merge.directoryRenames pinned off, as for the lane pairs
  // below), so only the others are merged. Without them, merges and paths in one batch as before.
  const bases = behind.map((l) => basesOf?.(l.head, integration) ?? null);
  const skip = new Set<string>();
  if (basesOf) {
    cache.prefetch(
      [],
      [
        ...ahead.map((l): [string, string] => [l.head, integration]),
        ...behind.flatMap((l, i): [string, string][] =>
          bases[i]?.length ? [[integration, l.head]] : [],
        ),
      ],
      basesOf,
    );
    behind.forEach((l, i) => {
      if (!bases[i]?.length) return;
      const mine = new Set(cache.changed(l.head, integration));
      const theirs = new Set(cache.changed(integration, l.head));
      if (!meet(mine, theirs)) skip.add(l.head);
    });
  } else
    cache.prefetch(
      behind.map((l) => [integration, l.head]),
      ahead.map((l) => [l.head, integration]),
    );
  const changed = new Map(ahead.map((l) => [l.role, new Set(cache.changed(l.head, integration))]));
  const pairs = lanePairs(ahead, changed);
  cache.prefetch([
    ...behind.filter((l) => !skip.has(l.head)).map((l): [string, string] => [integration, l.head]),
    ...pairs.map(([a, b]): [string, string] => [a.head, b.head]),
  ]);
  for (const l of ahead) {
    const r = out.get(l.role)!;
    if (l.behind === 0) {
      r.merge = 'fast-forward';
      continue;
    }
    if (skip.has(l.head)) {
      r.merge = 'clean';
      continue;
    }
    const probe = cache.merge(integration, l.head);
    r.merge = !probe ? 'unknown' : probe.clean ? 'clean' : 'conflict';
    r.conflicts.integration = probe?.paths ?? [];
  }
  for (const [a, b] of pairs) {
    const inA = changed.get(a.role)!;
    const inB = changed.get(b.role)!;
    const probe = cache.merge(a.head, b.head);
    if (!probe || probe.clean) continue;
    // Only the lanes' own work: a path both changed, or one changed (a rename's other side)
    // that is not already that lane's conflict with integration.
    const intA = new Set(out.get(a.role)!.conflicts.integration);
    const intB = new Set(out.get(b.role)!.conflicts.integration);
    const paths = probe.paths
      .map((p) => (inA.has(p) || inB.has(p) ? p : (inPlaceOf(p, inA, inB) ?? p)))
      .filter(
        (p) =>
          (inA.has(p) && inB.has(p)) ||
          ((inA.has(p) || inB.has(p)) && !intA.has(p) && !intB.has(p)),
      );
    if (!paths.length) continue;
    out.get(a.role)!.conflicts.lanes[b.role] = paths;
    out.get(b.role)!.conflicts.lanes[a.role] = paths;
  }
  return out;
}

/** The lane pairs whose changed paths may collide (meet): only those are merged. */
function lanePairs(
  ahead: RadarLane[],
  changed: Map<string, Set<string>>,
): [RadarLane, RadarLane][] {
  const pairs: [RadarLane, RadarLane][] = [];
  for (let i = 0; i < ahead.length; i++) {
    for (let j = i + 1; j < ahead.length; j++) {
      const [a, b] = [ahead[i]!, ahead[j]!];
      if (a.head === b.head) continue;
      if (meet(changed.get(a.role)!, changed.get(b.role)!)) pairs.push([a, b]);
    }
  }
  return pairs;
}

/** The folders above a path, nearest last: `a/b/c` → `a`, `a/b`. */
function folders(p: string): string[] {
  const parts = p.split('/');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/**
 * Whether two lanes' changed paths may collide: a path both changed, or a file one changed where
 * the other changed something inside a folder of that name (a file/directory conflict).
 */
function meet(a: Set<string>, b: Set<string>): boolean {
  const underB = new Set([...b].flatMap(folders));
  return [...a].some((p) => b.has(p) || underB.has(p) || folders(p).some((d) => b.has(d)));
}

/**
 * A file/directory conflict: merge-tree names the file it moved out of the folder's way
 * (`s/x~<side>`), a path neither lane wrote. The lanes' own path is the one before the `~`,
 * when a lane changed that file and the other something inside the folder of that name.
 */
function inPlaceOf(p: string, inA: Set<string>, inB: Set<string>): string | null {
  const at = p.lastIndexOf('~');
  if (at <= 0 || p.indexOf('/', at) !== -1) return null;
  const file = p.slice(0, at);
  const inside = (set: Set<string>) => [...set].some((q) => q.startsWith(`${file}/`));
  return (inA.has(file) && inside(inB)) || (inB.has(file) && inside(inA)) ? file : null;
}

/** What a lane behind integration is asked to do (its brief, its agent's context). */
export interface RebaseNeed {
  /** The integration it is behind, as typed (`origin/master`) and its commit. */
  onto: string;
  sha: string;
  /** Whether `onto` is the remote's copy (fetch first). */
  remote: boolean;
  behind: number;
  ahead: number;
  /** Paths that will conflict when its own commits are replayed (empty: none, or nothing to replay). */
  conflicts: string[];
}

/**
 * Whether the lane at `head` is behind integration (the same integration status counts against:
 * the remote's copy unless it lags), and with which conflicts; null when it is not behind.
 */
export function rebaseNeed(
  config: LanesConfig,
  head: string | null,
  commonDir: string,
): RebaseNeed | null {
  if (!head) return null;
  const remote = remoteRef(config.remote, config.integration);
  const local = `refs/heads/${config.integration}`;
  const refs = refValues([remote, local], commonDir);
  const target = chooseIntegration(
    config,
    refs.get(local) ?? null,
    refs.get(remote) ?? null,
    (b, t) => leftRight(b, t, commonDir)?.[1] ?? null,
  );
  // Integration merged locally but not pushed yet: the lane can only rebase onto what it can
  // fetch, so it is asked once the push is done (status asks the coordinator to push).
  const onto =
    target.unpushed > 0 && target.remote
      ? { name: `${config.remote}/${config.integration}`, head: refs.get(remote) ?? null }
      : { name: target.name, head: target.head };
  if (!onto.head) return null;
  const counts = leftRight(head, onto.head, commonDir);
  if (!counts || counts[1] === 0) return null;
  const [ahead, behind] = counts;
  let conflicts: string[] = [];
  if (ahead > 0) {
    const cache = new RadarCache(commonDir);
    conflicts = cache.merge(onto.head, head)?.paths ?? [];
    cache.save();
  }
  return {
    onto: onto.name,
    sha: onto.head,
    remote: onto.name !== config.integration,
    behind,
    ahead,
    conflicts,
  };
}

/** "1 commit", "2 commits". */
export const plural = (n: number, noun: string, nouns = `${noun}s`): string =>
  `${n} ${n === 1 ? noun : nouns}`;

/** At most `max` paths, then how many more. */
export function somePaths(paths: string[], max = 5): string {
  const shown = paths.slice(0, max).join(', ');
  return paths.length > max ? `${shown} and ${paths.length - max} more` : shown;
}

/**
 * The rebase request a lane behind integration gets (status, its brief, its agent): the commands,
 * and the files that will conflict.
 */
export function rebaseRequest(
  target: { name: string; head: string | null; after?: string },
  remote: string,
  conflicts: string[],
): string {
  const fetch = target.name.startsWith(`${remote}/`) ? `git fetch ${remote} && ` : '';
  return (
    `integration moved to ${(target.head ?? '').slice(0, 7)}: ${target.after ?? ''}rebase onto it before you push` +
    ` (${fetch}git rebase ${target.name})` +
    (conflicts.length ? `; it will conflict on ${somePaths(conflicts)}` : '')
  );
}
