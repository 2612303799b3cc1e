// A lane's detail, computed on demand: its commits beyond integration with their trailers, each
// path it changed against its scope (its own paths, the shared ones, or outside: what the hooks
// refuse), and the diff stat from where it left integration.
import type { LanesConfig } from '../config/schema.js';
import { commitsBeyond, diffStat, type LaneCommit } from '../git/lane-log.js';
import { netPaths } from '../git/history.js';
import { globMatcher, scopeGlobs } from '../policy/scope.js';
import { showName } from '../policy/format.js';
import type { LaneRow } from '../lifecycle/actions.js';
import type { Status } from '../lifecycle/status.js';

export type PathScope = 'in scope' | 'shared' | 'refused';

export interface LaneDetail {
  role: string;
  kind: string;
  branch: string | null;
  head: string | null;
  integration: { name: string; head: string | null };
  /** Where the lane left integration (its merge base), when they share history. */
  base: string | null;
  commits: LaneCommit[];
  /** The lane's scope, as globs: its own paths and the shared ones (null: unrestricted). */
  scope: { own: string[] | null; shared: string[] };
  files: {
    path: string;
    /** The path as git would print it (quoted when it has control bytes, quotes, non-UTF-8). */
    shown: string;
    scope: PathScope;
    added: number | null;
    deleted: number | null;
  }[];
  totals: { files: number; added: number; deleted: number; binary: number };
}

/** Where a path falls for a lane: its own paths first, then the shared ones, else refused. */
export function pathScope(config: LanesConfig, row: Pick<LaneRow, 'role' | 'kind'>) {
  const own =
    row.kind === 'coordinator'
      ? null
      : row.kind === 'delivery'
        ? (() => {
            const r = config.roles[row.role];
            return r?.kind === 'delivery' ? r.paths : [];
          })()
        : row.kind === 'review'
          ? (scopeGlobs(config, {
              role: row.role,
              kind: 'review',
              source: 'recorded',
              ownBranch: null,
              owner: null,
              notes: [],
            }) ?? [])
          : [];
  const shared = row.kind === 'delivery' ? config.shared : [];
  const inOwn = own ? globMatcher(own) : () => true;
  const inShared = globMatcher(shared);
  return {
    own,
    shared,
    of: (p: string): PathScope => (inOwn(p) ? 'in scope' : inShared(p) ? 'shared' : 'refused'),
  };
}

export function laneDetail(
  status: Status,
  config: LanesConfig,
  role: string,
  cwd?: string,
): LaneDetail | null {
  const row = status.lanes.find((r) => r.role === role);
  if (!row) return null;
  const integration = { name: status.integration.name, head: status.integration.head };
  const scope = pathScope(config, row);
  const empty: LaneDetail = {
    role: row.role,
    kind: row.kind,
    branch: row.branch,
    head: row.head,
    integration,
    base: null,
    commits: [],
    scope: { own: scope.own, shared: scope.shared },
    files: [],
    totals: { files: 0, added: 0, deleted: 0, binary: 0 },
  };
  if (!row.head || row.missing || !integration.head) return empty;
  const commits = commitsBeyond(row.head, integration.head, cwd);
  const net = netPaths(row.head, integration.head, cwd);
  const base = net.bases[0] ?? integration.head;
  const stats = new Map(diffStat(base, row.head, cwd).map((s) => [s.path, s]));
  const files = net.paths.sort().map((p) => ({
    path: p,
    shown: showName(p),
    scope: scope.of(p),
    added: stats.get(p)?.added ?? null,
    deleted: stats.get(p)?.deleted ?? null,
  }));
  return {
    ...empty,
    base: net.bases[0] ?? null,
    commits,
    files,
    totals: {
      files: files.length,
      added: files.reduce((n, f) => n + (f.added ?? 0), 0),
      deleted: files.reduce((n, f) => n + (f.deleted ?? 0), 0),
      binary: files.filter((f) => f.added === null && stats.has(f.path)).length,
    },
  };
}
