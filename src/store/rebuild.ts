// Rebuilding a store's history (issue 28, route 12's last piece): a store filled before the hub
// bounded bytes per entry (an oversized op.json, a padded state.json, a commit carrying extra files,
// JSON nested past any reader's stack) no longer reads, for everyone who fetches it. `store repair`
// replays its operations from the root, keeps every one that is well-formed, within the caps and
// accepted by the store's reducer, and writes them again exactly as the store writes them; the
// others are dropped and listed. The hub accepts such a rewrite only from a coordinator, with the
// matching audit entry, and only when the new history holds nothing but operations of the old one,
// in their order (repairProblem): a repair can drop entries, never add or change one.
import { git, gitBytes } from '../git/exec.js';
import { blobSizes, readOps, storeFileLimit, writeCommit, type StoreSpec } from './store.js';
import { checkStoreUpdate } from './updates.js';
import type { AuditEntry } from './audit.js';

/** One commit of the old history: its operation, or why it cannot be kept. */
export interface Salvaged<O> {
  commit: string;
  op: O | null;
  why: string | null;
}

/**
 * The operations of `tip`'s first-parent history, oldest first, each read only when its op.json is
 * within the store's limit (sizes from `cat-file --batch-check` first: no reader meets an unbounded
 * blob). Extra files, padded or forged snapshots are not read at all: the state is recomputed.
 */
export function salvageOps<S, O>(spec: StoreSpec<S, O>, tip: string, cwd?: string): Salvaged<O>[] {
  const commits = git(['rev-list', '--first-parent', '--reverse', tip], { cwd })
    .split('\n')
    .filter(Boolean);
  const sizes = blobSizes(
    commits.map((c) => `${c}:op.json`),
    cwd,
  );
  const limit = storeFileLimit('op.json');
  const readable = commits.filter((_, i) => sizes[i]?.type === 'blob' && sizes[i]!.size <= limit);
  const texts = new Map<string, string>();
  if (readable.length) {
    const out = gitBytes(['cat-file', '--batch'], {
      cwd,
      input: readable.map((c) => `${c}:op.json`).join('\n') + '\n',
    });
    let pos = 0;
    for (const c of readable) {
      const nl = out.indexOf(10, pos);
      const size = Number(/ (\d+)$/.exec(out.subarray(pos, nl).toString())?.[1] ?? 0);
      texts.set(c, out.subarray(nl + 1, nl + 1 + size).toString('utf8'));
      pos = nl + 1 + size + 1;
    }
  }
  return commits.map((commit, i) => {
    const b = sizes[i];
    if (!b || b.type !== 'blob') return { commit, op: null, why: 'it has no op.json' };
    if (b.size > limit)
      return {
        commit,
        op: null,
        why: `its op.json holds ${b.size} bytes, more than a store file may (${limit})`,
      };
    try {
      return { commit, op: spec.parseOp(JSON.parse(texts.get(commit)!)), why: null };
    } catch (e) {
      const what =
        e instanceof RangeError ? 'nested past any reader' : 'not a well-formed operation';
      return { commit, op: null, why: `its op.json is ${what}` };
    }
  });
}

export interface Rebuilt<S, O> {
  kept: { commit: string; op: O }[];
  dropped: { commit: string; why: string }[];
  state: S;
}

/** Replay the salvaged operations through the reducer; those it refuses, or that no longer fit the caps, are dropped. */
export function rebuild<S, O>(spec: StoreSpec<S, O>, old: Salvaged<O>[]): Rebuilt<S, O> {
  const out: Rebuilt<S, O> = { kept: [], dropped: [], state: spec.empty() };
  for (const { commit, op, why } of old) {
    if (!op) {
      out.dropped.push({ commit, why: why! });
      continue;
    }
    const r = spec.apply(out.state, op);
    if ('conflict' in r) {
      out.dropped.push({ commit, why: `the store refuses it: ${r.conflict}` });
      continue;
    }
    const files: [string, string][] = [['op.json', JSON.stringify(op, null, 2) + '\n']];
    if (spec.snapshot) files.push(['state.json', JSON.stringify(r.state, null, 2) + '\n']);
    if (spec.index) files.push(...spec.index(r.state));
    const over = files.find(([name, text]) => Buffer.byteLength(text) > storeFileLimit(name));
    if (over) {
      out.dropped.push({ commit, why: `its ${over[0]} would exceed a store file's limit` });
      continue;
    }
    out.kept.push({ commit, op });
    out.state = r.state;
  }
  return out;
}

/** Write the kept operations as a new history from the root (no ref moved); null when none is kept. */
export function writeHistory<S, O>(
  spec: StoreSpec<S, O>,
  kept: { op: O }[],
  cwd?: string,
): string | null {
  let tip: string | null = null;
  let state = spec.empty();
  for (const { op } of kept) {
    const r = spec.apply(state, op);
    if ('conflict' in r) throw new Error(`rebuild: an operation kept no longer applies`);
    state = r.state;
    tip = writeCommit(spec, tip, state, op, cwd);
  }
  return tip;
}

/** Canonical JSON (sorted keys): an operation equals another whatever its key order or padding. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );
}

/**
 * Why `next` is no repair of `old`, or null: `next` must be a store history from the root that the
 * hub accepts as if pushed fresh (one operation per commit, exactly the store's bytes, within the
 * caps, each accepted by the reducer), and its operations must be operations of `old`, in `old`'s
 * order. Also how many of `old`'s commits the repair drops.
 */
export function repairProblem<S, O>(
  spec: StoreSpec<S, O>,
  old: string,
  next: string,
  cwd?: string,
): { why: string | null; dropped: number } {
  const fresh = checkStoreUpdate(
    spec,
    { ref: spec.ref, old: '0'.repeat(next.length), new: next },
    () => null,
  );
  if (fresh.violations.length)
    return {
      why: `the repaired history is not one the store writes: ${fresh.violations.map((v) => v.why).join('; ')}`,
      dropped: 0,
    };
  const before = salvageOps(spec, old, cwd);
  const after = readOps(spec, next, null, cwd);
  let i = 0;
  for (const [k, op] of after.entries()) {
    const want = canonical(op);
    while (i < before.length && (!before[i]!.op || canonical(before[i]!.op) !== want)) i++;
    if (i === before.length)
      return {
        why: `its operation ${k + 1} (${spec.describe(op)}) is not one of ${old.slice(0, 12)}'s, in order: a repair only drops entries`,
        dropped: 0,
      };
    i++;
  }
  return { why: null, dropped: before.length - after.length };
}

/** The audit entry's object for a repair of `ref` from `old` to `next`. */
export const repairObject = (ref: string, old: string, next: string) => `${ref} ${old} -> ${next}`;

/** The old and new tips a repair entry's object names for `ref`, or null. */
export function parseRepairObject(
  ref: string,
  object: string,
): { old: string; next: string } | null {
  const m = /^(\S+) ([0-9a-f]{40,64}) -> ([0-9a-f]{40,64})$/.exec(object);
  return m && m[1] === ref ? { old: m[2]!, next: m[3]! } : null;
}

/** The newest repair entry of `ref` whose new tip satisfies `next`, with the tips it names. */
export function repairEntryFor(
  entries: AuditEntry[],
  ref: string,
  next: (to: string) => boolean,
): (AuditEntry & { old: string; next: string }) | null {
  for (const e of [...entries].reverse()) {
    if (e.kind !== 'repair') continue;
    const p = parseRepairObject(ref, e.object);
    if (p && next(p.next)) return { ...e, ...p };
  }
  return null;
}
