// The networked, user-facing side of git: fetch and push for sync, merge, promote and review
// refresh. This is the one boundary in src/git/ between two kinds of git:
// - exec.ts, history.ts, repo.ts, ranges.ts: the exact, synchronous `-z` layer the hooks and guards
//   decide with (local, fast, every output option pinned);
// - remote.ts (here): commands that talk to another machine, where what matters is that a hung
//   remote cannot hang the coordinator (a silence timeout that names the remote and ends git and
//   every process git started), that a long fetch shows progress on a terminal, and that a push
//   refused by the server is reported per ref with the server's own `remote:` lines.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EXIT, UserError } from '../util/errors.js';
import { GIT_PINS, pinnedEnv } from './exec.js';

const DEFAULT_TIMEOUT_S = 60;

/** Seconds of silence after which a fetch or push is given up: LANES_REMOTE_TIMEOUT, else 60. */
export function remoteTimeoutMs(): number {
  const s = Number(process.env.LANES_REMOTE_TIMEOUT ?? DEFAULT_TIMEOUT_S);
  return (s > 0 ? s : DEFAULT_TIMEOUT_S) * 1000;
}

/** Parent of every process, from /proc (Linux) or ps (macOS, BSD); empty when neither answers. */
function parentTable(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  const add = (pid: number, ppid: number) => {
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid)!.push(pid);
  };
  try {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses.
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        add(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      } catch {
        // gone meanwhile
      }
    }
    if (children.size) return children;
  } catch {
    // no /proc
  }
  const ps = spawnSync('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], { encoding: 'utf8' });
  for (const line of (ps.stdout ?? '').split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (pid && ppid !== undefined) add(pid, ppid);
  }
  return children;
}

/**
 * End git and everything it started (the ssh or https helper that holds our pipes). The tree is
 * killed from the leaves while git is still their parent: once git is gone its children are
 * re-parented to init and no longer traceable to it. Walking the tree rather than running git in
 * its own process group (`detached`, setsid) keeps git and ssh on the user's terminal, so that
 * ssh can still ask for a passphrase and Ctrl-C still reaches them.
 */
function killTree(root: number): void {
  const children = parentTable();
  const order: number[] = [];
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) walk(c);
    order.push(pid);
  };
  walk(root);
  for (const pid of order) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

interface RemoteRun {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * Run a networked git command. The timeout counts silence, not total time: any output (progress
 * on a terminal) restarts it. On timeout the whole process tree ends and our ends of the pipes are
 * closed, so that nothing keeps Node's event loop alive.
 */
function runRemote(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; what: string; config?: readonly string[] },
): Promise<RemoteRun> {
  const showProgress = process.stderr.isTTY === true;
  const [verb, ...rest] = args;
  const argv = [
    ...GIT_PINS,
    ...(opts.config ?? []).flatMap((c) => ['-c', c]),
    verb!,
    ...(showProgress ? ['--progress'] : []),
    ...rest,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('git', argv, {
      cwd: opts.cwd ?? process.cwd(),
      env: pinnedEnv({ ...process.env, ...opts.env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        if (child.pid) killTree(child.pid);
        child.stdout.destroy();
        child.stderr.destroy();
      }, remoteTimeoutMs());
    };
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      arm();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      arm();
      if (showProgress) {
        const last = progressLine(stderr);
        if (last) process.stderr.write(`\r${opts.what}: ${last}\u001b[K`);
      }
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    // 'exit', not 'close': a grandchild that outlives git may hold the pipes open.
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (showProgress) process.stderr.write('\r\u001b[K');
      // Let what git wrote before exiting arrive, then stop listening.
      setImmediate(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        resolve({ code, stdout, stderr, timedOut });
      });
    });
    arm();
  });
}

/** The latest progress line git wrote ("Receiving objects:  45% (…)"), for the terminal. */
function progressLine(stderr: string): string {
  const parts = stderr.split(/[\r\n]/).filter((l) => l.trim());
  return parts.at(-1)?.trim() ?? '';
}

/** git's messages without its progress lines (each overwritten with \r on the terminal). */
function messages(stderr: string): string {
  return stderr
    .split('\n')
    .map((l) => l.slice(l.lastIndexOf('\r') + 1))
    .filter((l) => l.trim() && !/^(remote: )?[A-Za-z ]+:\s+\d+% \(/.test(l))
    .join('\n');
}

/** The error for a remote that stayed silent past the timeout, naming it. */
function gaveUp(remote: string, verb: string): UserError {
  return new UserError(
    `${verb} ${remote}: no answer from the remote within ${remoteTimeoutMs() / 1000} s; gave up (LANES_REMOTE_TIMEOUT=<seconds> to wait longer)`,
    EXIT.refused,
  );
}

export async function fetchRemote(
  remote: string,
  refspecs: string[] = [],
  opts: {
    cwd?: string;
    noTags?: boolean;
    prune?: boolean;
    what?: string;
    /** `key=value` settings for this fetch alone (`-c`): a refspec added to the remote's own. */
    config?: readonly string[];
    /** FETCH_HEAD written whatever fetch.writeFetchHead says (fetchedRefs() reads it). */
    writeFetchHead?: boolean;
  } = {},
): Promise<void> {
  const args = [
    'fetch',
    '--quiet',
    ...(opts.writeFetchHead ? ['--write-fetch-head'] : []),
    ...(opts.noTags ? ['--no-tags'] : []),
    // With refspecs on the command line, --prune prunes only under their destinations; never
    // tags (fetch.pruneTags, remote.<name>.pruneTags), whatever the configuration says.
    ...(opts.prune ? ['--prune', '--no-prune-tags'] : []),
    remote,
    ...refspecs,
  ];
  const r = await runRemote(args, {
    cwd: opts.cwd,
    what: opts.what ?? 'fetch',
    config: opts.config,
  });
  if (r.timedOut) throw gaveUp(remote, 'git fetch');
  if (r.code !== 0)
    throw new UserError(`git fetch ${remote} failed: ${messages(r.stderr).trim()}`, EXIT.refused);
}

/**
 * The refs outside refs/heads/, refs/tags/ and refs/remotes/ that the last fetch in `gitDir` (a
 * worktree's own git directory: FETCH_HEAD is per worktree) brought, each with its object: what
 * the remote had at that fetch, a ref it did not have is absent. git writes one line per fetched
 * ref, `<object> TAB [not-for-merge] TAB '<ref>' of <url>` for such refs (builtin/fetch.c,
 * append_fetch_head; docs/git-facts.md, "fetch"); a ref name holds no space, so the first `' of `
 * ends it. No file (nothing fetched yet): empty.
 */
export function fetchedRefs(gitDir: string): Map<string, string> {
  const out = new Map<string, string>();
  let text: string;
  try {
    text = readFileSync(path.join(gitDir, 'FETCH_HEAD'), 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{40}|[0-9a-f]{64})\t(?:not-for-merge)?\t'(refs\/[^ ]+?)' of /.exec(line);
    if (m && !out.has(m[2]!)) out.set(m[2]!, m[1]!);
  }
  return out;
}

export interface PushedRef {
  /** The local side of the refspec (a ref, or a SHA). */
  local: string;
  /** The ref on the remote. */
  remote: string;
  ok: boolean;
  /** git's summary: "[new branch]", "[rejected]", "[remote rejected]", a range… */
  summary: string;
  /** Why it was refused, as git or the server said. */
  reason: string | null;
}

export interface PushOutcome {
  ok: boolean;
  refs: PushedRef[];
  /** What the server said (`remote: …` lines, without the prefix). */
  remoteLines: string[];
}

/**
 * `git push --porcelain` and its per-ref result: one line per ref, `<flag>\t<from>:<to>\t<summary>`
 * (flag `!` for a refusal, the reason in parentheses), and the server's `remote:` lines. A push
 * the server refused is an outcome, not an exception; only a remote that cannot be reached is.
 */
export async function pushRemote(
  remote: string,
  refspecs: string[],
  opts: {
    cwd?: string;
    leases?: string[];
    noVerify?: boolean;
    atomic?: boolean;
    env?: NodeJS.ProcessEnv;
  } = {},
): Promise<PushOutcome> {
  const args = [
    'push',
    '--porcelain',
    ...(opts.noVerify ? ['--no-verify'] : []),
    ...(opts.atomic ? ['--atomic'] : []),
    ...(opts.leases ?? []).map((l) => `--force-with-lease=${l}`),
    remote,
    ...refspecs,
  ];
  const r = await runRemote(args, { cwd: opts.cwd, env: opts.env, what: 'push' });
  if (r.timedOut) throw gaveUp(remote, 'git push');
  const refs = parsePorcelain(r.stdout);
  const said = remoteLines(messages(r.stderr));
  if (r.code !== 0) {
    // Refused ref by ref: an answer from the remote. No per-ref lines: the remote was not reached.
    if (!refs.length)
      throw new UserError(`git push ${remote} failed: ${messages(r.stderr).trim()}`, EXIT.refused);
    return { ok: false, refs, remoteLines: said };
  }
  return { ok: refs.every((r) => r.ok), refs, remoteLines: said };
}

function parsePorcelain(out: string): PushedRef[] {
  const refs: PushedRef[] = [];
  for (const line of out.split('\n')) {
    const m = /^([ +\-*=!])\t([^\t]*):([^\t]*)\t(.*)$/.exec(line);
    if (!m) continue;
    const [, flag, local, remoteRef, rest] = m;
    const reason = /\((.*)\)\s*$/.exec(rest!)?.[1] ?? null;
    refs.push({
      local: local!,
      remote: remoteRef!,
      ok: flag !== '!',
      summary: rest!.replace(/\s*\(.*\)\s*$/, ''),
      reason,
    });
  }
  return refs;
}

const remoteLines = (stderr: string) =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith('remote: '))
    .map((l) => l.slice('remote: '.length).replace(/\s+$/, ''));

/** A refused push, for people: each ref with its reason, then what the server said. */
export function describePush(remote: string, outcome: PushOutcome): string {
  const lines = outcome.refs
    .filter((r) => !r.ok)
    .map((r) => `  ${r.remote}: ${r.summary}${r.reason ? ` (${r.reason})` : ''}`);
  const said = outcome.remoteLines.filter(Boolean).map((l) => `  remote: ${l}`);
  return [`git push ${remote} was refused:`, ...lines, ...said].join('\n');
}
