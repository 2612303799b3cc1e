// store repair <store> (docs/server.md, "Repairing a store"): a store filled before the hub bounded
// bytes per entry (issue 28, route 12) reads for nobody: an oversized op.json, a padded state.json,
// extra files, JSON nested past the stack. The coordinator rebuilds its history from the hub's tip
// (store/rebuild.ts: every entry that is well-formed, within the caps and accepted by the reducer
// is kept, the others dropped and listed), records the repair in the audit log (who, old tip, new
// tip, every dropped entry and why) and pushes both in one atomic push with a lease on the hub's
// old tips. The hub accepts that rewrite only from a coordinator identity, with that entry, and
// only when it drops entries and adds none (guard/store-repair.ts); other machines' `sync` adopts
// it only where the hub's audit log records exactly that repair (store/sync.ts).
import { EXIT, UserError } from '../util/errors.js';
import { gitMaybe } from '../git/exec.js';
import { isAncestor } from '../git/repo.js';
import { describePush, fetchRemote, pushRemote } from '../git/remote.js';
import type { HookContext } from '../hooks/context.js';
import { queueStore } from '../queue/model.js';
import { reviewStore } from '../reviews/model.js';
import { AUDIT_REF, auditStore, auditWho, type AuditEntry } from '../store/audit.js';
import { rebuild, repairObject, salvageOps, writeHistory } from '../store/rebuild.js';
import { casRef, readOps, readStore, writeCommit, type StoreSpec } from '../store/store.js';
import { trackingRef } from '../store/sync.js';
import { checkStoreUpdate } from '../store/updates.js';
import { requireCoordinator } from './merge.js';

export const REPAIRABLE: Record<string, StoreSpec<unknown, unknown>> = {
  queue: queueStore as StoreSpec<unknown, unknown>,
  reviews: reviewStore as StoreSpec<unknown, unknown>,
  audit: auditStore as StoreSpec<unknown, unknown>,
};

/** What an audit entry's reason may hold (an op.json stays far below its 64 KiB limit). */
const MAX_REASON = 8000;

const tipOf = (ref: string) => gitMaybe(['rev-parse', '-q', '--verify', ref]);

/** Fetch the hub's `ref` into a scratch ref; null when the hub has none. */
async function fetchHub(remote: string, ref: string): Promise<string | null> {
  const scratch = ref.replace(/^refs\/lanes\//, 'refs/lanes-repair/');
  gitMaybe(['update-ref', '-d', scratch]);
  try {
    await fetchRemote(remote, [`+${ref}:${scratch}`], { noTags: true, what: 'store repair' });
  } catch (e) {
    if (/couldn't find remote ref/i.test((e as Error).message)) return null;
    throw e;
  }
  const tip = tipOf(scratch);
  gitMaybe(['update-ref', '-d', scratch]);
  return tip;
}

export async function storeRepair(
  ctx: HookContext,
  name: string | undefined,
  opts: { dryRun: boolean },
  log: (s: string) => void,
): Promise<number> {
  requireCoordinator(ctx, 'store repair');
  const spec = name ? REPAIRABLE[name] : undefined;
  if (!spec)
    throw new UserError(
      `store repair: ${name === undefined ? 'name the store' : `no store named ${JSON.stringify(name)}`}: one of ${Object.keys(REPAIRABLE).join(', ')}`,
      EXIT.usage,
    );
  const { remote } = ctx.config;
  if (gitMaybe(['config', '--get', `remote.${remote}.url`]) === null)
    throw new UserError(
      `store repair: no remote named ${JSON.stringify(remote)}: a repair is made on the hub's store (set "remote" in the config)`,
    );
  const old = await fetchHub(remote, spec.ref);
  if (!old) {
    log(`store repair: ${remote} has no ${spec.ref}: nothing to repair`);
    return EXIT.ok;
  }
  const local = tipOf(spec.ref);
  // What this machine recorded that the hub lacks (sync cannot share it while the hub's store is
  // damaged): not part of the repair, which holds the hub's entries only; replayed on top of it
  // here afterwards, and shared by sync as any new entry.
  const unshared =
    local && local !== old && !isAncestor(local, old)
      ? readOps(spec, local, gitMaybe(['merge-base', local, old]))
      : [];
  const healthy = checkStoreUpdate(
    spec,
    { ref: spec.ref, old: '0'.repeat(old.length), new: old },
    () => null,
  );
  if (!healthy.violations.length) {
    log(
      `store repair: ${remote}'s ${spec.ref} (${old.slice(0, 12)}) reads as the store writes it: nothing to repair`,
    );
    return EXIT.ok;
  }

  const salvaged = salvageOps(spec, old);
  const { kept, dropped } = rebuild(spec, salvaged);
  const report = [
    `store repair: ${spec.ref} at ${old.slice(0, 12)} (${remote}): ${salvaged.length} entries, ${kept.length} kept, ${dropped.length} dropped${dropped.length ? ':' : ''}`,
    ...dropped.map((d) => `  dropped ${d.commit.slice(0, 12)}: ${d.why}`),
  ];
  if (!kept.length)
    throw new UserError(
      [
        ...report,
        `store repair: nothing of ${spec.ref} would be kept: the hub's administrator resets it (docs/server.md, "Repairing a store")`,
      ].join('\n'),
      EXIT.refused,
    );
  for (const l of report) log(l);
  if (opts.dryRun) {
    log(`store repair: --dry-run: nothing written or pushed`);
    return EXIT.ok;
  }

  const next = writeHistory(spec, kept)!;
  let reason = `store repair: dropped ${dropped.length} of ${salvaged.length}: ${dropped.map((d) => `${d.commit} (${d.why})`).join('; ')}`;
  if (reason.length > MAX_REASON) reason = reason.slice(0, MAX_REASON - 1) + '…';
  const entry: AuditEntry = {
    at: new Date().toISOString(),
    who: auditWho(),
    lane: ctx.lane.role ?? 'coordinator',
    rule: 'store-integrity',
    object: repairObject(spec.ref, old, next),
    reason,
    kind: 'repair',
  };
  // The entry rides on the hub's audit log (with this machine's unshared entries, which the hub
  // judges as any sync's); a repaired audit log ends with its own repair entry.
  const hubAudit = spec === REPAIRABLE.audit ? old : await fetchHub(remote, AUDIT_REF);
  let auditBase: string | null = hubAudit;
  if (spec === REPAIRABLE.audit) {
    // This machine's unshared entries go between the rebuilt log and the repair entry: the hub
    // takes entries of one person in time order only.
    auditBase = next;
    for (const op of unshared.splice(0)) auditBase = writeCommit(spec, auditBase, [], op);
  }
  const localAudit = tipOf(AUDIT_REF);
  if (spec !== REPAIRABLE.audit && localAudit && localAudit !== hubAudit) {
    if (!hubAudit || isAncestor(hubAudit, localAudit)) auditBase = localAudit;
    else if (!isAncestor(localAudit, hubAudit))
      throw new UserError(
        `store repair: this machine's ${AUDIT_REF} and ${remote}'s have both moved: lanes-hooks sync first, then repair`,
        EXIT.conflict,
      );
  }
  const auditNext = writeCommit(auditStore, auditBase, [], entry);
  const refspecs =
    spec === REPAIRABLE.audit
      ? [`${auditNext}:${AUDIT_REF}`]
      : [`${next}:${spec.ref}`, `${auditNext}:${AUDIT_REF}`];
  const leases =
    spec === REPAIRABLE.audit
      ? [`${AUDIT_REF}:${old}`]
      : [`${spec.ref}:${old}`, `${AUDIT_REF}:${hubAudit ?? ''}`];
  const outcome = await pushRemote(remote, refspecs, { atomic: true, noVerify: true, leases });
  if (!outcome.ok) {
    const stale = outcome.refs.some((r) =>
      /stale info|fetch first/i.test(`${r.summary} ${r.reason ?? ''}`),
    );
    throw new UserError(
      `store repair: ${describePush(remote, outcome)}\n  nothing was changed here; ${stale ? 'the hub moved meanwhile: run it again' : 'the hub accepts a repair only from a coordinator identity (server.coordinators; docs/server.md)'}`,
      stale ? EXIT.conflict : EXIT.refused,
    );
  }
  // The hub holds the repair: this machine's refs follow it (the coordinator's own store moves),
  // with what it recorded that the hub lacked on top.
  const ownTip = spec === REPAIRABLE.audit ? auditNext : next;
  let localTip = ownTip;
  let state = readStore(spec, undefined, ownTip).state;
  for (const op of unshared) {
    const r = spec.apply(state, op);
    if ('conflict' in r) {
      log(`store repair: LOST (this machine's, unshared): ${spec.describe(op)}: ${r.conflict}`);
      continue;
    }
    state = r.state;
    localTip = writeCommit(spec, localTip, state, op);
  }
  casRef(spec.ref, localTip, local);
  if (unshared.length)
    log(
      `store repair: ${unshared.length} entr${unshared.length === 1 ? 'y' : 'ies'} this machine had not shared replayed on top; lanes-hooks sync shares them`,
    );
  gitMaybe(['update-ref', trackingRef(remote, spec.ref), ownTip]);
  if (spec !== REPAIRABLE.audit) {
    casRef(AUDIT_REF, auditNext, localAudit);
    gitMaybe(['update-ref', trackingRef(remote, AUDIT_REF), auditNext]);
  }
  log(
    `store repair: ${spec.ref} ${old.slice(0, 12)} -> ${ownTip.slice(0, 12)} pushed to ${remote}, recorded in ${AUDIT_REF} (${entry.who}); other machines adopt it on their next lanes-hooks sync`,
  );
  return EXIT.ok;
}
