// The one rewrite of a store ref the hub accepts (issue 28, route 12): a coordinator's audited
// repair (`lanes-hooks store repair <store>`, coordinator/store-repair.ts). Every other rewrite
// stays refused (store/updates.ts: "not a fast-forward").
//
// How a lane that wants through would go around it, and why it fails:
// - push the rewrite itself, with or without a forged repair entry: the pusher must be a
//   coordinator identity the hub names (server.coordinators), and the entry's who the pusher;
// - a coordinator's machine pushing a rewrite with no entry: refused, the entry must be in the
//   same push and name exactly this old -> new;
// - smuggle an entry in through the rewrite (a claim, a sign-off): the new history may hold only
//   operations of the old one, in order, written exactly as the store writes them
//   (store/rebuild.ts repairProblem): a repair drops entries, never adds one.
import type { LanesConfig } from '../config/schema.js';
import { git, isZeroSha } from '../git/exec.js';
import { isAncestor, objectExists } from '../git/repo.js';
import type { RefUpdate, Violation } from '../policy/types.js';
import { AUDIT_REF, auditStore, type AuditEntry } from '../store/audit.js';
import { parseRepairObject, repairObject, repairProblem } from '../store/rebuild.js';
import { readOps, type StoreSpec } from '../store/store.js';
import { checkStoreUpdate } from './store-updates.js';
import { who, type Pusher } from './identity.js';

/** How far back the repair entry of a repaired audit log may lie (the entries recorded meanwhile). */
const REPAIR_TAIL = 200;

const storeName = (ref: string) => ref.replace(/^refs\/lanes\//, '');

export function repairVerdict<S, O>(
  config: LanesConfig,
  spec: StoreSpec<S, O>,
  u: RefUpdate,
  pusher: Pusher | null,
  isCoordinator: boolean,
  auditUpdate: RefUpdate | null,
  /** The hub's own rules for a coordinator's audit entry (who is the pusher, not backdated). */
  authorizeEntry: (e: AuditEntry) => string | null,
): Violation[] {
  const object = `${u.ref} ${u.old.slice(0, 10)} -> ${u.new.slice(0, 10)}`;
  const refuse = (why: string, fix: string[]): Violation[] => [
    { rule: 'store-integrity', object, why, fix },
  ];
  const repairFix = [
    `from the coordinator, as a coordinator identity: lanes-hooks store repair ${storeName(u.ref)}   (rebuilds, audits and pushes the repair; docs/server.md)`,
  ];
  const syncFix = [
    'lanes-hooks sync   (fetches the hub’s store, replays your operations on top, pushes a fast-forward)',
  ];
  const coordinators = config.server.coordinators;
  if (!coordinators.length || !pusher || !isCoordinator)
    return refuse(
      `not a fast-forward: ${u.ref} keeps its history; the only rewrite the hub accepts is a store repair pushed by a coordinator identity (server.coordinators: ${coordinators.length ? coordinators.join(', ') : 'none named'}); this push is from ${who(pusher)}`,
      syncFix,
    );

  // The history the repair rebuilt, and the audit entry that records it.
  let next = u.new;
  let entries: AuditEntry[];
  if (u.ref === AUDIT_REF) {
    // The audit log repairs itself: the rebuilt log (its old entries only), then what the
    // coordinator's machine recorded meanwhile and the repair entry, which names the rebuilt tip.
    let recent: { op: AuditEntry; commit: string }[];
    try {
      const commits = git(['rev-list', '--first-parent', '-n', String(REPAIR_TAIL), u.new])
        .split('\n')
        .filter(Boolean);
      const ops = readOps(auditStore, u.new, null, undefined, REPAIR_TAIL);
      recent = ops.map((op, i) => ({ op, commit: commits[ops.length - 1 - i]! }));
    } catch (e) {
      return refuse(
        `the repaired audit log does not read: ${(e as Error).message.split('\n')[0]}`,
        repairFix,
      );
    }
    const mine = [...recent]
      .reverse()
      .map((x) => ({
        ...x,
        p: x.op.kind === 'repair' ? parseRepairObject(u.ref, x.op.object) : null,
      }))
      .find((x) => x.p && x.p.old === u.old);
    if (!mine?.p || !objectExists(mine.p.next) || !isAncestor(mine.p.next, mine.commit))
      return refuse(
        `a rewrite of ${u.ref} is a store repair: its new history must record it (a repair entry whose object is "${u.ref} ${u.old} -> <the rebuilt log>", on top of that log)`,
        repairFix,
      );
    next = mine.p.next;
    const top = checkStoreUpdate(auditStore, { ref: u.ref, old: next, new: u.new }, authorizeEntry);
    if (top.violations.length) return top.violations;
    entries = [mine.op];
  } else {
    if (
      !auditUpdate ||
      isZeroSha(auditUpdate.new) ||
      (!isZeroSha(auditUpdate.old) && !isAncestor(auditUpdate.old, auditUpdate.new))
    )
      return refuse(
        `a rewrite of ${u.ref} is a store repair: the same push must add its audit entry to ${AUDIT_REF}`,
        repairFix,
      );
    try {
      entries = readOps(
        auditStore,
        auditUpdate.new,
        isZeroSha(auditUpdate.old) ? null : auditUpdate.old,
      );
    } catch (e) {
      return refuse(
        `the audit entries pushed with it do not read: ${(e as Error).message.split('\n')[0]}`,
        repairFix,
      );
    }
  }
  const wanted = repairObject(u.ref, u.old, next);
  if (!entries.some((e) => e.kind === 'repair' && e.object === wanted))
    return refuse(
      `a rewrite of ${u.ref} is a store repair: the same push must record it in ${AUDIT_REF} (a repair entry whose object is ${JSON.stringify(wanted)})`,
      repairFix,
    );
  const { why } = repairProblem(spec, u.old, next);
  return why ? refuse(why, repairFix) : [];
}
