// pre-commit: the staged commit against the branch and path rules.
import { indexBytes } from '../git/pathspec.js';
import { detachesOnItsOwn, headBranch, transientState } from '../git/repo.js';
import { shortBranch } from '../lanes/names.js';
import { detachedCommit } from '../policy/review-detached-head.js';
import { laneCommitBranch } from '../policy/lane-branch.js';
import { laneUnassigned } from '../policy/lane-unassigned.js';
import { configInvalid } from '../policy/config-invalid.js';
import { stagedPolicyProblem } from '../lanes/policy.js';
import { forbiddenPaths, pathScope } from '../policy/path-scope.js';
import { releaseCommit } from '../policy/release-branch-commit.js';
import { scopeOf } from '../policy/scope.js';
import { judgedPaths } from './staged-set.js';
import { hookContext } from './context.js';
import { verdict } from './verdict.js';

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
    // The staged policy file, judged from the index (what the commit holds), in every worktree.
    ...configInvalid({
      problem: stagedPolicyProblem(),
      object,
      at: 'commit',
      integration: ctx.config.integration,
    }),
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
