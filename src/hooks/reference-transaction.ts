// reference-transaction (prepared): every way a governed ref moves, --no-verify included.
// The shell shim already dropped everything no rule governs; what reaches Node needs a decision.
import { isZeroSha } from '../git/exec.js';
import {
  detachesOnItsOwn,
  headBranch,
  isAncestor,
  refValues,
  resolveRef,
  transientState,
} from '../git/repo.js';
import { integrationRef, remoteRef } from '../lanes/names.js';
import { integrationMoves } from '../policy/integration-ff-only.js';
import { laneBranchMoves } from '../policy/lane-branch.js';
import { releaseRefMoves } from '../policy/release-branch-commit.js';
import { detachedHeadCommit } from '../policy/review-detached-head.js';
import type { RefUpdate } from '../policy/types.js';
import { hookContext, restoreAdvice } from './context.js';
import { verdict } from './verdict.js';

export function parseRefUpdates(input: string): RefUpdate[] {
  return input
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length === 3)
    .map(([old, nw, ref]) => ({ old: old!, new: nw!, ref: ref! }));
}

export function referenceTransaction(state: string | undefined, input: string): number {
  if (state !== 'prepared') return 0;
  // old == new is git re-asserting a value (worktree add, reset to the same commit): never refuse.
  const governed = (u: RefUpdate) => u.ref === 'HEAD' || u.ref.startsWith('refs/heads/');
  const changed = parseRefUpdates(input).filter((u) => u.old !== u.new);
  if (!changed.some(governed)) return 0;
  // Nor is a ref set to the value it has: pack-refs (git gc) sends every loose ref as created
  // from zeros at its current value (GIT-FACTS). In `prepared` a ref still has its old value, so
  // only a line with an unchecked (zero) old value can be one: only those are looked up.
  const values = refValues(changed.filter((u) => isZeroSha(u.old)).map((u) => u.ref));
  const updates = changed.filter((u) => !values.has(u.ref) || values.get(u.ref) !== u.new);
  if (!updates.some(governed)) return 0;

  const ctx = hookContext();
  const { config } = ctx;
  const refValue = (ref: string) => {
    if (!values.has(ref)) values.set(ref, resolveRef(ref));
    return values.get(ref)!;
  };
  const transient = transientState(ctx.wt.gitDir);
  const branch = headBranch();
  const headUpdate = updates.find((u) => u.ref === 'HEAD');
  const restore = restoreAdvice(transient, headUpdate !== undefined);

  const violations = [
    ...releaseRefMoves(ctx, updates, {
      remoteRelease: refValue(remoteRef(config.remote, config.release)),
      promoteSha: promotedSha(refValue(remoteRef(config.remote, config.integration))),
      restore,
    }),
    ...integrationMoves(
      ctx,
      updates,
      updates.some((u) => u.ref === integrationRef(config))
        ? refValue(remoteRef(config.remote, config.integration))
        : null,
      restore,
    ),
    ...laneBranchMoves(ctx, updates, { headBranch: branch, refValue, restore }),
    ...detachedHeadCommit(ctx, updates, {
      headDetached: branch === null,
      transient: detachesOnItsOwn(transient),
      parentOfNew:
        headUpdate && !isZeroSha(headUpdate.new) && ctx.lane.kind === 'review'
          ? resolveRef(`${headUpdate.new}^1`)
          : null,
    }),
  ];
  return verdict(ctx, violations);
}

/**
 * `promote` announces the SHA it moves release to. Setting the variable by hand buys nothing the
 * rule does not allow: it counts only for a SHA already reachable from the remote's integration.
 */
function promotedSha(remoteIntegration: string | null): string | null {
  const sha = process.env.LANES_PROMOTE_SHA;
  if (!sha || !/^[0-9a-f]{40,64}$/.test(sha) || !remoteIntegration) return null;
  return isAncestor(sha, remoteIntegration) ? sha : null;
}
