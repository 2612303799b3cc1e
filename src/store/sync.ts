// sync (docs/reference.md, "The store under `refs/lanes/`"): share the refs/lanes/ store through
// the git remote with the same compare-and-swap as locally. Fetch the remote's store refs; where
// both sides moved, replay the local operations onto the remote's history through the store's
// reducer (an operation that no longer applies — a claim the remote gave to someone else — is
// reported as lost, exit 3); then push with an explicit expected old value (--force-with-lease),
// and on rejection start again.
import { EXIT, UserError } from '../util/errors.js';
import { git, gitMaybe } from '../git/exec.js';
import { refTips } from '../git/tree-files.js';
import { describePush, fetchRemote, pushRemote } from '../git/remote.js';
import { isAncestor, objectExists } from '../git/repo.js';
import { AUDIT_REF, auditStore } from './audit.js';
import { repairEntryFor, salvageOps } from './rebuild.js';
import { noteWritten } from './journal.js';
import {
  backoff,
  casRef,
  readOpCommits,
  readOps,
  readStore,
  writeCommit,
  type StoreSpec,
} from './store.js';
import { checkStoreUpdate } from './updates.js';
import { fetchHubCopy, hubCopyRef } from './hub-copy.js';

export interface Replayed<S, O> {
  applied: { op: O; state: S }[];
  lost: { op: O; why: string }[];
  /** What changed meaning on the way (a task renumbered), for the report. */
  notes?: string[];
}

/** Apply `ops` (made on top of `base`) onto `onto`; the queue overrides this to renumber tasks. */
export function replayOps<S, O>(
  spec: StoreSpec<S, O>,
  _base: S,
  onto: S,
  ops: O[],
): Replayed<S, O> {
  const out: Replayed<S, O> = { applied: [], lost: [] };
  let state = onto;
  for (const op of ops) {
    const r = spec.apply(state, op);
    if ('conflict' in r) out.lost.push({ op, why: r.conflict });
    else out.applied.push({ op, state: (state = r.state) });
  }
  return out;
}

export interface SyncSpec<S, O> extends StoreSpec<S, O> {
  replay?: (base: S, onto: S, ops: O[]) => Replayed<S, O>;
}

export interface SyncReport {
  ref: string;
  action: 'up to date' | 'pushed' | 'fetched' | 'merged' | 'empty';
  lost: string[];
  notes: string[];
  /** Entries in this worktree's name that its own lanes-hooks did not write: kept here, never pushed. */
  withheld?: string[];
}

/**
 * Whose an entry is, seen from the worktree that syncs (route a, store/journal.ts): `own` (its
 * lanes-hooks wrote it, in a name it may push), `other` (another worktree's, which that one
 * shares) or `forged` (in a name this worktree answers for, written by nothing that vouches for it).
 */
export type Vouch = (ref: string, op: unknown, author: string) => 'own' | 'other' | 'forged';

/**
 * How far this worktree pushes `tip` on top of `from`: through the newest commit before the first
 * entry it does not vouch for; each entry with its verdict.
 */
function pushLimit<S, O>(
  spec: StoreSpec<S, O>,
  from: string | null,
  tip: string,
  vouch: Vouch | undefined,
  cwd?: string,
): { limit: string | null; entries: { op: O; commit: string; v: ReturnType<Vouch> }[] } {
  if (!vouch) return { limit: tip, entries: [] };
  // The operations and their commits from one walk (rev-list ran twice here before).
  const { commits, ops } = readOpCommits(spec, tip, from, cwd);
  const entries = ops.map((op, i) => ({
    op,
    commit: commits[i]!,
    v: vouch(spec.ref, op, spec.author?.(op) ?? ''),
  }));
  const firstNot = entries.findIndex((e) => e.v !== 'own');
  const limit = firstNot < 0 ? tip : firstNot === 0 ? from : entries[firstNot - 1]!.commit;
  return { limit, entries };
}

export const trackingRef = (remote: string, ref: string) =>
  ref.replace(/^refs\/lanes\//, `refs/lanes-sync/${remote}/`);
const MAX_ROUNDS = 20;

/** A store's refs before its first round: its tracking ref (`seen`), the local ref, the remote's. */
interface FirstRound {
  seen: string | null;
  local: string | null;
  theirs: string | null;
}

export async function syncStores(
  stores: SyncSpec<unknown, unknown>[],
  remote: string,
  cwd?: string,
  vouch?: Vouch,
  opts: {
    /** The caller has just asked git that `remote` exists (queue's share()): not asked again. */
    remoteChecked?: boolean;
    /**
     * The remote's store refs as a fetch this command has just made brought them (promote:
     * store/hub-copy.ts fetchWithStores): the first round fetches nothing (a lost race fetches).
     */
    fetched?: Map<string, string>;
  } = {},
): Promise<SyncReport[]> {
  if (
    !opts.remoteChecked &&
    !opts.fetched &&
    gitMaybe(['config', '--get', `remote.${remote}.url`], { cwd }) === null
  )
    throw new UserError(
      `sync: no remote named ${JSON.stringify(remote)} (set "remote" in the config)`,
    );
  // Several stores: one fetch of all the remote's store refs (store/hub-copy.ts) and one
  // for-each-ref serve every store's first round, instead of a rev-parse, a fetch and a
  // for-each-ref per store. One store keeps its own fetch straight into its tracking ref (as
  // cheap, and it brings no other store's objects).
  let first: Map<string, FirstRound> | null = null;
  if (stores.length > 1 || opts.fetched) {
    const trackings = stores.map((s) => trackingRef(remote, s.ref));
    const refs = stores.map((s) => s.ref);
    const fetched = opts.fetched;
    const tips = fetched
      ? refTips([...refs, ...trackings], cwd)
      : await fetchHubCopy(remote, refs, { cwd, what: 'sync', also: [...refs, ...trackings] });
    const theirs = (ref: string) =>
      (fetched ? fetched.get(ref) : tips.get(hubCopyRef(remote, ref))) ?? null;
    first = new Map(
      stores.map((s, i) => [
        s.ref,
        {
          seen: tips.get(trackings[i]!) ?? null,
          local: tips.get(s.ref) ?? null,
          theirs: theirs(s.ref),
        },
      ]),
    );
  }
  const reports: SyncReport[] = [];
  for (const s of stores) reports.push(await syncOne(s, remote, cwd, vouch, first?.get(s.ref)));
  return reports;
}

async function syncOne<S, O>(
  spec: SyncSpec<S, O>,
  remote: string,
  cwd?: string,
  vouch?: Vouch,
  first?: FirstRound,
): Promise<SyncReport> {
  const tracking = trackingRef(remote, spec.ref);
  const lost: string[] = [];
  const notes: string[] = [];
  const withheld: string[] = [];
  /**
   * Push what this worktree vouches for of `tip` on top of `theirs` (false: the remote moved). An
   * entry in this worktree's name that its lanes-hooks never wrote is a forgery in the shared store
   * (route a): it leaves the local store (its reflog keeps it) and is named; another worktree's
   * entry is held back for that worktree's own sync.
   */
  const pushOwn = async (tip: string, theirs: string | null): Promise<boolean | 'nothing'> => {
    const p = pushLimit(spec, theirs, tip, vouch, cwd);
    const forged = p.entries.filter((e) => e.v === 'forged');
    const author = (op: O) => JSON.stringify(spec.author?.(op) ?? '');
    let entries = p.entries;
    let limit = p.limit;
    let outcome: boolean | 'nothing' | null = null;
    if (forged.length) {
      // The history without the forgeries: what is pushed, and then what this machine keeps (a
      // lane may move its store onto the remote's copy with its own entries on top).
      let clean = theirs;
      let state = theirs ? readStore(spec, cwd, theirs).state : spec.empty();
      for (const e of p.entries) {
        if (e.v === 'forged') continue;
        const r = spec.apply(state, e.op);
        if ('conflict' in r) continue;
        state = r.state;
        clean = writeCommit(spec, clean, state, e.op, cwd);
      }
      const q = clean ? pushLimit(spec, theirs, clean, vouch, cwd) : { limit: theirs, entries: [] };
      entries = q.entries;
      limit = q.limit;
      outcome = limit && limit !== theirs ? await pushed(limit, theirs) : 'nothing';
      if (outcome === false) return false;
      let removed = false;
      if (clean)
        try {
          removed = casRef(spec.ref, clean, tip, cwd);
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
        }
      withheld.splice(
        0,
        withheld.length,
        ...forged.map(
          (e) =>
            `${spec.describe(e.op)} (${e.commit.slice(0, 12)}): it is in ${author(e.op)}'s name, which this worktree answers for, but its own lanes-hooks never wrote it (put into the shared store past the hooks, by another lane?): not pushed${removed ? `, and removed from this machine's ${spec.ref} (git reflog ${spec.ref} keeps it)` : ''}`,
        ),
      );
    }
    for (const e of entries.filter((x) => x.v === 'other')) {
      const h = `held back: ${spec.describe(e.op)} (${e.commit.slice(0, 12)}): ${author(e.op)}'s entry, which its own worktree's sync shares`;
      if (!notes.includes(h)) notes.push(h);
    }
    if (outcome !== null) return outcome;
    if (limit === theirs || !limit) return 'nothing';
    return pushed(limit, theirs);
  };
  /** How the last push lost (the remote moved, or another push held its ref's lock). */
  let lastLoss = 'moved' as Loss;
  const pushed = async (commit: string, theirs: string | null): Promise<boolean> => {
    const r = await push(remote, spec.ref, commit, theirs, cwd);
    if (r === 'pushed') return true;
    lastLoss = r;
    return false;
  };
  /**
   * The local operations a replay may carry: a forgery in this worktree's name is left out (and
   * named); what is replayed (a claim's task renumbered, say) is this worktree's writing, noted
   * in its journal so that it is pushed as the original would have been.
   */
  const unforged = (ops: O[]): O[] => {
    if (!vouch) return ops;
    const keep: O[] = [];
    const out: string[] = [];
    for (const op of ops) {
      if (vouch(spec.ref, op, spec.author?.(op) ?? '') !== 'forged') keep.push(op);
      else
        out.push(
          `${spec.describe(op)}: it is in ${JSON.stringify(spec.author?.(op) ?? '')}'s name, which this worktree answers for, but its own lanes-hooks never wrote it (put into the shared store past the hooks, by another lane?): not pushed, and left out of this machine's ${spec.ref} (git reflog ${spec.ref} keeps it)`,
        );
    }
    withheld.splice(0, withheld.length, ...out);
    return keep;
  };
  const rewrite = (parent: string, state: S, op: O): string => {
    const c = writeCommit(spec, parent, state, op, cwd);
    if (vouch) noteWritten(spec.ref, op, cwd);
    return c;
  };
  const done = (action: SyncReport['action']): SyncReport => ({
    ref: spec.ref,
    action,
    lost,
    notes,
    withheld,
  });
  /** This store alone: its tracking ref before, then fetched straight into it, and the local ref. */
  const fetchOwn = async (ref: string, tracking: string): Promise<FirstRound> => {
    const seen = gitMaybe(['rev-parse', '-q', '--verify', tracking], { cwd });
    await fetch(remote, ref, tracking, cwd);
    // Both values from one for-each-ref (exact names: no ref elsewhere that `rev-parse` would
    // find by the same short name stands in for a missing one).
    const tips = refTips([ref, tracking], cwd);
    return { seen, local: tips.get(ref) ?? null, theirs: tips.get(tracking) ?? null };
  };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    // After a lost race, wait a random while (full jitter, up to a second) before the next round:
    // contenders spread out instead of colliding again.
    if (round > 0) await new Promise((r) => setTimeout(r, backoff(round)));
    const { seen, local, theirs } =
      round === 0 && first ? settle(first, tracking, cwd) : await fetchOwn(spec.ref, tracking);
    if (!local && !theirs) return { ref: spec.ref, action: 'empty', lost, notes };
    if (local === theirs) return { ref: spec.ref, action: 'up to date', lost, notes };
    const repair = theirs
      ? await adoptable(spec, remote, tracking, seen, local, theirs, cwd)
      : null;
    if (repair) {
      // The hub's audited repair rewrote the store: adopt it, and replay onto it only what this
      // machine recorded since it last fetched (never the old history, which the repair dropped
      // from on purpose).
      notes.push(repair.note);
      if (!local || local === repair.seen || isAncestor(local, repair.seen, cwd)) {
        if (casRef(spec.ref, theirs!, local, cwd))
          return { ref: spec.ref, action: 'fetched', lost, notes };
        continue;
      }
      const base = gitMaybe(['merge-base', local, repair.seen], { cwd });
      const replayed = (spec.replay ?? ((b, o, x) => replayOps(spec, b, o, x)))(
        spec.empty(),
        readStore(spec, cwd, theirs).state,
        unforged(readOps(spec, local, base, cwd)),
      );
      let tip = theirs!;
      for (const { op, state } of replayed.applied) tip = rewrite(tip, state, op);
      if (!casRef(spec.ref, tip, local, cwd)) continue;
      lost.splice(0, lost.length, ...replayed.lost.map((l) => `${spec.describe(l.op)}: ${l.why}`));
      if (tip === theirs) return done('fetched');
      if (await pushOwn(tip, theirs!)) return done('merged');
      continue;
    }
    if (!local) {
      if (casRef(spec.ref, theirs!, null, cwd))
        return { ref: spec.ref, action: 'fetched', lost, notes };
      continue;
    }
    if (!theirs || isAncestor(theirs, local, cwd)) {
      const pushed = await pushOwn(local, theirs);
      if (pushed === 'nothing') return done('up to date');
      if (pushed) return done('pushed');
      continue;
    }
    if (isAncestor(local, theirs, cwd)) {
      if (casRef(spec.ref, theirs, local, cwd))
        return { ref: spec.ref, action: 'fetched', lost, notes };
      continue;
    }
    // Both moved: replay ours onto theirs, publish locally (CAS), then push with lease. Two
    // machines that each started the store before their first sync share no base: replay all.
    const base = gitMaybe(['merge-base', local, theirs], { cwd });
    const ops = unforged(readOps(spec, local, base, cwd));
    const replayed = (spec.replay ?? ((b, o, x) => replayOps(spec, b, o, x)))(
      base ? readStore(spec, cwd, base).state : spec.empty(),
      readStore(spec, cwd, theirs).state,
      ops,
    );
    let tip = theirs;
    for (const { op, state } of replayed.applied) tip = rewrite(tip, state, op);
    if (!casRef(spec.ref, tip, local, cwd)) continue;
    lost.splice(0, lost.length, ...replayed.lost.map((l) => `${spec.describe(l.op)}: ${l.why}`));
    notes.splice(0, notes.length, ...(replayed.notes ?? []));
    const pushed = await pushOwn(tip, theirs);
    if (pushed) return done('merged');
  }
  throw new UserError(
    lastLoss === 'locked'
      ? `sync: ${spec.ref} stayed locked on ${remote} through ${MAX_ROUNDS} rounds (receive-pack: cannot lock ref, the .lock file exists); try again, and if it persists with no push running, a git process that crashed on ${remote} left ${spec.ref}.lock behind: whoever administers ${remote} removes it`
      : `sync: ${spec.ref} kept moving on ${remote}; ${MAX_ROUNDS} rounds lost the race, try again`,
    EXIT.conflict,
  );
}

/**
 * What sync adopts from the remote is replayed first (issue 28, route 11): on a hub without a
 * guard, anyone with push access can rewrite a store ref (a queue whose state.json gives alice's
 * claim to mallory, with no operation that does so). The fetched history must hold what this
 * machine fetched before, and replay, operation by operation, through the validator the hub runs
 * (store/updates.ts: one well-formed operation per commit, each accepted by the store's reducer,
 * every snapshot the state its operations produce). Otherwise nothing is adopted: the local store
 * is untouched, and the tracking ref goes back to what was verified, so that no lane moves onto it.
 */
async function adoptable<S, O>(
  spec: StoreSpec<S, O>,
  remote: string,
  tracking: string,
  seen: string | null,
  local: string | null,
  theirs: string,
  cwd?: string,
): Promise<{ seen: string; note: string } | null> {
  const restore = () =>
    gitMaybe(seen ? ['update-ref', tracking, seen] : ['update-ref', '-d', tracking], { cwd });
  const refuse = (why: string) => {
    restore();
    throw new UserError(
      `sync: refused ${remote}'s ${spec.ref} at ${theirs.slice(0, 12)}: ${why}\n` +
        `  nothing was adopted: this machine's ${spec.ref} is unchanged${local ? ` (${local.slice(0, 12)})` : ''}\n` +
        `  fix: whoever administers ${remote} puts ${spec.ref} back to a history of real operations (the last one this machine saw: ${seen ? seen.slice(0, 12) : 'none'}), and installs the hub's guard: lanes-hooks hub install <bare-repo> (docs/server.md)`,
      EXIT.refused,
    );
  };
  if (seen && seen !== theirs && !isAncestor(seen, theirs, cwd)) {
    // The one rewrite that is adopted: a coordinator's store repair that the remote's audit log
    // records, from an old tip this machine's history leads to, to exactly this history (which
    // must replay from its root as the store writes it).
    const auditTip = spec.ref === AUDIT_REF ? theirs : await fetchScratch(remote, AUDIT_REF, cwd);
    const entries = auditTip
      ? salvageOps(auditStore, auditTip, cwd).flatMap((s) => (s.op ? [s.op] : []))
      : [];
    const e = repairEntryFor(
      entries,
      spec.ref,
      (to) => to === theirs || (objectExists(to, cwd) && isAncestor(to, theirs, cwd)),
    );
    if (!e)
      refuse(
        `it no longer contains ${seen.slice(0, 12)}, which this machine fetched from there before: its history was rewritten, and ${remote}'s ${AUDIT_REF} records no store repair (lanes-hooks store repair) that made it`,
      );
    const fresh = checkStoreUpdate(
      spec,
      { ref: spec.ref, old: '0'.repeat(theirs.length), new: theirs },
      () => null,
    );
    if (fresh.violations.length)
      refuse(
        `the repaired history does not replay: ${fresh.violations.map((x) => x.why).join('; ')}`,
      );
    const continues =
      e!.old === seen || (objectExists(e!.old, cwd) && isAncestor(seen, e!.old, cwd));
    const kept = new Set(readOps(spec, theirs, null, cwd).map((op) => JSON.stringify(op)));
    const gone = salvageOps(spec, seen, cwd).filter(
      (s) => !s.op || !kept.has(JSON.stringify(s.op)),
    ).length;
    return {
      seen,
      note: `adopted ${remote}'s repair of ${spec.ref} (${e!.old.slice(0, 12)} -> ${e!.next.slice(0, 12)}), recorded in ${AUDIT_REF} by ${JSON.stringify(e!.who)} at ${e!.at}; ${gone} entr${gone === 1 ? 'y' : 'ies'} this machine had ${gone === 1 ? 'is' : 'are'} gone${continues ? '' : ` (this machine last saw ${seen.slice(0, 12)}, which the repair's old tip is not known to contain)`}`,
    };
  }
  // Nothing new since this machine last verified the remote's store: nothing to replay (the walk
  // below would find `theirs` itself as the newest commit held, at the cost of its git calls).
  if (seen === theirs) return null;
  // Only what is new to this machine needs replaying: on top of the newest commit it already holds.
  const known = [local, seen].filter((c): c is string => !!c && isAncestor(c, theirs, cwd));
  const base =
    known.sort((a, b) => (isAncestor(a, b, cwd) ? 1 : -1))[0] ??
    (local ? gitMaybe(['merge-base', local, theirs], { cwd }) : null);
  if (base === theirs) return null;
  const v = checkStoreUpdate(
    spec,
    { ref: spec.ref, old: base ?? '0'.repeat(theirs.length), new: theirs },
    () => null,
  );
  if (v.violations.length) refuse(v.violations.map((x) => x.why).join('; '));
  return null;
}

/**
 * A store's first round from the one fetch of all stores (syncStores): its tracking ref now moves
 * to what the remote has, exactly as its own fetch would have moved it (forced; deleted when the
 * remote has no such store), on this store's turn and not before: a tracking ref says what this
 * machine verified, and adoptable() puts it back to `seen` when what it moved to is refused.
 */
function settle(first: FirstRound, tracking: string, cwd?: string): FirstRound {
  if (first.theirs !== first.seen)
    git(first.theirs ? ['update-ref', tracking, first.theirs] : ['update-ref', '-d', tracking], {
      cwd,
    });
  return first;
}

/** The remote's `ref` as it is now, fetched into a scratch ref (not adopted); null when absent. */
async function fetchScratch(remote: string, ref: string, cwd?: string): Promise<string | null> {
  const scratch = ref.replace(/^refs\/lanes\//, `refs/lanes-sync-check/${remote}/`);
  await fetch(remote, ref, scratch, cwd);
  const tip = gitMaybe(['rev-parse', '-q', '--verify', scratch], { cwd });
  gitMaybe(['update-ref', '-d', scratch], { cwd });
  return tip;
}

async function fetch(remote: string, ref: string, tracking: string, cwd?: string): Promise<void> {
  try {
    await fetchRemote(remote, [`+${ref}:${tracking}`], { cwd, noTags: true, what: `sync ${ref}` });
  } catch (e) {
    if (!/couldn't find remote ref/i.test((e as Error).message)) throw e;
    gitMaybe(['update-ref', '-d', tracking], { cwd }); // the remote has no such store yet
  }
}

type Loss = 'moved' | 'locked';

/**
 * Push `commit` to the remote's `ref` only if the remote still has `expected` there (absent:
 * null). A lost race is an answer, not an error: the remote moved, or another push held the ref.
 */
async function push(
  remote: string,
  ref: string,
  commit: string,
  expected: string | null,
  cwd?: string,
): Promise<'pushed' | Loss> {
  const outcome = await pushRemote(remote, [`${commit}:${ref}`], {
    cwd,
    noVerify: true,
    leases: [`${ref}:${expected ?? ''}`],
  });
  if (outcome.ok) {
    gitMaybe(['update-ref', trackingRef(remote, ref), commit], { cwd });
    return 'pushed';
  }
  // Lost a race: fetch and replay again. Before the push (the lease, or a fast-forward the remote
  // now refuses), or at the remote itself: another push moved the ref between the remote's check
  // and its update, and receive-pack says `[remote rejected] (failed to update ref)` after
  // `remote: error: cannot lock ref '<ref>': is at <sha> but expected <sha>`.
  if (
    outcome.refs.some((r) =>
      /stale info|fetch first|non-fast-forward/i.test(`${r.summary} ${r.reason ?? ''}`),
    ) ||
    outcome.remoteLines.some((l) =>
      /^error: cannot lock ref '[^']+': is at \S+ but expected/.test(l),
    )
  )
    return 'moved';
  // Another receive-pack held the ref's lock past git's wait for it (core.filesRefLockTimeout,
  // 100 ms by default): `remote: error: cannot lock ref '<ref>': Unable to create '<path>.lock':
  // File exists.` (GIT-FACTS). Seen with 30 claims syncing at once on a loaded machine.
  if (
    outcome.remoteLines.some((l) =>
      /^error: cannot lock ref '[^']+': Unable to create '[^']+\.lock': File exists/.test(l),
    )
  )
    return 'locked';
  throw new UserError(`sync: ${describePush(remote, outcome)}`);
}
