// A review lane never rests on a detached HEAD (docs/reference.md, "Rules, layer by layer";
// docs/git-facts.md: undo, don't refuse).
import { isZeroSha } from '../util/sha.js';
import type { Context, RefUpdate, Violation } from './types.js';

const why =
  'a review lane reads a delivery branch through its named review branch, never a detached HEAD (no FETCH_HEAD or SHA checkouts)';
const fix = (ctx: Context) => [
  `lanes-hooks review refresh <delivery-role>   (or: git switch ${ctx.config.branches.review.replace('{role}', '<role>')})`,
];

/** pre-commit: a commit on a detached HEAD in a review lane, outside a rebase/am/bisect. */
export function detachedCommit(ctx: Context, detached: boolean, transient: boolean): Violation[] {
  if (ctx.lane.kind !== 'review' || !detached || transient) return [];
  return [
    { rule: 'review-detached-head', object: 'commit on a detached HEAD', why, fix: fix(ctx) },
  ];
}

export interface DetachedMoveFacts {
  /** HEAD was already detached when the transaction was prepared. */
  headDetached: boolean;
  transient: boolean;
  /** First parent of the new HEAD commit: a commit makes it the old HEAD. */
  parentOfNew: string | null;
}

/**
 * reference-transaction: a new commit on an already detached HEAD (cherry-pick, revert,
 * --no-verify). A checkout that detaches is not refused here: post-checkout undoes it.
 */
export function detachedHeadCommit(
  ctx: Context,
  updates: RefUpdate[],
  f: DetachedMoveFacts,
): Violation[] {
  if (ctx.lane.kind !== 'review' || !f.headDetached || f.transient) return [];
  const head = updates.find((u) => u.ref === 'HEAD');
  if (!head || updates.some((u) => u.ref.startsWith('refs/heads/'))) return [];
  if (isZeroSha(head.old) || head.old !== f.parentOfNew) return [];
  return [
    {
      rule: 'review-detached-head',
      object: `commit ${head.new} on a detached HEAD`,
      why,
      fix: fix(ctx),
    },
  ];
}

export interface CheckoutFacts {
  /** post-checkout's third argument: true for a branch or commit checkout. */
  branchCheckout: boolean;
  /** post-checkout's first argument is all zeros: `git worktree add` made this worktree. */
  newWorktree: boolean;
  headDetached: boolean;
  transient: boolean;
  /** Subject of HEAD's newest reflog entry ("checkout: moving from X to Y"). */
  reflogSubject: string | null;
  /** The branch HEAD was on before (`@{-1}`), when it was a branch. */
  previousBranch: string | null;
}

export type CheckoutVerdict =
  | { action: 'none' }
  | { action: 'reattach'; branch: string; message: string }
  | { action: 'warn'; message: string };

/** post-checkout: decide whether a detach must be undone, and onto which branch. */
export function afterCheckout(ctx: Context, f: CheckoutFacts): CheckoutVerdict {
  if (
    ctx.lane.kind !== 'review' ||
    !f.branchCheckout ||
    f.newWorktree ||
    !f.headDetached ||
    f.transient
  )
    return { action: 'none' };
  // A rebase with the apply backend detaches before its state directory exists; its reflog says so.
  if (f.reflogSubject !== null && !/^checkout: /.test(f.reflogSubject)) return { action: 'none' };
  const head = `review-detached-head: ${why}.`;
  if (!f.previousBranch) {
    return {
      action: 'warn',
      message: `${head}\n  HEAD is detached and the branch it was on is unknown. Fix: ${fix(ctx)[0]}`,
    };
  }
  return {
    action: 'reattach',
    branch: f.previousBranch,
    message: `${head}\n  Put the lane back on ${f.previousBranch}. To review another SHA: ${fix(ctx)[0]}`,
  };
}
