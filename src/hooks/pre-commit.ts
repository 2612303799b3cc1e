// pre-commit: the staged commit against the branch and path rules.
import { FORBIDDEN_CANDIDATES, indexBytes } from '../git/pathspec.js';
import { detachesOnItsOwn, headBranch, stagedPaths, transientState } from '../git/repo.js';
import { shortBranch } from '../lanes/names.js';
import { detachedCommit } from '../policy/review-detached-head.js';
import { laneCommitBranch } from '../policy/lane-branch.js';
import { laneUnassigned } from '../policy/lane-unassigned.js';
import { forbiddenPaths, pathScope } from '../policy/path-scope.js';
import { releaseCommit } from '../policy/release-branch-commit.js';
import { scopeOf, type Scope } from '../policy/scope.js';
import { scopePathspecs } from '../policy/scope-pathspec.js';
import { hookContext } from './context.js';
import { verdict } from './verdict.js';

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

export function preCommit(): number {
  const ctx = hookContext();
  const branch = headBranch();
  const transient = detachesOnItsOwn(transientState(ctx.wt.gitDir));
  // The coordinator and unassigned worktrees have no scope: only forbidden names matter then.
  const scope = ctx.lane.kind === 'unassigned' ? null : scopeOf(ctx.config, ctx.lane);
  const staged = judgedPaths(ctx.wt.gitDir, scope, indexBytes(ctx.wt.gitDir));
  const object = `commit on ${branch ? shortBranch(branch) : 'detached HEAD'}`;
  const violations = [
    ...releaseCommit(ctx, branch),
    ...laneUnassigned(ctx, 'commit'),
    // Paths git refuses to check out: every lane, the coordinator and unassigned worktrees too.
    ...forbiddenPaths([{ paths: staged }], object),
  ];
  if (ctx.lane.kind !== 'unassigned') {
    violations.push(
      ...detachedCommit(ctx, branch === null, transient),
      ...laneCommitBranch(ctx, branch, transient),
      ...pathScope(ctx, scope, [{ paths: staged }], object),
    );
  }
  return verdict(ctx, violations);
}
