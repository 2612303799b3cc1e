// The networked, user-facing side of git: fetch and push for sync, merge, promote and review
// refresh, through simple-git. This is the one boundary in src/git/ between two kinds of git:
// - exec.ts, history.ts, repo.ts, ranges.ts: the exact, synchronous `-z` layer the hooks and guards
//   decide with (local, fast, every output option pinned);
// - remote.ts (here): commands that talk to another machine, where what matters is that a hung
//   remote cannot hang the coordinator (a timeout that names the remote), that a long fetch shows
//   progress on a terminal, and that a push refused by the server is reported per ref with the
//   server's own `remote:` lines.
import { simpleGit, type SimpleGitProgressEvent } from 'simple-git';
import { EXIT, UserError } from '../util/errors.js';
import { GIT_PINS, pinnedEnv } from './exec.js';

const DEFAULT_TIMEOUT_S = 60;

/** Seconds of silence after which a fetch or push is given up: LANES_REMOTE_TIMEOUT, else 60. */
export function remoteTimeoutMs(): number {
  const s = Number(process.env.LANES_REMOTE_TIMEOUT ?? DEFAULT_TIMEOUT_S);
  return (s > 0 ? s : DEFAULT_TIMEOUT_S) * 1000;
}

const TRUST_THE_USERS_ENVIRONMENT = {
  allowUnsafeAlias: true,
  allowUnsafeAskPass: true,
  allowUnsafeCommandBinaries: true,
  allowUnsafeConfigEnvCount: true,
  allowUnsafeConfigPaths: true,
  allowUnsafeCredentialHelper: true,
  allowUnsafeDiffExternal: true,
  allowUnsafeDiffTextConv: true,
  allowUnsafeEditor: true,
  allowUnsafeExec: true,
  allowUnsafeFilter: true,
  allowUnsafeFsMonitor: true,
  allowUnsafeGitProxy: true,
  allowUnsafeGpgProgram: true,
  allowUnsafeHooksPath: true,
  allowUnsafeInclude: true,
  allowUnsafeMergeDriver: true,
  allowUnsafePager: true,
  allowUnsafeSshCommand: true,
  allowUnsafeTemplateDir: true,
  allowUnsafeUrlRewrite: true,
};

function client(cwd: string | undefined, what: string, extraEnv: NodeJS.ProcessEnv = {}) {
  const progress = process.stderr.isTTY
    ? ({ method, stage, progress }: SimpleGitProgressEvent) =>
        process.stderr.write(`\r${what}: git ${method} ${stage} ${progress}%\u001b[K`)
    : undefined;
  const env = Object.fromEntries(
    Object.entries(pinnedEnv({ ...process.env, ...extraEnv })).filter(([, v]) => v !== undefined),
  ) as Record<string, string>;
  // simple-git guards against untrusted data reaching git: it strips GIT_* variables and refuses
  // editor, pager, ssh and config-path settings from the environment. Here nothing is untrusted:
  // the arguments are ours (names the config validated) and the environment is the user's own
  // (GIT_SSH_COMMAND, GIT_SSL_CAINFO, GIT_CONFIG_GLOBAL, a hook's GIT_DIR…), which plain git
  // would honour, so it is passed through as it is.
  return simpleGit({
    baseDir: cwd ?? process.cwd(),
    timeout: { block: remoteTimeoutMs() },
    progress,
    allowEnvironment: Object.keys(env),
    unsafe: TRUST_THE_USERS_ENVIRONMENT,
  }).env(env);
}

/** Why a fetch or push failed, in one readable line that names the remote. */
function describeFailure(e: unknown, remote: string, verb: string): UserError {
  const message = (e as Error).message ?? String(e);
  if (/timeout|timed out/i.test(message))
    return new UserError(
      `${verb} ${remote}: no answer from the remote within ${remoteTimeoutMs() / 1000} s; gave up (LANES_REMOTE_TIMEOUT=<seconds> to wait longer)`,
      EXIT.refused,
    );
  return new UserError(`${verb} ${remote} failed: ${message.trim()}`, EXIT.refused);
}

export async function fetchRemote(
  remote: string,
  refspecs: string[] = [],
  opts: { cwd?: string; noTags?: boolean; what?: string } = {},
): Promise<void> {
  const args = ['fetch', '--quiet', ...(opts.noTags ? ['--no-tags'] : []), remote, ...refspecs];
  try {
    await client(opts.cwd, opts.what ?? 'fetch').raw([...GIT_PINS, ...args]);
  } catch (e) {
    throw describeFailure(e, remote, 'git fetch');
  } finally {
    if (process.stderr.isTTY) process.stderr.write('\r\u001b[K');
  }
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
  let stdout = '';
  let stderr = '';
  const git = client(opts.cwd, 'push', opts.env).outputHandler((_cmd, out, err) => {
    out.on('data', (d: Buffer) => (stdout += d.toString()));
    err.on('data', (d: Buffer) => (stderr += d.toString()));
  });
  try {
    await git.raw([...GIT_PINS, ...args]);
  } catch (e) {
    const refs = parsePorcelain(stdout);
    // Refused ref by ref: an answer from the remote. No per-ref lines: the remote was not reached.
    if (!refs.length) throw describeFailure(e, remote, 'git push');
    return { ok: false, refs, remoteLines: remoteLines(stderr) };
  }
  const refs = parsePorcelain(stdout);
  return { ok: refs.every((r) => r.ok), refs, remoteLines: remoteLines(stderr) };
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
