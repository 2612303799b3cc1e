// status's conflict radar: each delivery lane's merge state and conflicts, attached to its row.
import { RadarCache, type BasesOf, type RadarCounts } from '../git/merge-tree.js';
import { conflictRadar, noConflicts } from '../lanes/radar.js';
import type { LaneRow } from './actions.js';

/**
 * Fill `merge` and `conflicts` on every row (empty for lanes the radar does not look at: review
 * lanes, the coordinator, missing lanes). Returns how many merges and diffs were computed and how
 * many answers came from the cache.
 */
export function applyRadar(
  rows: LaneRow[],
  integration: string | null,
  commonDir: string,
  /** Merge bases status already knows from its walk of the graph (ranges.ts). */
  basesOf?: BasesOf,
): RadarCounts {
  for (const r of rows) {
    r.merge = null;
    r.conflicts = noConflicts();
  }
  const cache = new RadarCache(commonDir);
  if (!integration) return cache.counts;
  const lanes = rows.filter((r) => r.kind === 'delivery' && !r.missing && r.head);
  const result = conflictRadar(
    lanes.map((r) => ({ role: r.role, head: r.head!, ahead: r.ahead, behind: r.behind })),
    integration,
    cache,
    basesOf,
  );
  for (const r of lanes) {
    const got = result.get(r.role);
    if (got) Object.assign(r, got);
  }
  cache.save();
  return cache.counts;
}
