// The lanes store (docs/reference.md, "The store under `refs/lanes/`"): state kept in git under
// refs/lanes/. Every change is a commit holding the operation (op.json) and, for snapshot stores,
// the resulting state (state.json), published by a compare-and-swap update-ref. A lost race
// re-reads and re-applies the operation through the store's pure reducer, which also decides when
// the outcome changed (a conflict). Readers only ever see complete commits; a writer killed at any
// point leaves at most unreferenced objects (or a stale ref lock, which the next writer clears);
// refs keep everything from gc.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError, EXIT } from '../util/errors.js';
import { git, gitBytes, gitMaybe, gitRun, ZERO_SHA } from '../git/exec.js';
import { noteWritten } from './journal.js';

/** A conflict is exit 3 (someone else holds it now); `usage` marks a request that never could apply (exit 2). */
export type Applied<S> = { state: S } | { conflict: string; usage?: boolean };

export interface StoreSpec<S, O> {
  ref: string;
  empty(): S;
  /** Pure: the state after `op`, or why `op` no longer applies. */
  apply(state: S, op: O): Applied<S>;
  /** Subject line of the commit, for people reading `git log`. */
  describe(op: O): string;
  /** Keep the whole state in each commit (queue) or only the ops (append-only logs). */
  snapshot: boolean;
  /** Validate what was read (a damaged store fails closed). */
  parseState(raw: unknown): S;
  /**
   * Plain-text files derived from the state, written beside state.json for readers that are not
   * Node (the hooks' shell fast path). Never read back by Node: state.json stays the truth.
   */
  index?(state: S): [string, string][];
  parseOp(raw: unknown): O;
  /** The role (or "coordinator") an operation is recorded in the name of: whose sync may push it. */
  author?(op: O): string;
}

/** Store commits are made by lanes-hooks; who acted is part of each operation. */
export const STORE_ENV = {
  GIT_AUTHOR_NAME: 'lanes-hooks',
  GIT_AUTHOR_EMAIL: 'lanes-hooks@localhost',
  GIT_COMMITTER_NAME: 'lanes-hooks',
  GIT_COMMITTER_EMAIL: 'lanes-hooks@localhost',
};

const MAX_ATTEMPTS = 60;

export interface Snapshot<S> {
  tip: string | null;
  state: S;
}

export function damaged(ref: string, what: string): UserError {
  return new UserError(
    `lanes store: ${ref} is damaged: ${what}.\n  The history is kept in git: inspect it with git log ${ref}`,
    EXIT.usage,
  );
}

/** `at`: the commit to read (null: the ref is known to be absent); by default the ref's tip now. */
export function readStore<S, O>(
  spec: StoreSpec<S, O>,
  cwd?: string,
  at?: string | null,
): Snapshot<S> {
  const tip = at !== undefined ? at : gitMaybe(['rev-parse', '-q', '--verify', spec.ref], { cwd });
  if (!tip) return { tip: null, state: spec.empty() };
  if (spec.snapshot) {
    // The tip's type is asked in the same `cat-file --batch-check` as state.json's size (one git
    // process fewer on every read of the queue, which most commands and hooks make).
    const [text] = readBlobs(spec.ref, [`${tip}:state.json`], cwd, tip);
    return { tip, state: parseText(spec.ref, `${tip}:state.json`, text!, spec.parseState) };
  }
  if (gitMaybe(['cat-file', '-t', tip], { cwd }) !== 'commit')
    throw damaged(spec.ref, `${tip} is not a commit`);
  let state = spec.empty();
  for (const op of readOps(spec, tip, null, cwd)) {
    const r = spec.apply(state, op);
    if ('conflict' in r) throw damaged(spec.ref, `an operation does not apply: ${r.conflict}`);
    state = r.state;
  }
  return { tip, state };
}

/** The operations of the commits from `base` (exclusive) to `tip`, oldest first; `last` keeps only the newest. */
export function readOps<S, O>(
  spec: StoreSpec<S, O>,
  tip: string,
  base: string | null,
  cwd?: string,
  last?: number,
): O[] {
  return readOpCommits(spec, tip, base, cwd, last).ops;
}

/** readOps, with the commit each operation was read from (`commits[i]` holds `ops[i]`). */
export function readOpCommits<S, O>(
  spec: StoreSpec<S, O>,
  tip: string,
  base: string | null,
  cwd?: string,
  last?: number,
): { commits: string[]; ops: O[] } {
  const range = [...(last ? ['-n', String(last)] : []), ...(base ? [tip, `^${base}`] : [tip])];
  const commits = git(['rev-list', '--first-parent', '--reverse', ...range], { cwd })
    .split('\n')
    .filter(Boolean);
  const ops = readBlobs(
    spec.ref,
    commits.map((c) => `${c}:op.json`),
    cwd,
  ).map((text, i) => parseText(spec.ref, `${commits[i]}:op.json`, text, spec.parseOp));
  return { commits, ops };
}

/**
 * Apply `op` with compare-and-swap, retrying lost races; a conflict is exit 3. `read`: the store as
 * the caller just read it, for the first attempt (the compare-and-swap refuses it if the ref has
 * moved since, and the next attempt reads again), so a command that checks the state first reads
 * the store once.
 */
export function commitOp<S, O>(
  spec: StoreSpec<S, O>,
  op: O,
  cwd?: string,
  read?: Snapshot<S>,
): { state: S; commit: string } {
  refuseMalformed(spec, op);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const { tip, state } = attempt === 1 && read ? read : readStore(spec, cwd);
    const r = spec.apply(state, op);
    if ('conflict' in r) throw new UserError(r.conflict, r.usage ? EXIT.usage : EXIT.conflict);
    const commit = writeCommit(spec, tip, r.state, op, cwd);
    // Vouch before the ref moves: another process's sync (a concurrent claim's, say) may read the
    // store in between, and an entry in this worktree's name that no journal vouches for yet would
    // be taken for a forgery and left out. A lost race leaves a key for an operation that never
    // landed: it vouches only for this worktree's own intent, which the replay judges like any other.
    noteWritten(spec.ref, op, cwd);
    if (casRef(spec.ref, commit, tip, cwd)) return { state: r.state, commit };
    sleepMs(backoff(attempt));
  }
  throw new UserError(
    `lanes store: ${spec.ref}: ${MAX_ATTEMPTS} concurrent updates won the race; try again`,
    EXIT.conflict,
  );
}

/**
 * Refuse an operation its own schema refuses (control characters in a text field, say) before it is
 * written: the hub replays every pushed operation through that schema and would refuse it there.
 */
function refuseMalformed<S, O>(spec: StoreSpec<S, O>, op: O): void {
  try {
    spec.parseOp(JSON.parse(JSON.stringify(op)));
  } catch (e) {
    const issues = (e as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
    const why = issues?.length
      ? issues.map((i) => `${i.path.map(String).join('.') || '(op)'}: ${i.message}`).join('; ')
      : (e as Error).message;
    throw new UserError(`lanes store: ${spec.ref}: refused: ${why}`, EXIT.usage);
  }
}

/** Write the commit for `op` on top of `parent` (no ref is moved). */
export function writeCommit<S, O>(
  spec: StoreSpec<S, O>,
  parent: string | null,
  state: S,
  op: O,
  cwd?: string,
): string {
  const files: [string, string][] = [['op.json', JSON.stringify(op, null, 2) + '\n']];
  if (spec.snapshot) files.push(['state.json', JSON.stringify(state, null, 2) + '\n']);
  if (spec.index) files.push(...spec.index(state));
  // Every reader and the hub refuse a store file past its limit (STORE_FILE_LIMITS, route 12):
  // writing one would leave a store that no longer reads, for everyone who fetches it.
  for (const [name, text] of files) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > storeFileLimit(name))
      throw new UserError(
        `lanes store: ${spec.ref}: refused: its ${name} would hold ${bytes} bytes, more than a store file may (${storeFileLimit(name)}); shorten the text`,
        EXIT.usage,
      );
  }
  const blobs = hashBlobs(
    files.map(([, text]) => text),
    cwd,
  );
  const tree = git(['mktree', '-z'], {
    cwd,
    input: files.map(([name], i) => `100644 blob ${blobs[i]}\t${name}\0`).join(''),
  });
  return git(
    ['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', oneLine(spec.describe(op))],
    { cwd, env: { ...process.env, ...STORE_ENV } },
  );
}

/**
 * update-ref <ref> <new> <old>: true when it moved, false when another writer got there first.
 * The ref keeps a reflog, so that `doctor --repair` can find the last good state if it is damaged.
 * A lock left by a writer killed mid-update is removed once it is clearly stale.
 */
export function casRef(ref: string, next: string, old: string | null, cwd?: string): boolean {
  for (let i = 0; i < 2; i++) {
    const r = gitRun(
      ['update-ref', '--create-reflog', '-m', 'lanes-hooks', ref, next, old ?? ZERO_SHA],
      { cwd },
    );
    if (r.ok) return true;
    // Refused by our own reference-transaction hook (a lane's store replay, hooks/store-replay.ts):
    // no race to retry, and its message says why (GIT-FACTS: "ref updates aborted by hook").
    if (r.stderr.includes('ref updates aborted by hook'))
      throw new UserError(
        r.stderr.replace(/^fatal: ref updates aborted by hook\n?/m, '').trimEnd(),
        EXIT.refused,
      );
    const lock = /Unable to create '([^']+\.lock)'/.exec(r.stderr)?.[1];
    if (!lock || !clearStaleLock(lock)) return false;
  }
  return false;
}

const STALE_LOCK_MS = 10_000;

function clearStaleLock(lock: string): boolean {
  try {
    if (Date.now() - statSync(lock).mtimeMs < STALE_LOCK_MS) return false;
    rmSync(lock);
    return true;
  } catch {
    return false;
  }
}

function hashBlobs(texts: string[], cwd?: string): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lanes-store-'));
  try {
    const files = texts.map((t, i) => {
      const f = path.join(dir, String(i));
      writeFileSync(f, t);
      return f;
    });
    return git(['hash-object', '-w', '--', ...files], { cwd }).split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseText<T>(ref: string, where: string, text: string, parse: (raw: unknown) => T): T {
  try {
    return parse(JSON.parse(text));
  } catch (e) {
    throw damaged(ref, `${where} is not valid (${(e as Error).message.split('\n')[0]})`);
  }
}

/**
 * The most bytes one store file may hold (what the store itself writes stays far below): a reader
 * checks sizes with `cat-file --batch-check` before it reads, so a padded blob pushed before the
 * hub bounded them (guard/store-updates.ts) makes the store damaged (doctor --repair), never a
 * reader that runs out of memory or buffer (ENOBUFS).
 */
export const STORE_FILE_LIMITS: Record<string, number> = {
  'op.json': 64 * 1024,
  'state.json': 16 * 1024 * 1024,
};
/** Any other file a store writes (the shell index). */
export const STORE_OTHER_LIMIT = 16 * 1024 * 1024;
export const storeFileLimit = (file: string): number =>
  STORE_FILE_LIMITS[file] ?? STORE_OTHER_LIMIT;

/** Each `<commit>:<file>` spec's type and size, in one `cat-file --batch-check`; null: missing. */
export function blobSizes(
  specs: string[],
  cwd?: string,
): ({ type: string; size: number; id: string } | null)[] {
  if (!specs.length) return [];
  const out = gitBytes(['cat-file', '--batch-check'], { cwd, input: specs.join('\n') + '\n' })
    .toString('utf8')
    .split('\n');
  return specs.map((_, i) => {
    const [id, type, size] = (out[i] ?? '').split(' ');
    return type && size && /^\d+$/.test(size) ? { id: id!, type, size: Number(size) } : null;
  });
}

/**
 * Read many blobs with one `cat-file --batch`, each checked against its size limit first;
 * `commit`, when given, must be a commit (checked in the same `--batch-check`, before the blobs).
 */
export function readBlobs(ref: string, specs: string[], cwd?: string, commit?: string): string[] {
  if (!specs.length) return [];
  const sizes = blobSizes(commit ? [commit, ...specs] : specs, cwd);
  if (commit && sizes.shift()?.type !== 'commit') throw damaged(ref, `${commit} is not a commit`);
  sizes.forEach((b, i) => {
    const spec = specs[i]!;
    if (!b || b.type !== 'blob') throw damaged(ref, `${spec} is missing`);
    const limit = storeFileLimit(spec.slice(spec.lastIndexOf(':') + 1));
    if (b.size > limit)
      throw damaged(
        ref,
        `${spec} holds ${b.size} bytes, more than a store file may (${limit}); lanes-hooks doctor --repair puts the store back to the newest state that reads`,
      );
  });
  const out = gitBytes(['cat-file', '--batch'], { cwd, input: specs.join('\n') + '\n' });
  const texts: string[] = [];
  let pos = 0;
  for (const spec of specs) {
    const nl = out.indexOf(10, pos);
    const header = out.subarray(pos, nl).toString();
    const m = /^\S+ blob (\d+)$/.exec(header);
    if (!m) throw damaged(ref, `${spec} is missing`);
    const size = Number(m[1]);
    texts.push(out.subarray(nl + 1, nl + 1 + size).toString('utf8'));
    pos = nl + 1 + size + 1;
  }
  return texts;
}

/** Commit subjects: one line, no control characters, bounded. */
function oneLine(s: string): string {
  const flat = s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > 200 ? flat.slice(0, 199) + '…' : flat || 'change';
}

/** Full jitter, exponential up to a second: contenders spread out instead of colliding again. */
export const backoff = (attempt: number) =>
  Math.floor(Math.random() * Math.min(1000, 20 * 2 ** attempt));

export function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
