// reference-transaction (prepared): every way a governed ref moves or is deleted, --no-verify
// included. The shell shim already dropped everything no rule governs; what reaches Node needs a
// decision.
import { gitMaybe, isZeroSha } from '../git/exec.js';
import {
  detachesOnItsOwn,
  headBranch,
  isAncestor,
  packedRefLines,
  refValues,
  resolveRef,
  transientState,
} from '../git/repo.js';
import { integrationRef, remoteRef } from '../lanes/names.js';
import { integrationMoves } from '../policy/integration-ff-only.js';
import { laneBranchMoves, laneRefDeletes } from '../policy/lane-branch.js';
import { releaseRefMoves } from '../policy/release-branch-commit.js';
import { shadowRef } from '../policy/release-exact-sha.js';
import { detachedHeadCommit } from '../policy/review-detached-head.js';
import { storeRefMoves } from '../policy/store-integrity.js';
import type { RefUpdate } from '../policy/types.js';
import { promotionRecorded } from '../store/promotions.js';
import { hookContext, restoreAdvice } from './context.js';
import { localStoreReplay } from './store-replay.js';
import { verdict } from './verdict.js';

export function parseRefUpdates(input: string): RefUpdate[] {
  return input
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length === 3)
    .map(([old, nw, ref]) => ({ old: old!, new: nw!, ref: ref! }));
}

/** Lines a rule may govern: HEAD and refs/, but not remote-tracking refs (fetch moves those). */
const governed = (ref: string) =>
  ref === 'HEAD' ||
  (ref.startsWith('refs/') &&
    !ref.startsWith('refs/remotes/') &&
    !ref.startsWith('refs/lanes-sync/'));

export function referenceTransaction(state: string | undefined, input: string): number {
  if (state !== 'prepared') return 0;
  const lines = parseRefUpdates(input).filter(
    (u) => governed(u.ref) && (isZeroSha(u.new) ? u.ref !== 'HEAD' : u.old !== u.new),
  );
  if (!lines.length) return 0;
  // In `prepared` a ref still has its old value (GIT-FACTS). An unchecked (zero) old value is
  // looked up: pack-refs (git gc) sends each loose ref as created from zeros at the value it has
  // (no move), and `update-ref -d` / `branch -D` delete with a zero old value (a delete only if
  // the ref exists). pack-refs then drops each loose copy as "<value> 0…0" while packed-refs keeps
  // that value: no move either.
  const values = refValues(lines.filter((u) => isZeroSha(u.old)).map((u) => u.ref));
  const ctx = hookContext();
  const { config } = ctx;
  const packed = lines.some((u) => isZeroSha(u.new) && !isZeroSha(u.old))
    ? packedRefLines(ctx.wt.commonDir)
    : new Set<string>();
  const updates = lines.filter((u) => {
    if (!isZeroSha(u.old)) return !isZeroSha(u.new) || !packed.has(`${u.old} ${u.ref}`);
    const now = values.get(u.ref) ?? null;
    return isZeroSha(u.new) ? now !== null : now !== u.new;
  });
  if (!updates.length) return 0;

  const refValue = (ref: string) => {
    if (!values.has(ref)) values.set(ref, resolveRef(ref));
    return values.get(ref)!;
  };
  const transient = transientState(ctx.wt.gitDir);
  const branch = headBranch();
  const headUpdate = updates.find((u) => u.ref === 'HEAD');
  const restore = restoreAdvice(transient, headUpdate !== undefined);
  const remoteIntegration = () => refValue(remoteRef(config.remote, config.integration));

  const violations = [
    ...releaseRefMoves(ctx, updates, {
      remoteRelease: refValue(remoteRef(config.remote, config.release)),
      // Only the coordinator promotes: to a SHA its audit log records as a promotion (promote
      // records it before it moves the ref) and that is on the remote's integration.
      promoted: (sha) => {
        const tip = remoteIntegration();
        return !!tip && promotionRecorded(sha) && isAncestor(sha, tip);
      },
      restore,
    }),
    ...integrationMoves(
      ctx,
      updates,
      updates.some((u) => u.ref === integrationRef(config)) ? remoteIntegration() : null,
      restore,
    ),
    ...laneBranchMoves(ctx, updates, { headBranch: branch, refValue, restore }),
    ...laneRefDeletes(ctx, updates, branch),
    ...updates
      .filter((u) => u.ref !== 'HEAD' && !isZeroSha(u.new))
      .flatMap((u) => shadowRef(config, u.ref, `${u.ref} -> ${u.new}`)),
    ...storeRefMoves(ctx, updates, {
      current: refValue,
      descends: (d, a) => isAncestor(a, d),
      synced: (ref) => refValue(ref.replace(/^refs\/lanes\//, `refs/lanes-sync/${config.remote}/`)),
    }),
    ...localStoreReplay(ctx, updates, {
      current: refValue,
      descends: (d, a) => isAncestor(a, d),
      mergeBase: (a, b) => gitMaybe(['merge-base', a, b]),
      synced: (ref) => refValue(ref.replace(/^refs\/lanes\//, `refs/lanes-sync/${config.remote}/`)),
    }),
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
