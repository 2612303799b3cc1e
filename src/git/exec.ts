// The one place that starts git. Synchronous on purpose: a hook is a short straight line of
// questions to git, and spawnSync keeps it simple and as fast as an async pipeline here.
import { execFile, spawnSync } from 'node:child_process';
import { isUtf8 } from 'node:buffer';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { shellQuote } from '../util/sh.js';

export { isZeroSha, ZERO_SHA } from '../util/sha.js';

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly status: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed (${status ?? 'signal'}): ${stderr.trim()}`);
  }
}

/**
 * Options in front of every git command lanes-hooks runs, so that no user, system, repository or
 * caller (`git -c …`) configuration changes what a verdict reads (docs/git-facts.md lists each
 * key and why it is pinned):
 * - replace refs (`refs/replace/*`, core.useReplaceRefs, GIT_REPLACE_REF_BASE) would show other
 *   parents and trees than the commits really have; git 2.39 lets `core.useReplaceRefs=true` from
 *   any config file undo `--no-replace-objects`, so the key is pinned too (`-c` comes last);
 * - grafts (`info/grafts`, GIT_GRAFT_FILE) likewise, and `--no-replace-objects` does not turn them
 *   off: the graft file is pointed at a path that cannot exist.
 */
export const GIT_PINS = ['--no-replace-objects', '-c', 'core.useReplaceRefs=false'] as const;
const NO_GRAFTS = '/nonexistent/lanes-hooks/no-grafts';

/** The environment git runs with: the caller's, minus what could bend history (see GIT_PINS). */
export function pinnedEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, GIT_GRAFT_FILE: NO_GRAFTS };
}

/** The same pins for a shell command line (the hook shims and gitBatch run git from sh). */
export const SH_GIT = `GIT_GRAFT_FILE=${NO_GRAFTS} git ${GIT_PINS.join(' ')}`;

export interface GitOptions {
  cwd?: string;
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
}

/** Run git; returns stdout as raw bytes, throws GitError on a non-zero exit. */
export function gitBytes(args: readonly string[], opts: GitOptions = {}): Buffer {
  const r = spawnSync('git', [...GIT_PINS, ...args], {
    cwd: opts.cwd,
    input: opts.input,
    env: pinnedEnv(opts.env),
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new GitError(args, r.status, r.stderr.toString());
  return r.stdout;
}

/** Run git; stdout as text without the trailing newline. */
export function git(args: readonly string[], opts: GitOptions = {}): string {
  return gitBytes(args, opts).toString('utf8').replace(/\n$/, '');
}

export interface GitRun {
  ok: boolean;
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run a git command that changes something (update-ref, merge, rebase, switch) where a failure is
 * reported to the user with git's own words rather than thrown; `inherit` lets git talk to the
 * terminal directly (its output then is not captured).
 */
export function gitRun(
  args: readonly string[],
  opts: GitOptions & { inherit?: boolean } = {},
): GitRun {
  const r = spawnSync('git', [...GIT_PINS, ...args], {
    cwd: opts.cwd,
    input: opts.input,
    env: pinnedEnv(opts.env),
    encoding: 'utf8',
    ...(opts.inherit ? { stdio: ['ignore', 'inherit', 'inherit'] as const } : {}),
  });
  if (r.error) throw r.error;
  return { ok: r.status === 0, status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Run git where a non-zero exit is an answer (no such ref, not an ancestor): null on failure. */
export function gitMaybe(args: readonly string[], opts: GitOptions = {}): string | null {
  const r = spawnSync('git', [...GIT_PINS, ...args], {
    cwd: opts.cwd,
    input: opts.input,
    env: pinnedEnv(opts.env),
  });
  if (r.error) throw r.error;
  return r.status === 0 ? r.stdout.toString('utf8').replace(/\n$/, '') : null;
}

/**
 * A path's bytes as a string without losing any: UTF-8 where they are UTF-8, and each byte of an
 * invalid sequence as the lone surrogate U+DC00+byte (Python's "surrogateescape"), where
 * toString('utf8') would put U+FFFD and name a path git does not have. showName (policy/format.ts)
 * prints those bytes back as git quotes them (`"\377"`).
 */
export function decodePath(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const len =
      b < 0x80
        ? 1
        : b >= 0xc2 && b <= 0xdf
          ? 2
          : b >= 0xe0 && b <= 0xef
            ? 3
            : b >= 0xf0 && b <= 0xf4
              ? 4
              : 0;
    const seq = len ? bytes.subarray(i, i + len) : null;
    if (seq && seq.length === len && isUtf8(seq)) {
      out += seq.toString('utf8');
      i += len;
    } else {
      out += String.fromCharCode(0xdc00 + b);
      i++;
    }
  }
  return out;
}

/** Split NUL-separated git output (-z) into strings, dropping the empty tail; paths kept exact. */
export function splitZ(out: Buffer | string): string[] {
  if (typeof out === 'string') {
    const parts = out.split('\0');
    if (parts.at(-1) === '') parts.pop();
    return parts;
  }
  const parts: string[] = [];
  let start = 0;
  for (let nul = out.indexOf(0); nul !== -1; nul = out.indexOf(0, start)) {
    parts.push(decodePath(out.subarray(start, nul)));
    start = nul + 1;
  }
  if (start < out.length) parts.push(decodePath(out.subarray(start)));
  return parts;
}

/**
 * The environment for git commands aimed at some other repository than the one a hook runs in:
 * git hands hooks GIT_DIR, GIT_INDEX_FILE and friends, which would silently redirect them.
 */
export function envWithoutGitRepo(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) {
    if (/^GIT_(DIR|WORK_TREE|INDEX_FILE|COMMON_DIR|OBJECT_DIRECTORY|PREFIX|NAMESPACE)$/.test(k))
      continue;
    out[k] = v;
  }
  return out;
}

/** Run git without blocking, for fan-out over many worktrees; null on a non-zero exit. */
export function gitAsync(args: readonly string[], opts: GitOptions = {}): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      [...GIT_PINS, ...args],
      {
        cwd: opts.cwd,
        env: pinnedEnv(opts.env),
        maxBuffer: 256 * 1024 * 1024,
        encoding: 'utf8',
      },
      (err, stdout) => {
        if (err && typeof (err as { code?: unknown }).code !== 'number') reject(err);
        else resolve(err ? null : stdout.replace(/\n$/, ''));
      },
    );
    // A git that exits before reading its input must not crash us with EPIPE: its exit code tells.
    child.stdin?.on('error', () => {});
    child.stdin?.end(opts.input);
  });
}

/**
 * Work for {@link runGitJobs}: a piece of sh that runs git (through SH_GIT, its arguments quoted
 * with shellQuote) in a scratch directory and leaves its outputs in files whose names start with
 * `prefix`; `read` turns those files into the answer.
 */
export interface GitJob<T> {
  script(prefix: string): string;
  read(file: (name: string) => Buffer | null): T;
}

/** One git command as a job: its stdout as raw bytes, or null where it failed; `input` fed on stdin. */
export function gitJob(
  args: readonly string[],
  cwd: string,
  input?: string,
): GitJob<Buffer | null> {
  return {
    script: (p) =>
      (input === undefined ? '' : `printf '%s' ${shellQuote(input)} > ${p}in\n`) +
      `${SH_GIT} -C ${shellQuote(cwd)} ${args.map(shellQuote).join(' ')}` +
      `${input === undefined ? ' < /dev/null' : ` < ${p}in`} > ${p}out 2>/dev/null || : > ${p}failed`,
    read: (file) => (file('failed') ? null : file('out')),
  };
}

/**
 * Run many git jobs through one sh process holding `shells` subshells side by side, and return
 * each job's answer. Forking a large Node process costs more than a small git command (on a loaded
 * two-core machine, tens of milliseconds each, and the fork blocks the event loop even for an
 * asynchronous spawn): `status` over 30 lanes spent twice as long spawning 60 gits from Node as
 * from sh. Outputs go through files, so -z bytes come back exactly.
 */
export async function runGitJobs<T extends unknown[]>(
  jobs: { [K in keyof T]: GitJob<T[K]> },
  shells = 2,
): Promise<T> {
  if (!jobs.length) return [] as unknown as T;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lanes-batch-'));
  try {
    const groups: string[][] = Array.from({ length: Math.min(shells, jobs.length) }, () => []);
    jobs.forEach((j, i) => groups[i % groups.length]!.push(j.script(`j${i}.`)));
    const script = groups.map((lines) => `(\n${lines.join('\n')}\n) &`).join('\n') + '\nwait';
    await new Promise<void>((resolve, reject) =>
      execFile('/bin/sh', ['-c', script], { cwd: dir, env: pinnedEnv() }, (err) =>
        err ? reject(err) : resolve(),
      ),
    );
    return jobs.map((j, i) =>
      j.read((name) => {
        const f = path.join(dir, `j${i}.${name}`);
        return existsSync(f) ? readFileSync(f) : null;
      }),
    ) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Run many git commands, each in its own directory, through `shells` sh subshells side by side
 * (runGitJobs); each command's stdout as text, or null where it failed.
 */
export async function gitBatch(
  commands: { args: readonly string[]; cwd: string }[],
  shells = 2,
): Promise<(string | null)[]> {
  const out = await runGitJobs(
    commands.map((c) => gitJob(c.args, c.cwd)),
    shells,
  );
  return out.map((b) => (b === null ? null : b.toString('utf8').replace(/\n$/, '')));
}
