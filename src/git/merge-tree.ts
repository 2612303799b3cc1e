// The conflict radar's git side: would two commits merge cleanly, and on which paths not — asked
// of `git merge-tree --write-tree` (git ≥ 2.38), which merges in memory and writes only objects
// into the object store: no worktree, index or ref is touched. Part of the exact layer: synchronous,
// `-z`, every option that changes the answer pinned on the command line.
//
// What a merge is costs more than any other question status asks, so every answer is kept in a
// small JSON cache in the common git dir, keyed by the commit ids it was computed from (commits
// never change, and replace refs and grafts are off): a repeated status asks git nothing new.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../util/fs.js';
import { shellQuote } from '../util/sh.js';
import { GIT_PINS, pinnedEnv, SH_GIT, splitZ } from './exec.js';
import { DIFF_PINS, netPaths, perLineDiffs } from './history.js';

/**
 * merge-tree's answer depends on merge configuration; each key that changes which paths conflict
 * is pinned (a `-c` after the caller's wins):
 * - merge.renames / diff.renames: renames are detected (git's default), whatever a user turned off;
 * - merge.directoryRenames=false: a file added under a directory the other side renamed stays
 *   where it was added, so two sides that change disjoint paths always merge cleanly (the radar's
 *   pre-filter relies on it) instead of git's default "conflict (file location)";
 * - merge.renameLimit / diff.renameLimit: git's own default limit, pinned;
 * - core.attributesFile=/dev/null: no user-wide `merge=` driver; merge-tree runs in the common git
 *   dir, so no worktree's `.gitattributes` applies either (only the repository's info/attributes).
 * Options: --write-tree (the real merge), -z (raw path bytes), --name-only (one line per
 * conflicted path), --no-messages (no informational section to parse).
 */
export const MERGE_TREE_PINS = [
  '-c',
  'merge.renames=true',
  '-c',
  'diff.renames=true',
  '-c',
  'merge.directoryRenames=false',
  '-c',
  'merge.renameLimit=7000',
  '-c',
  'diff.renameLimit=7000',
  '-c',
  'core.attributesFile=/dev/null',
] as const;
const MERGE_TREE_ARGS = ['merge-tree', '--write-tree', '-z', '--name-only', '--no-messages'];

export interface MergeProbe {
  /** true: merges without a conflict. */
  clean: boolean;
  /** The paths that conflict (empty when clean), in git's order. */
  paths: string[];
}

/**
 * Merge `a` and `b` (commit ids) in memory. Exit 0: clean; exit 1 with a tree id first: conflicts,
 * the conflicted paths follow; anything else (an unknown commit, unrelated histories): null.
 */
export function probeMerge(a: string, b: string, commonDir: string): MergeProbe | null {
  const r = spawnSync('git', [...GIT_PINS, ...MERGE_TREE_PINS, ...MERGE_TREE_ARGS, a, b], {
    cwd: commonDir,
    env: pinnedEnv(),
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return readProbe(r.status, r.stdout);
}

function readProbe(status: number | null, stdout: Buffer): MergeProbe | null {
  if (status !== 0 && status !== 1) return null;
  const fields = splitZ(stdout);
  if (!fields.length || !/^[0-9a-f]{40,64}$/.test(fields[0]!)) return null;
  if (status === 0) return { clean: true, paths: [] };
  return { clean: false, paths: [...new Set(fields.slice(1))] };
}

const isId = (s: string) => /^[0-9a-f]{40,64}$/.test(s);

/**
 * Many merges and changed-path questions at once, through two sh processes side by side (the
 * same commands as probeMerge and netPaths, with the same pins): forking Node once per git
 * command cost more than the commands when integration moved and every lane's answers were new.
 */
function batch(
  merges: [string, string][],
  changed: [string, string][],
  commonDir: string,
  basesOf?: BasesOf,
): { merges: (MergeProbe | null)[]; changed: (string[] | null)[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lanes-radar-'));
  try {
    const jobs: string[] = [];
    const git = `${SH_GIT} -C ${shellQuote(commonDir)}`;
    // The questions whose merge bases the caller knows: ONE diff-tree for all of them (`<tip>
    // <base>` per line, as netPaths asks; no base: against the other commit itself).
    const known = changed.map(([tip, other]) => {
      const bases = basesOf?.(tip, other) ?? null;
      return bases && (bases.length ? bases : [other]).map((b) => `${tip} ${b}`);
    });
    const lines = known.flatMap((k) => k ?? []);
    if (lines.length)
      jobs.push(
        `printf '%s\\n' ${lines.map(shellQuote).join(' ')} | ` +
          `${git} diff-tree --stdin --always ${DIFF_PINS.join(' ')} > k 2>/dev/null && : > k.ok`,
      );
    const mt = `${git} ${MERGE_TREE_PINS.map(shellQuote).join(' ')} ${MERGE_TREE_ARGS.join(' ')}`;
    merges.forEach(([a, b], i) =>
      jobs.push(`${mt} ${a} ${b} > m${i} 2>/dev/null; echo $? > m${i}.rc`),
    );
    const diff = `${git} diff-tree --stdin --always ${DIFF_PINS.join(' ')}`;
    changed.forEach(([tip, int], i) =>
      known[i]
        ? undefined
        : jobs.push(
            `{ ${git} merge-base --all ${tip} ${int} 2>/dev/null || echo ${int}; } > c${i}.bases && ` +
              // sh's own read and echo, not sed: each process started costs more than this work.
              `while read -r b; do echo "${tip} $b"; done < c${i}.bases | ${diff} > c${i} 2>/dev/null && : > c${i}.ok`,
          ),
    );
    const shells: string[][] = [[], []];
    jobs.forEach((j, i) => shells[i % 2]!.push(j));
    const script = shells
      .filter((s) => s.length)
      .map((lines) => `(\ncd ${shellQuote(dir)} || exit\n${lines.join('\n')}\n) &`)
      .join('\n');
    const r = spawnSync('/bin/sh', ['-c', `${script}\nwait`], {
      cwd: commonDir,
      env: pinnedEnv(),
    });
    if (r.error) throw r.error;
    const file = (f: string) => path.join(dir, f);
    const knownSets =
      lines.length && existsSync(file('k.ok'))
        ? perLineDiffs(readFileSync(file('k')), lines.length)
        : null;
    let at = 0;
    const knownPaths = known.map((k) => {
      if (!k) return null;
      const sets = knownSets?.slice(at, at + k.length) ?? null;
      at += k.length;
      return sets && [...new Set(sets.flatMap((p) => [...p]))];
    });
    return {
      merges: merges.map((_, i) => {
        const rc = existsSync(file(`m${i}.rc`))
          ? Number(readFileSync(file(`m${i}.rc`), 'utf8'))
          : null;
        return rc === null ? null : readProbe(rc, readFileSync(file(`m${i}`)));
      }),
      changed: changed.map((_, i) => {
        if (known[i]) return knownPaths[i]!;
        if (!existsSync(file(`c${i}.ok`))) return null;
        const bases = readFileSync(file(`c${i}.bases`), 'utf8')
          .split('\n')
          .filter(Boolean);
        const sets = perLineDiffs(readFileSync(file(`c${i}`)), bases.length);
        return [...new Set(sets.flatMap((p) => [...p]))];
      }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `git merge-base --all a b` (any order), when known without asking git; null: not known. */
export type BasesOf = (a: string, b: string) => string[] | null;

interface CacheFile {
  /** Answers made under other pins are not answers to the same question. */
  pins: string;
  /** `<a> <b>` (sorted ids) → the merge's answer; null: git could not merge them. */
  merges: Record<string, MergeProbe | null>;
  /** `<tip> <integration>` → the paths tip changes since its merge bases with integration. */
  changed: Record<string, string[]>;
}

/** How many answers each source gave, for `status --json` (and the tests proving the cache). */
export interface RadarCounts {
  mergeTrees: number;
  diffs: number;
  cached: number;
}

const PINS_KEY = JSON.stringify([MERGE_TREE_PINS, MERGE_TREE_ARGS]);
/** Entries kept beyond the ones used by the last run: the cache never grows without bound. */
const KEEP = 2000;

export const radarCacheFile = (commonDir: string) =>
  path.join(commonDir, 'lanes-hooks', 'radar-cache.json');

/**
 * Merge and changed-path answers, cached by commit ids in `<common dir>/lanes-hooks/`. An
 * unreadable or foreign cache file is ignored and rewritten; `save` writes only when something new
 * was computed.
 */
export class RadarCache {
  readonly counts: RadarCounts = { mergeTrees: 0, diffs: 0, cached: 0 };
  private file: CacheFile;
  private used = new Set<string>();
  private dirty = false;
  /** Keys prefetch() computed this run: computed, not cache hits, when merge()/changed() read them. */
  private fresh = new Set<string>();

  constructor(readonly commonDir: string) {
    this.file = { pins: PINS_KEY, merges: {}, changed: {} };
    try {
      const read = JSON.parse(readFileSync(radarCacheFile(commonDir), 'utf8')) as CacheFile;
      if (read && read.pins === PINS_KEY && read.merges && read.changed) this.file = read;
    } catch {
      /* no cache yet, or a damaged one: start over */
    }
  }

  /** merge-tree of two commits, in either order (the conflicted paths do not depend on it). */
  merge(a: string, b: string): MergeProbe | null {
    const key = a < b ? `${a} ${b}` : `${b} ${a}`;
    this.used.add(`m ${key}`);
    if (key in this.file.merges) {
      if (!this.fresh.has(`m ${key}`)) this.counts.cached++;
      return this.file.merges[key]!;
    }
    this.counts.mergeTrees++;
    this.dirty = true;
    return (this.file.merges[key] = probeMerge(a, b, this.commonDir));
  }

  /** The paths `tip` changes since its merge bases with `integration` (both commit ids). */
  changed(tip: string, integration: string): string[] {
    const key = `${tip} ${integration}`;
    this.used.add(`c ${key}`);
    const hit = this.file.changed[key];
    if (hit) {
      if (!this.fresh.has(`c ${key}`)) this.counts.cached++;
      return hit;
    }
    this.counts.diffs++;
    this.dirty = true;
    return (this.file.changed[key] = netPaths(tip, integration, this.commonDir).paths);
  }

  /**
   * Compute, in one batch, every answer not cached yet among `merges` (pairs of commit ids) and
   * `changed` (`[tip, integration]`); the calls to merge() and changed() that follow find them.
   */
  prefetch(
    merges: [string, string][],
    changed: [string, string][] = [],
    /** Merge bases the caller already knows (a walk of the graph): no merge-base process for them. */
    basesOf?: BasesOf,
  ): void {
    const key = (a: string, b: string) => (a < b ? `${a} ${b}` : `${b} ${a}`);
    const m = [...new Map(merges.map(([a, b]) => [key(a, b), [a, b] as [string, string]]))]
      .filter(([k, [a, b]]) => !(k in this.file.merges) && isId(a) && isId(b))
      .map(([, pair]) => pair);
    const c = [...new Map(changed.map(([t, i]) => [`${t} ${i}`, [t, i] as [string, string]]))]
      .filter(([k, [t, i]]) => !this.file.changed[k] && isId(t) && isId(i))
      .map(([, pair]) => pair);
    if (m.length + c.length < 2) return; // one question: asking git directly costs less
    const got = batch(m, c, this.commonDir, basesOf);
    m.forEach(([a, b], i) => {
      this.file.merges[key(a, b)] = got.merges[i]!;
      this.fresh.add(`m ${key(a, b)}`);
      this.counts.mergeTrees++;
    });
    c.forEach(([t, i], n) => {
      const paths = got.changed[n];
      if (!paths) return; // merge() / changed() will ask again, alone, and say why
      this.file.changed[`${t} ${i}`] = paths;
      this.fresh.add(`c ${t} ${i}`);
      this.counts.diffs++;
    });
    this.dirty = true;
  }

  /** Write the cache back if anything was computed: what this run used, then the most recent rest. */
  save(): void {
    if (!this.dirty) return;
    const keep = (kind: 'm' | 'c', all: Record<string, unknown>) => {
      const keys = Object.keys(all);
      const mine = keys.filter((k) => this.used.has(`${kind} ${k}`));
      const rest = keys.filter((k) => !this.used.has(`${kind} ${k}`)).slice(-KEEP);
      return Object.fromEntries([...rest, ...mine].map((k) => [k, all[k]]));
    };
    const out: CacheFile = {
      pins: PINS_KEY,
      merges: keep('m', this.file.merges) as CacheFile['merges'],
      changed: keep('c', this.file.changed) as CacheFile['changed'],
    };
    try {
      mkdirSync(path.dirname(radarCacheFile(this.commonDir)), { recursive: true });
      writeFileAtomic(radarCacheFile(this.commonDir), JSON.stringify(out));
    } catch {
      /* a read-only git dir: the radar still answers, only slower next time */
    }
  }
}
