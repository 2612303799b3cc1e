// pre-commit: the staged commit against the branch and path rules.
import { detachesOnItsOwn, headBranch, stagedPaths, transientState } from '../git/repo.js';
import { shortBranch } from '../lanes/names.js';
import { detachedCommit } from '../policy/review-detached-head.js';
import { laneCommitBranch } from '../policy/lane-branch.js';
import { laneUnassigned } from '../policy/lane-unassigned.js';
import { forbiddenPaths, pathScope } from '../policy/path-scope.js';
import { releaseCommit } from '../policy/release-branch-commit.js';
import { scopeOf } from '../policy/scope.js';
import { hookContext } from './context.js';
import { verdict } from './verdict.js';

export function preCommit(): number {
  const ctx = hookContext();
  const branch = headBranch();
  const transient = detachesOnItsOwn(transientState(ctx.wt.gitDir));
  const staged = stagedPaths(ctx.wt.gitDir);
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
      ...pathScope(ctx, scopeOf(ctx.config, ctx.lane), [{ paths: staged }], object),
    );
  }
  return verdict(ctx, violations);
}
