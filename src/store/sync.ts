// sync (docs/reference.md, "The store under `refs/lanes/`"): share the refs/lanes/ store through
// the git remote with the same compare-and-swap as locally. Fetch the remote's store refs; where
// both sides moved, replay the local operations onto the remote's history through the store's
// reducer (an operation that no longer applies — a claim the remote gave to someone else — is
// reported as lost, exit 3); then push with an explicit expected old value (--force-with-lease),
// and on rejection start again.
import { EXIT, UserError } from '../util/errors.js';
import { gitMaybe } from '../git/exec.js';
import { describePush, fetchRemote, pushRemote } from '../git/remote.js';
import { isAncestor } from '../git/repo.js';
import { casRef, readOps, readStore, writeCommit, type StoreSpec } from './store.js';
import { checkStoreUpdate } from './updates.js';

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
}

const trackingRef = (remote: string, ref: string) =>
  ref.replace(/^refs\/lanes\//, `refs/lanes-sync/${remote}/`);
const MAX_ROUNDS = 20;

export async function syncStores(
  stores: SyncSpec<unknown, unknown>[],
  remote: string,
  cwd?: string,
): Promise<SyncReport[]> {
  if (gitMaybe(['config', '--get', `remote.${remote}.url`], { cwd }) === null)
    throw new UserError(
      `sync: no remote named ${JSON.stringify(remote)} (set "remote" in the config)`,
    );
  const reports: SyncReport[] = [];
  for (const s of stores) reports.push(await syncOne(s, remote, cwd));
  return reports;
}

async function syncOne<S, O>(
  spec: SyncSpec<S, O>,
  remote: string,
  cwd?: string,
): Promise<SyncReport> {
  const tracking = trackingRef(remote, spec.ref);
  const lost: string[] = [];
  const notes: string[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const seen = gitMaybe(['rev-parse', '-q', '--verify', tracking], { cwd });
    await fetch(remote, spec.ref, tracking, cwd);
    const local = gitMaybe(['rev-parse', '-q', '--verify', spec.ref], { cwd });
    const theirs = gitMaybe(['rev-parse', '-q', '--verify', tracking], { cwd });
    if (!local && !theirs) return { ref: spec.ref, action: 'empty', lost, notes };
    if (local === theirs) return { ref: spec.ref, action: 'up to date', lost, notes };
    if (theirs) adoptable(spec, remote, tracking, seen, local, theirs, cwd);
    if (!local) {
      if (casRef(spec.ref, theirs!, null, cwd))
        return { ref: spec.ref, action: 'fetched', lost, notes };
      continue;
    }
    if (!theirs || isAncestor(theirs, local, cwd)) {
      if (await push(remote, spec.ref, local, theirs, cwd))
        return { ref: spec.ref, action: 'pushed', lost, notes };
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
    const ops = readOps(spec, local, base, cwd);
    const replayed = (spec.replay ?? ((b, o, x) => replayOps(spec, b, o, x)))(
      base ? readStore(spec, cwd, base).state : spec.empty(),
      readStore(spec, cwd, theirs).state,
      ops,
    );
    let tip = theirs;
    for (const { op, state } of replayed.applied) tip = writeCommit(spec, tip, state, op, cwd);
    if (!casRef(spec.ref, tip, local, cwd)) continue;
    lost.splice(0, lost.length, ...replayed.lost.map((l) => `${spec.describe(l.op)}: ${l.why}`));
    notes.splice(0, notes.length, ...(replayed.notes ?? []));
    if (await push(remote, spec.ref, tip, theirs, cwd))
      return { ref: spec.ref, action: 'merged', lost, notes };
  }
  throw new UserError(
    `sync: ${spec.ref} kept moving on ${remote}; ${MAX_ROUNDS} rounds lost the race, try again`,
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
function adoptable<S, O>(
  spec: StoreSpec<S, O>,
  remote: string,
  tracking: string,
  seen: string | null,
  local: string | null,
  theirs: string,
  cwd?: string,
): void {
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
  if (seen && seen !== theirs && !isAncestor(seen, theirs, cwd))
    refuse(
      `it no longer contains ${seen.slice(0, 12)}, which this machine fetched from there before: its history was rewritten`,
    );
  // Only what is new to this machine needs replaying: on top of the newest commit it already holds.
  const known = [local, seen].filter((c): c is string => !!c && isAncestor(c, theirs, cwd));
  const base =
    known.sort((a, b) => (isAncestor(a, b, cwd) ? 1 : -1))[0] ??
    (local ? gitMaybe(['merge-base', local, theirs], { cwd }) : null);
  if (base === theirs) return;
  const v = checkStoreUpdate(
    spec,
    { ref: spec.ref, old: base ?? '0'.repeat(theirs.length), new: theirs },
    () => null,
  );
  if (v.violations.length) refuse(v.violations.map((x) => x.why).join('; '));
}

async function fetch(remote: string, ref: string, tracking: string, cwd?: string): Promise<void> {
  try {
    await fetchRemote(remote, [`+${ref}:${tracking}`], { cwd, noTags: true, what: `sync ${ref}` });
  } catch (e) {
    if (!/couldn't find remote ref/i.test((e as Error).message)) throw e;
    gitMaybe(['update-ref', '-d', tracking], { cwd }); // the remote has no such store yet
  }
}

/** Push `commit` to the remote's `ref` only if the remote still has `expected` there (absent: null). */
async function push(
  remote: string,
  ref: string,
  commit: string,
  expected: string | null,
  cwd?: string,
): Promise<boolean> {
  const outcome = await pushRemote(remote, [`${commit}:${ref}`], {
    cwd,
    noVerify: true,
    leases: [`${ref}:${expected ?? ''}`],
  });
  if (outcome.ok) {
    gitMaybe(['update-ref', trackingRef(remote, ref), commit], { cwd });
    return true;
  }
  // Lost a race (the lease, or a fast-forward the remote now refuses): fetch and replay again.
  if (
    outcome.refs.some((r) =>
      /stale info|fetch first|non-fast-forward/i.test(`${r.summary} ${r.reason ?? ''}`),
    )
  )
    return false;
  throw new UserError(`sync: ${describePush(remote, outcome)}`);
}
