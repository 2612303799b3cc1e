// A worktree's `git status` output, remembered across runs of `lanes-hooks status` and given back
// only when nothing git status reads can have changed: on this machine starting a process costs
// more than stat-ing a small worktree, and a lane nobody touched is most lanes most of the time.
//
// What `git status --porcelain` prints depends on HEAD, the index, the files of the worktree, the
// ignore and attribute files, the configuration, the environment and git itself. The key holds
// all of them: HEAD's commit, branch and the files it is read from (HEAD, the branch's loose ref,
// packed-refs), the lstat of the index and of every entry of the worktree (size, mode, mtime,
// ctime, inode: any write changes ctime, which no tool can set back), the ignore and attribute
// files, the worktree's whole effective config listing, every GIT_* variable and HOME, and the
// git binary's stat. Anything changed makes another key: git is asked again.
//
// Timestamps have a granularity (a kernel tick; seconds on some file systems), so a write in the
// same tick as the one recorded could leave the stat unchanged. An answer is therefore kept only
// when every stat-ed entry is older than RACY_MS before the walk started: any later write gets a
// later ctime. The walk happens before git status runs, so a change between the two gives the
// kept answer a key that never comes back. (git's own index has the same "racily clean" rule.)
// Not cached: worktrees with more than MAX_ENTRIES entries (node_modules: git is faster there),
// nested repositories or submodules, and environments or settings that point git elsewhere
// (GIT_DIR, GIT_INDEX_FILE, core.worktree, ...).
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/fs.js';

const FORMAT = 'lanes-hooks status cache 1';
const RACY_MS = 3000;
const MAX_ENTRIES = 2000;
/** Variables that make git read another repository, index or object store than the files stat-ed here. */
const ELSEWHERE =
  /^GIT_(DIR|WORK_TREE|INDEX_FILE|COMMON_DIR|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|NAMESPACE|CEILING_DIRECTORIES|DISCOVERY_ACROSS_FILESYSTEM)$/;

export const statusCacheFile = (commonDir: string) =>
  path.join(commonDir, 'lanes-hooks', 'status-cache.json');

export interface StatusLane {
  /** The worktree's top level, its own git dir, HEAD's commit and branch (git worktree list). */
  top: string;
  gitDir: string;
  head: string | null;
  branch: string | null;
  /** The worktree's whole effective config, as `git config -z --show-scope --list` prints it there. */
  config: string;
}

interface Entry {
  key: string;
  out: string;
}

export class StatusCache {
  private read: Record<string, Entry> = {};
  private next: Record<string, Entry> = {};
  private keys = new Map<string, string>();
  private dirty = false;
  private readonly start = Date.now();
  private readonly fixed: string | null;

  /** `args`: the status command whose output is kept (part of the key). */
  constructor(
    readonly commonDir: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv = process.env,
  ) {
    try {
      const f = JSON.parse(readFileSync(statusCacheFile(commonDir), 'utf8')) as {
        format?: string;
        lanes?: Record<string, Entry>;
      };
      if (f.format === FORMAT && f.lanes && typeof f.lanes === 'object') this.read = f.lanes;
    } catch {
      /* no cache yet, or a damaged one: start over */
    }
    const vars = Object.keys(env)
      .filter(
        (k) => k.startsWith('GIT_') || k === 'HOME' || k === 'XDG_CONFIG_HOME' || k === 'PATH',
      )
      .sort();
    const common = commonFiles(commonDir, env).map((f) => [f, this.stamp(f)]);
    this.fixed =
      vars.some((k) => ELSEWHERE.test(k)) || common.some(([, s]) => s === null)
        ? null
        : JSON.stringify([
            FORMAT,
            args,
            vars.map((k) => [k, env[k]]),
            gitBinary(env.PATH ?? ''),
            common,
          ]);
  }

  /** A file's stamp ('-': absent); null when it is unreadable or changed too recently to trust. */
  private stamp(file: string): string | null {
    const racy = BigInt(this.start - RACY_MS) * 1_000_000n;
    const s = stampBig(file);
    if (s === 'racy' || (s !== null && (s.mtimeNs >= racy || s.ctimeNs >= racy))) return null;
    return s === null ? '-' : line(s);
  }

  /**
   * The kept output for this worktree when its key is unchanged; otherwise null (ask git, then
   * `remember` its answer). Walks the worktree: call it before git status runs there.
   */
  get(lane: StatusLane): string | null {
    this.keys.delete(lane.top);
    const key = this.fixed === null ? null : this.keyOf(lane);
    if (key === null) return null;
    this.keys.set(lane.top, key);
    const hit = this.read[lane.top];
    if (hit && hit.key === key && typeof hit.out === 'string') {
      this.next[lane.top] = hit;
      return hit.out;
    }
    return null;
  }

  /** git status's output for a worktree `get` just walked (kept only if its key was not racy). */
  remember(top: string, out: string): void {
    const key = this.keys.get(top);
    if (key === undefined) return;
    this.next[top] = { key, out };
    this.dirty = true;
  }

  /** Write back the entries of this run's worktrees (a vanished lane's entry goes). */
  save(): void {
    const same =
      Object.keys(this.next).length === Object.keys(this.read).length &&
      Object.keys(this.next).every((k) => this.read[k] === this.next[k]);
    if (!this.dirty && same) return;
    try {
      mkdirSync(path.dirname(statusCacheFile(this.commonDir)), { recursive: true });
      writeFileAtomic(
        statusCacheFile(this.commonDir),
        JSON.stringify({ format: FORMAT, lanes: this.next }),
      );
    } catch {
      /* a read-only git dir: status still answers, asking git each time */
    }
  }

  /** The key of the worktree's current state; null when it cannot be kept (see the top). */
  private keyOf(lane: StatusLane): string | null {
    // core.worktree moves the files git status reads away from the ones walked here.
    if (/(^|\0)core\.worktree(\n|\0)/.test(lane.config)) return null;
    const racy = BigInt(this.start - RACY_MS) * 1_000_000n;
    const files = [
      path.join(lane.gitDir, 'index'),
      path.join(lane.gitDir, 'HEAD'),
      path.join(lane.gitDir, 'info', 'sparse-checkout'),
      ...(lane.branch?.startsWith('refs/') ? [path.join(this.commonDir, lane.branch)] : []),
      ...configuredFiles(lane.config, lane.top),
    ];
    const stamps: string[] = [];
    for (const f of files) {
      const s = this.stamp(f);
      if (s === null) return null;
      stamps.push(`${f}\0${s}`);
    }
    const entries = walk(lane.top, racy);
    if (entries === null) return null;
    return createHash('sha256')
      .update(JSON.stringify([this.fixed, lane.head, lane.branch, lane.config, stamps]))
      .update(entries.join('\n'))
      .digest('hex');
  }
}

type Big = ReturnType<typeof lstatSync> & { mtimeNs: bigint; ctimeNs: bigint };

function stampBig(file: string): Big | null | 'racy' {
  try {
    return lstatSync(file, { bigint: true }) as unknown as Big;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ||
      (e as NodeJS.ErrnoException).code === 'ENOTDIR'
      ? null
      : 'racy'; // unreadable: do not keep anything
  }
}

const line = (s: Big) => `${s.mode}:${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}:${s.dev}`;

/**
 * Every entry below `top` but its own `.git`, as "path mode size mtime ctime inode device" lines
 * in a stable order; null when the worktree holds a nested repository, more than MAX_ENTRIES
 * entries, a name that is not valid UTF-8 (readdir would not give its bytes back), something
 * unreadable, or an entry changed at or after `racy` (nanoseconds).
 */
function walk(top: string, racy: bigint): string[] | null {
  const out: string[] = [];
  const dirs = [''];
  while (dirs.length) {
    const rel = dirs.pop()!;
    let names: string[];
    try {
      names = readdirSync(path.join(top, rel));
    } catch {
      return null;
    }
    for (const name of names) {
      if (name === '.git') {
        if (rel === '') continue;
        return null; // a submodule or a nested repository: git status looks into it
      }
      if (name.includes('\uFFFD')) return null;
      const r = rel ? `${rel}/${name}` : name;
      let s: Big;
      try {
        s = lstatSync(path.join(top, r), { bigint: true }) as unknown as Big;
      } catch {
        return null;
      }
      if (s.mtimeNs >= racy || s.ctimeNs >= racy) return null;
      out.push(`${r}\0${line(s)}`);
      if (out.length > MAX_ENTRIES) return null;
      if (s.isDirectory()) dirs.push(r);
    }
  }
  // The directories' own stamps: an entry added and removed again changes its directory's ctime.
  const self = stampBig(top);
  if (self === null || self === 'racy' || self.mtimeNs >= racy || self.ctimeNs >= racy) return null;
  out.push(`.\0${line(self)}`);
  return out.sort();
}

/** The repository-wide files git status reads beside the worktree (gitrepository-layout(5), gitignore(5), gitattributes(5)). */
function commonFiles(commonDir: string, env: NodeJS.ProcessEnv): string[] {
  const home = env.HOME ?? '';
  const xdg = env.XDG_CONFIG_HOME || path.join(home, '.config');
  return [
    path.join(commonDir, 'info', 'exclude'),
    path.join(commonDir, 'info', 'attributes'),
    path.join(commonDir, 'packed-refs'),
    path.join(commonDir, 'config'),
    path.join(xdg, 'git', 'ignore'),
    path.join(xdg, 'git', 'attributes'),
  ];
}

/** core.excludesFile and core.attributesFile as configured (every value, `~/` expanded, relative ones against the worktree). */
function configuredFiles(config: string, top: string): string[] {
  const home = process.env.HOME ?? '';
  const out: string[] = [];
  for (const kv of config.split('\0')) {
    const m = /^core\.(excludesfile|attributesfile)\n(.*)$/s.exec(kv);
    if (!m) continue;
    const v = m[2]!.startsWith('~/') ? path.join(home, m[2]!.slice(2)) : m[2]!;
    out.push(path.resolve(top, v));
  }
  return out;
}

/** The git the shell finds first on PATH, and its stat: another git may print another status. */
function gitBinary(PATH: string): string {
  for (const dir of PATH.split(':')) {
    const f = path.join(dir || '.', 'git');
    try {
      const s = statSync(f, { bigint: true });
      if (s.isFile()) return `${f} ${s.size} ${s.mtimeNs} ${s.ctimeNs} ${s.ino}`;
    } catch {
      /* not here */
    }
  }
  return 'no git on PATH';
}
