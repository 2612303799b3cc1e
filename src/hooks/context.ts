// What every hook starts from: the worktree, the policy committed on integration, and its lane.
import { currentWorktree, type Worktree } from '../git/repo.js';
import { laneOf } from '../lanes/facts.js';
import { lanePolicy, type Policy } from '../lanes/policy.js';
import { VERSION } from '../version.js';
import { writeCompiled } from './compile.js';
import type { Context } from '../policy/types.js';

export interface HookContext extends Context {
  wt: Worktree;
  policy: Policy;
}

export function hookContext(): HookContext {
  const wt = currentWorktree();
  const policy = lanePolicy(wt);
  const lane = laneOf(wt, policy.config);
  // Keep the shims' compiled fast path in step with what Node just decided from.
  writeCompiled(wt, policy, lane, VERSION);
  return { wt, config: policy.config, lane, policy };
}

/** How to put files back when a command that moves them first was refused (GIT-FACTS). */
export function restoreAdvice(transient: string | null, headMoved: boolean): string[] {
  switch (transient) {
    case 'rebase':
      return ['files may already have moved: git rebase --abort'];
    case 'merge':
      return ['files may already have moved: git merge --abort'];
    case 'sequencer':
      return ['files may already have moved: git cherry-pick --abort (or git revert --abort)'];
    case 'am':
      return ['files may already have moved: git am --abort'];
    default:
      return headMoved
        ? [
            'a refused commit changed nothing; if a reset, merge or checkout already moved the files: git reset --hard HEAD (discards uncommitted changes: git stash first to keep them)',
          ]
        : [];
  }
}
