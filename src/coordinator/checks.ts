// land's checks (docs/reference.md, "Landing lanes"). The checks execute lane code: the command
// comes from the config, but what it runs (npm test, scripts/ci/*, the lane's own tests) is in the
// tree of the SHA being landed, which the lane wrote. So they run as untrusted code:
// - in a throwaway clone of that exact SHA (git/throwaway-clone.ts): no remote, no git directory
//   shared with the coordinator, removed afterwards (kept on failure, for inspection);
// - with a scrubbed environment: no GIT_*, no agent variables, no tokens or other secrets, no
//   ssh/gpg agent, HOME an empty directory beside the clone;
// - under bubblewrap where it is installed and works (`bwrap`, https://github.com/containers/bubblewrap,
//   bwrap(1)): the whole file system read-only, /tmp, /run and $HOME empty, the coordinator's
//   worktrees hidden, only the clone writable; network shared (a setup step installs
//   dependencies). LANES_CHECKS_SANDBOX=none runs them without it (a machine with no user
//   namespaces); =bwrap requires it.
// Whatever runs here, land trusts nothing it could have changed: integration is compared with what
// was checked afterwards, and the push names the exact SHA with a lease on the hub's old value.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { LanesConfig } from '../config/schema.js';
import { EXIT, UserError } from '../util/errors.js';
import { removeThrowaway, throwawayClone, type ThrowawayClone } from '../git/throwaway-clone.js';

/** The checks as configured: the plain string form is `run` alone. */
export interface ChecksSpec {
  /** Prepares the clone (installs dependencies); its failure is the coordinator's to fix. */
  setup: string | null;
  /** The checks proper; their failure is the lane's. */
  run: string;
}

export function checksSpec(config: LanesConfig): ChecksSpec | null {
  const c = config.checks;
  if (!c) return null;
  return typeof c === 'string' ? { setup: null, run: c } : { setup: c.setup ?? null, run: c.run };
}

export type Sandbox = 'bwrap' | 'none';

export interface ChecksOutcome {
  ok: boolean;
  /** Which command failed (or the last that ran). */
  stage: 'setup' | 'run';
  command: string;
  /** exit status and the output's last lines. */
  detail: string;
  /** Where it ran; kept when a step failed, removed otherwise. */
  dir: string;
  kept: boolean;
  sandbox: Sandbox;
  interrupted: boolean;
}

/** Environment variables a check never sees (matched on the name). */
const SECRET_NAME = /TOKEN|SECRET|PASSW|CREDENTIAL|API_?KEY|PRIVATE|AUTH|COOKIE|SESSION/i;
/** Variables of git, agents, clouds, package registries and lanes-hooks itself. */
const DROPPED_PREFIX =
  /^(GIT_|SSH_|GPG_|LANES_|CLAUDE|ANTHROPIC|OPENAI|CODEX|GEMINI|GOOGLE_|CURSOR|COPILOT|GITHUB_|GH_|GITLAB|CI_JOB|QWEN|DASHSCOPE|OPENCODE|AWS_|AZURE_|NPM_CONFIG_|YARN_|XDG_|DBUS_|KRB5)/i;
const DROPPED = new Set(['HOME', 'OLDPWD', 'PWD', 'INIT_CWD', 'CDPATH', 'ENV', 'BASH_ENV']);

/** The caller's environment minus everything a lane's code should not have or use. */
export function scrubbedEnv(
  env: NodeJS.ProcessEnv,
  home: string,
  extra: Record<string, string>,
): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || DROPPED.has(k) || DROPPED_PREFIX.test(k) || SECRET_NAME.test(k))
      continue;
    out[k] = v;
  }
  return { ...out, HOME: home, ...extra };
}

let probed: boolean | null = null;
/** bwrap is on PATH and can build its namespaces here (a container may forbid them). */
function bwrapWorks(): boolean {
  if (probed !== null) return probed;
  const r = spawnSync('bwrap', [...BWRAP_BASE, 'true'], { stdio: 'ignore' });
  return (probed = r.status === 0);
}
const BWRAP_BASE = [
  '--die-with-parent',
  '--unshare-all',
  '--share-net',
  '--ro-bind',
  '/',
  '/',
  '--dev',
  '/dev',
  '--proc',
  '/proc',
];

export function chooseSandbox(env: NodeJS.ProcessEnv = process.env): Sandbox {
  const want = env.LANES_CHECKS_SANDBOX ?? 'auto';
  if (want === 'none') return 'none';
  if (want !== 'auto' && want !== 'bwrap')
    throw new UserError(
      `land: LANES_CHECKS_SANDBOX=${JSON.stringify(want)}: expected bwrap, none or nothing (auto)`,
    );
  if (bwrapWorks()) return 'bwrap';
  if (want === 'bwrap')
    throw new UserError(
      'land: LANES_CHECKS_SANDBOX=bwrap, but bwrap is not installed or cannot create its namespaces here (apt-get install bubblewrap; in a container, allow user namespaces)',
      EXIT.refused,
    );
  return 'none';
}

/**
 * The bwrap command line: everything read-only, the temporary and runtime directories and the
 * coordinator's home empty, the coordinator's worktrees (`hide`) replaced by empty directories,
 * then the clone's box bound writable on top (bwrap applies its options in order).
 */
function bwrapArgs(box: string, cwd: string, hide: string[]): string[] {
  const args = [...BWRAP_BASE];
  for (const d of ['/tmp', '/run']) if (existsSync(d)) args.push('--tmpfs', d);
  const home = process.env.HOME;
  const masked = [...(home ? [home] : []), ...hide]
    .map((p) => path.resolve(p))
    .filter((p) => p !== '/' && existsSync(p) && !isInside(box, p));
  for (const p of new Set(masked)) args.push('--tmpfs', p);
  args.push('--bind', box, box, '--chdir', cwd);
  return args;
}
const isInside = (inner: string, outer: string) =>
  inner === outer || inner.startsWith(outer.endsWith('/') ? outer : outer + '/');

/** Control characters of the checks' output (lane code) never reach the terminal as they are. */
export const printable = (s: string) =>
  s.replace(/\r\n/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f\u0080-\u009f]/g, '?');

/** A running land's interruption: set by SIGINT/SIGTERM, kills the check that runs. */
export class Interruption {
  interrupted = false;
  private kill: (() => void) | null = null;
  private readonly onSignal = () => {
    this.interrupted = true;
    this.kill?.();
  };
  constructor() {
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }
  whileRunning(kill: (() => void) | null) {
    this.kill = kill;
    if (kill && this.interrupted) kill();
  }
  dispose() {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}

async function runStep(
  command: string,
  how: { sandbox: Sandbox; clone: ThrowawayClone; hide: string[]; env: NodeJS.ProcessEnv },
  stop: Interruption,
): Promise<{ status: number | null; signal: string | null; out: string; error?: string }> {
  const [file, args] =
    how.sandbox === 'bwrap'
      ? ['bwrap', [...bwrapArgs(how.clone.box, how.clone.repo, how.hide), 'sh', '-c', command]]
      : ['sh', ['-c', command]];
  return new Promise((resolve) => {
    // Its own process group: an interruption ends the command and everything it started.
    const child = spawn(file, args as string[], {
      cwd: how.clone.repo,
      env: how.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const take = (b: Buffer) => {
      const s = b.toString('utf8');
      out = (out + s).slice(-64 * 1024);
      // The checks' own words go to stderr, so that --json keeps stdout to itself.
      process.stderr.write(printable(s));
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
        setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // already gone
          }
        }, 2000).unref();
      } catch {
        // already gone
      }
    };
    stop.whileRunning(killGroup);
    child.on('error', (e) => {
      stop.whileRunning(null);
      resolve({ status: null, signal: null, out, error: e.message });
    });
    child.on('close', (status, signal) => {
      stop.whileRunning(null);
      resolve({ status, signal, out });
    });
  });
}

/**
 * Run `spec` on `sha` (setup first, then run) in a throwaway clone, as untrusted code; `hide`: the
 * coordinator's worktrees, masked inside the sandbox.
 */
export async function runChecks(
  spec: ChecksSpec,
  sha: string,
  role: string,
  opts: { hide: string[]; sandbox: Sandbox; stop: Interruption; started?: (dir: string) => void },
): Promise<ChecksOutcome> {
  const clone = throwawayClone(sha);
  opts.started?.(clone.repo);
  const env = scrubbedEnv(process.env, clone.home, { LANES_LAND_SHA: sha, LANES_LAND_ROLE: role });
  const steps: ['setup' | 'run', string][] = [
    ...(spec.setup ? [['setup', spec.setup] as ['setup', string]] : []),
    ['run', spec.run],
  ];
  let last: ChecksOutcome | null = null;
  for (const [stage, command] of steps) {
    const r = await runStep(
      command,
      { sandbox: opts.sandbox, clone, hide: opts.hide, env },
      opts.stop,
    );
    const tail = printable(r.out).trim().split('\n').slice(-3).join(' | ');
    const ok = r.status === 0 && !opts.stop.interrupted;
    last = {
      ok,
      stage,
      command,
      detail: r.error
        ? r.error
        : `${r.status !== null ? `exit ${r.status}` : `signal ${r.signal}`}${tail ? `: ${tail}` : ''}`,
      dir: clone.repo,
      kept: false,
      sandbox: opts.sandbox,
      interrupted: opts.stop.interrupted,
    };
    if (!ok) break;
  }
  // Kept for inspection when a step failed; an interrupted or passing run leaves nothing.
  if (last!.ok || last!.interrupted) removeThrowaway(clone.box);
  else last!.kept = true;
  return last!;
}
