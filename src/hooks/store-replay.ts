// Local store moves, replayed (issue 28, route 2's local half). Every lane shares the coordinator's
// refs/lanes/*: `git commit-tree` + `git update-ref refs/lanes/reviews` used to add any entry that
// kept the ref moving forward (a D-arch sign-off written by a delivery lane, a claim of another
// lane's branch). A forward move is now replayed operation by operation through the hub's own
// validator (store/updates.ts: one well-formed operation per commit, accepted by the store's
// reducer, snapshot and index matching), each authorized with this lane's OWN role as author: an
// operation names the lane it was made in, and that must be this lane.
//
// How a lane would go around it, and why that fails: forge the author field (refused: it must be
// this lane's role); write the role of another lane into its config (lanes/resolve.ts: the role is
// bound to the worktree's path); move the ref onto a forged "synced" copy (only the operations on
// top of refs/lanes-sync/<remote>/* are the lane's; sync replays what it adopts, store/sync.ts).
import { POLICY_TARGET } from '../policy/merge-requirements.js';
import type { LanesConfig } from '../config/schema.js';
import { isZeroSha } from '../git/exec.js';
import {
  claimProblem,
  endProblem,
  overlapProblem,
  type Claimant,
} from '../policy/claim-required.js';
import type { Context, RefUpdate, Violation } from '../policy/types.js';
import { QUEUE_REF, queueStore, type QueueOp, type QueueState } from '../queue/model.js';
import { REVIEWS_REF, reviewStore, type ReviewEntry } from '../reviews/model.js';
import { AUDIT_REF, auditStore, type AuditEntry } from '../store/audit.js';
import { readOps, type StoreSpec } from '../store/store.js';
import { checkStoreUpdate } from '../store/updates.js';

export interface ReplayFacts {
  current: (ref: string) => string | null;
  descends: (descendant: string, ancestor: string) => boolean;
  synced: (ref: string) => string | null;
  mergeBase: (a: string, b: string) => string | null;
}

/** Why a lane may not record `op` (in `state`), or null: the hub's claim rules, this lane as author. */
export function queueOpProblem(
  config: LanesConfig,
  me: Claimant,
  op: QueueOp,
  state: QueueState,
): string | null {
  const lane = me.role ?? 'unassigned';
  if (op.lane !== lane)
    return `it says it was made in lane ${JSON.stringify(op.lane)}, but this is ${JSON.stringify(lane)}: a lane records operations in its own name only`;
  if (op.op === 'claim')
    return (
      (claimProblem(config, me, op) ?? overlapProblem(state.tasks, state.claims, op))?.why ?? null
    );
  if (op.op === 'end') {
    const target = state.claims.find(
      (c) =>
        c.state === 'active' && (op.task !== null ? c.task === op.task : c.branch === op.branch),
    );
    return target ? (endProblem(me, target, op.end)?.why ?? null) : null;
  }
  return null;
}

/** A review entry a lane may record: its own, as the review role it is, of a delivery role. */
export function reviewEntryProblem(
  config: LanesConfig,
  me: Claimant,
  e: ReviewEntry,
): string | null {
  if (me.kind !== 'review' || e.reviewer !== me.role)
    return `it is ${JSON.stringify(e.reviewer)}'s ${e.kind}, and this is ${me.role === null ? 'an unassigned worktree' : `the ${JSON.stringify(me.role)} lane`}: a review lane records its own findings and sign-offs only`;
  // A policy sign-off (review signoff --policy) names the policy, not a lane; the hub judges
  // which review roles the config names for it (guard/server-stores.ts).
  if (e.target === POLICY_TARGET)
    return e.kind === 'carryover' ? 'a policy sign-off never carries over' : null;
  if (config.roles[e.target]?.kind !== 'delivery')
    return `${JSON.stringify(e.target)} is not a delivery role of this repository`;
  if (e.kind === 'carryover')
    return 'a carry-over is recorded by the coordinator (lanes-hooks merge or land), never by a lane';
  return null;
}

/** An audit entry a lane may record: an override of its own (the hooks write those). */
export function auditEntryProblem(me: Claimant, e: AuditEntry): string | null {
  const lane = me.role ?? 'unassigned';
  if (e.kind !== 'override') return `a ${e.kind} entry is recorded by the coordinator only`;
  if (e.lane !== lane)
    return `it says it was made in lane ${JSON.stringify(e.lane)}, but this is ${JSON.stringify(lane)}`;
  return null;
}

export function localStoreReplay(ctx: Context, updates: RefUpdate[], f: ReplayFacts): Violation[] {
  if (ctx.lane.kind === 'coordinator') return [];
  const me: Claimant = { kind: ctx.lane.kind, role: ctx.lane.role, owner: ctx.lane.owner };
  const out: Violation[] = [];
  for (const u of updates) {
    if (isZeroSha(u.new) || ![QUEUE_REF, REVIEWS_REF, AUDIT_REF].includes(u.ref)) continue;
    // The operations that are this lane's: on top of its store, or of the remote's copy that sync
    // replays it onto. Anything else is store-integrity's to refuse (policy/store-integrity.ts).
    // The remote's copy as sync fetched it was replayed by sync before it was adopted
    // (store/sync.ts): only what this move adds on top of it, or of the local store, is new.
    const current = f.current(u.ref);
    const synced = f.synced(u.ref);
    // On top of whichever of the two is later: what other writers put in the local store (the
    // coordinator's land in the same repository, say) before this move is not this lane's, even
    // when it is not synced yet; nor is what sync fetched.
    const onCurrent = !!current && f.descends(u.new, current);
    const onSynced = !!synced && f.descends(u.new, synced);
    const base =
      onCurrent && onSynced
        ? f.descends(synced!, current!)
          ? synced
          : current
        : onSynced
          ? synced
          : onCurrent || !current
            ? current
            : undefined;
    if (base === undefined) continue;
    const move = { ref: u.ref, old: base ?? '0'.repeat(u.new.length), new: u.new };
    // sync replays the local store's unsynced operations (other lanes' and the coordinator's
    // included) onto the remote's copy: an operation already in the local store is no new one.
    let known: Set<string> | null = null;
    const already = (spec: StoreSpec<unknown, unknown>, op: unknown) => {
      if (!current || base !== synced || f.descends(u.new, current)) return false;
      known ??= new Set(
        readOps(spec, current, f.mergeBase(current, synced!)).map((o) => JSON.stringify(o)),
      );
      return known.has(JSON.stringify(op));
    };
    const v =
      u.ref === QUEUE_REF
        ? checkStoreUpdate(queueStore, move, (op: QueueOp, s: QueueState) =>
            already(queueStore as never, op) ? null : queueOpProblem(ctx.config, me, op, s),
          )
        : u.ref === REVIEWS_REF
          ? checkStoreUpdate(reviewStore, move, (e: ReviewEntry) =>
              already(reviewStore as never, e) ? null : reviewEntryProblem(ctx.config, me, e),
            )
          : checkStoreUpdate(auditStore, move, (e: AuditEntry) =>
              already(auditStore as never, e) ? null : auditEntryProblem(me, e),
            );
    out.push(
      ...v.violations.map((x) => ({
        ...x,
        fix: x.fix.length
          ? x.fix
          : ['record it with the lanes-hooks command in the lane it belongs to (queue, review)'],
      })),
    );
  }
  return out;
}
