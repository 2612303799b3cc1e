// The staged paths pre-commit's two path rules judge (path-scope, and the names git refuses to
// check out): all of them, or for a large index only those git's pathspecs select.
import { FORBIDDEN_CANDIDATES } from '../git/pathspec.js';
import { stagedPaths } from '../git/repo.js';
import type { Scope } from '../policy/scope.js';
import { scopePathspecs } from '../policy/scope-pathspec.js';

/**
 * From this index size on (about 10,000 short names; docs/speed.md, bench/pathspec.mjs), git lists
 * only the staged paths that may be outside the scope or forbidden, and Node judges those alone.
 * Below it one listing of everything is cheaper: each pathspec costs git a match per entry.
 */
export const LARGE_INDEX_BYTES = 1 << 20;

/**
 * The staged paths the two path rules need to see: all of them, or, for a large index, those git
 * says may matter: outside the scope's exclusion pathspecs, plus every name that may be forbidden
 * and what the exclusions may hide beyond the globs (scope-pathspec.ts). Both rules then run their
 * exact checks on that superset, so the verdicts are the same either way.
 */
export function judgedPaths(
  gitDir: string,
  scope: Scope | null,
  indexSize: number,
  cwd?: string,
): string[] {
  if (indexSize < LARGE_INDEX_BYTES) return stagedPaths(gitDir, cwd);
  const specs = scope && scopePathspecs(scope.globs);
  // A glob git cannot match exactly as picomatch does: list everything, as for a small index.
  if (scope && !specs) return stagedPaths(gitDir, cwd);
  const outside = specs ? stagedPaths(gitDir, cwd, [':(top)', ...specs.exclude]) : [];
  const candidates = stagedPaths(gitDir, cwd, [...FORBIDDEN_CANDIDATES, ...(specs?.recheck ?? [])]);
  return [...new Set([...outside, ...candidates])];
}
