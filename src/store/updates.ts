// A store ref's move, replayed (guard pre-receive on the hub, reference-transaction in a lane): it may only move forward,
// one well-formed operation per commit, each of which the store's own reducer accepts on top of the
// hub's current state, exactly as the local compare-and-swap would have. So a forced push cannot
// erase the audit log, drop or forge claims, or invent a state the operations do not produce.
// What each operation may do is then checked against who pushes it (authorize).
import { gitBytes, isZeroSha } from '../git/exec.js';
import { isAncestor } from '../git/repo.js';
import type { RefUpdate, Violation } from '../policy/types.js';
import { blobSizes, readBlobs, readStore, storeFileLimit, type StoreSpec } from './store.js';

const SYNC_FIX = [
  'lanes-hooks sync   (fetches the hub’s store, replays your operations on top, pushes a fast-forward)',
];

/** Why one operation may not be pushed by this pusher (given the state it applies to), or null. */
export type Authorize<O, S = unknown> = (op: O, state: S) => string | null;

export interface StoreVerdict<S> {
  violations: Violation[];
  /** The state the store will have once this push lands (snapshot stores), when it is valid. */
  state: S | null;
}

/** Canonical JSON (sorted keys), so that two equal states compare equal whatever their key order. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );
}

/** Whether `text` is what the store writes for `parsed` (store.ts writeCommit's serialisation). */
function written(text: string, raw: unknown, parsed: unknown): boolean {
  try {
    return text === JSON.stringify(raw, null, 2) + '\n' && canonical(raw) === canonical(parsed);
  } catch {
    return false; // nested past the stack: nothing the store writes
  }
}

export function checkStoreUpdate<S, O>(
  spec: StoreSpec<S, O>,
  u: RefUpdate,
  authorize: Authorize<O, S>,
): StoreVerdict<S> {
  const object = `${u.ref} ${u.old.slice(0, 10)} -> ${u.new.slice(0, 10)}`;
  const refuse = (why: string, fix = SYNC_FIX): StoreVerdict<S> => ({
    violations: [{ rule: 'store-integrity', object, why, fix }],
    state: null,
  });
  if (isZeroSha(u.new)) return refuse(`${u.ref} is never deleted: it is the lanes' shared record`);
  const old = isZeroSha(u.old) ? null : u.old;
  if (old && !isAncestor(old, u.new))
    return refuse(
      `not a fast-forward: ${u.ref} keeps its history (a forced push would rewrite what others recorded)`,
    );

  // The new commits, oldest first: a single chain from the old tip, one parent each.
  const listing = gitBytes([
    'rev-list',
    '--reverse',
    '--parents',
    u.new,
    ...(old ? [`^${old}`] : []),
  ])
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' '));
  let prev: string | null = old;
  for (const [commit, ...parents] of listing) {
    const expected = prev ? [prev] : [];
    if (parents.join(' ') !== expected.join(' '))
      return refuse(
        `${commit!.slice(0, 10)} is not one operation on top of the previous one (merges and grafted histories are not store operations)`,
      );
    prev = commit!;
  }

  let state: S;
  try {
    state = old ? readStore(spec, undefined, old).state : spec.empty();
  } catch {
    state = spec.empty(); // the hub's own store is damaged: judge the new operations on their own
  }
  const commits = listing.map(([c]) => c!);
  const files = ['op.json', ...(spec.snapshot ? ['state.json'] : [])];
  const indexFiles = spec.index ? spec.index(state).map(([name]) => name) : [];
  const names = [...files, ...indexFiles];
  // Bounded bytes before anything is read: each commit's tree holds exactly the files the store
  // writes (a tree's size is fixed by its entries' names, so one byte more is an extra entry), and
  // each file is within its limit.
  const sizes = blobSizes(
    commits.flatMap((c) => [`${c}^{tree}`, ...names.map((f) => `${c}:${f}`)]),
  );
  for (const [i, commit] of commits.entries()) {
    const [tree, ...blobs] = sizes.slice(i * (names.length + 1), (i + 1) * (names.length + 1));
    const hashBytes = (tree?.id.length ?? 40) / 2;
    const expected = names.reduce((n, f) => n + '100644 '.length + f.length + 1 + hashBytes, 0);
    const at = commit.slice(0, 10);
    const missing = names.find((_, k) => blobs[k]?.type !== 'blob');
    if (missing) return refuse(`${at}: a pushed commit lacks a store file: ${missing}`);
    if (tree?.size !== expected)
      return refuse(
        `${at}: its tree holds other files than the store writes (${names.join(', ')}): a store commit carries nothing else`,
      );
    const over = names.findIndex((f, k) => blobs[k]!.size > storeFileLimit(f));
    if (over >= 0)
      return refuse(
        `${at}: ${names[over]} holds ${blobs[over]!.size} bytes, more than a store file may (${storeFileLimit(names[over]!)})`,
      );
  }
  let texts: string[];
  try {
    texts = readBlobs(
      spec.ref,
      commits.flatMap((c) => [...files, ...indexFiles].map((f) => `${c}:${f}`)),
    );
  } catch (e) {
    return refuse(`a pushed commit lacks a store file: ${(e as Error).message.split('\n')[0]}`);
  }
  const per = files.length + indexFiles.length;
  for (const [i, commit] of commits.entries()) {
    const at = commit.slice(0, 10);
    const [opText, stateText, ...indexTexts] = texts.slice(i * per, (i + 1) * per);
    let op: O;
    let opRaw: unknown;
    try {
      opRaw = JSON.parse(opText!);
      op = spec.parseOp(opRaw);
    } catch {
      return refuse(`${at}: op.json is not a well-formed operation`);
    }
    const denied = authorize(op, state);
    if (denied) return refuse(`${at}: ${spec.describe(op)}: ${denied}`, []);
    const r = spec.apply(state, op);
    if ('conflict' in r)
      return refuse(`${at}: ${spec.describe(op)}: the store refuses it: ${r.conflict}`);
    if (spec.snapshot) {
      let recorded: S;
      let stateRaw: unknown;
      try {
        stateRaw = JSON.parse(stateText!);
        recorded = spec.parseState(stateRaw);
      } catch {
        return refuse(`${at}: state.json does not parse`);
      }
      if (canonical(recorded) !== canonical(r.state))
        return refuse(`${at}: state.json is not the state its operation produces (a forged state)`);
      if (!written(stateText!, stateRaw, recorded))
        return refuse(
          `${at}: state.json is not what the store writes (padded, or with fields no state has)`,
        );
    }
    // Exactly the bytes the store writes (its own serialisation: no padding, no unknown fields,
    // which the schemas would strip silently); checked last, so a forgery hears its real fault.
    if (!written(opText!, opRaw, op))
      return refuse(
        `${at}: op.json is not what the store writes (padded, or with fields no operation has)`,
      );
    const index = spec.index?.(r.state) ?? [];
    if (index.some(([, text], k) => indexTexts[k] !== text))
      return refuse(`${at}: ${index.map(([n]) => n).join(', ')} does not match the state`);
    state = r.state;
  }
  return { violations: [], state };
}
