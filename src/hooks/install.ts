// install / uninstall (docs/reference.md, "Commands"; docs/architecture.md, "What runs where"): one
// hooks directory in the repository's common git dir, named by core.hooksPath, so every worktree —
// also one made later by a plain `git worktree add` — is governed, and no lane needs node_modules
// of its own: the runtime is copied next to the hooks.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../util/errors.js';
import { INTEGRATION_PIN, lanePolicy } from '../lanes/policy.js';
import { git, gitMaybe } from '../git/exec.js';
import { currentWorktree, listWorktrees, type Worktree } from '../git/repo.js';
import { COORDINATOR } from '../lanes/resolve.js';
import { writeFileAtomic } from '../util/fs.js';
import {
  POLICY_HOOKS,
  PROVENANCE_HOOK,
  passThroughShim,
  policyShim,
  provenanceShim,
  type ShimParams,
} from './shims.js';

import { VERSION } from '../version.js';
import { refreshCompiled } from './compile.js';
import { installAgents, uninstallAgents } from './agent-settings.js';
import type { Agent } from '../agents/payload.js';
export { VERSION };

/** What install changed, so that uninstall can restore exactly that. */
export interface InstallState {
  version: string;
  node: string;
  /** core.hooksPath in the repository's own config before install (null: unset). */
  previousLocalHooksPath: string | null;
  /** The hooks directory that ran before install, chained by every shim. */
  previousHooks: string;
  /** extensions.worktreeConfig was already on. */
  worktreeConfigWasOn: boolean;
  /** core.bare=true was moved into the main worktree's config.worktree (a bare hub). */
  movedCoreBare: boolean;
  /** install wrote lanes.integration (where every worktree reads the committed policy from). */
  pinnedIntegration?: boolean;
}

export const hooksBase = (wt: Worktree) => path.join(wt.commonDir, 'lanes-hooks');
const stateFile = (wt: Worktree) => path.join(hooksBase(wt), 'install.json');

export function readInstallState(wt: Worktree): InstallState | null {
  try {
    return JSON.parse(readFileSync(stateFile(wt), 'utf8')) as InstallState;
  } catch {
    return null;
  }
}

/** The bundle this process runs from: the single file the hooks load. */
export function runtimeFile(): string {
  return fileURLToPath(import.meta.url);
}

export interface InstallResult {
  hooksDir: string;
  role: string | null;
  chained: string;
  fresh: boolean;
  /** Anything on disk or in git config differed from what install writes. */
  changed: boolean;
}

export function install(opts: { role?: string; cwd?: string }): InstallResult {
  const wt = currentWorktree(opts.cwd);
  // A bare repository is a hub: no lane works there, and moving core.bare or core.hooksPath would
  // switch off the hub's own hooks/pre-receive. Refused before anything changes.
  if (wt.top === null)
    throw new UserError(
      `install: ${wt.gitDir} is a bare repository (a hub): the local hooks are for worktrees, and installing them here would switch off the hub's own hooks (hooks/pre-receive). Nothing was changed. On a hub, run \`lanes-hooks guard pre-receive\` from hooks/pre-receive (docs/server.md); install in a clone or worktree instead.`,
    );
  const { config } = lanePolicy(wt); // no readable policy stops install before any change
  if (opts.role !== undefined && opts.role !== COORDINATOR && !config.roles[opts.role]) {
    throw new UserError(
      `install: --role ${JSON.stringify(opts.role)} is not a role of the config (roles: ${[COORDINATOR, ...Object.keys(config.roles)].join(', ')})`,
    );
  }
  const base = hooksBase(wt);
  const hooksDir = path.join(base, 'hooks');
  const cwd = wt.top ?? wt.gitDir;
  let state = readInstallState(wt);
  const fresh = state === null;
  if (!state) {
    const local = gitMaybe(['config', '--local', '--get', 'core.hooksPath'], { cwd });
    const effective = gitMaybe(['config', '--get', 'core.hooksPath'], { cwd });
    state = {
      version: VERSION,
      node: process.execPath,
      previousLocalHooksPath: local,
      previousHooks:
        effective && path.resolve(cwd, effective) !== hooksDir
          ? effective
          : path.join(wt.commonDir, 'hooks'),
      worktreeConfigWasOn:
        gitMaybe(['config', '--local', '--bool', '--get', 'extensions.worktreeConfig'], { cwd }) ===
        'true',
      movedCoreBare: false,
    };
  }
  state = { ...state, version: VERSION, node: process.execPath };

  if (
    !state.worktreeConfigWasOn &&
    gitMaybe(['config', '--local', '--bool', '--get', 'extensions.worktreeConfig'], { cwd }) !==
      'true'
  ) {
    // GIT-FACTS: with a bare hub, turning the extension on breaks every linked worktree unless
    // core.bare moves into the hub's own config.worktree first.
    if (gitMaybe(['config', '--local', '--bool', '--get', 'core.bare'], { cwd }) === 'true') {
      git(['config', '--file', path.join(wt.commonDir, 'config.worktree'), 'core.bare', 'true'], {
        cwd,
      });
      git(['config', '--local', '--unset', 'core.bare'], { cwd });
      state.movedCoreBare = true;
    }
    git(['config', '--local', 'extensions.worktreeConfig', 'true'], { cwd });
  }

  mkdirSync(hooksDir, { recursive: true });
  // For "already current": did any byte or the hooks path differ from what is written now?
  let changed =
    fresh || gitMaybe(['config', '--local', '--get', 'core.hooksPath'], { cwd }) !== hooksDir;
  const put = (file: string, data: string | Buffer, mode?: number) => {
    if (!existsSync(file) || !readFileSync(file).equals(Buffer.from(data))) changed = true;
    writeFileAtomic(file, data, mode);
  };
  put(path.join(base, 'lanes-hooks.mjs'), readFileSync(runtimeFile()));
  // agent-hook's light entry, shipped beside the bundle (agents/fast.ts).
  const light = path.join(path.dirname(runtimeFile()), 'agent-hook.mjs');
  if (existsSync(light)) put(path.join(base, 'agent-hook.mjs'), readFileSync(light));
  const params: ShimParams = {
    version: VERSION,
    base,
    node: state.node,
    previous: state.previousHooks,
  };
  for (const hook of POLICY_HOOKS) put(path.join(hooksDir, hook), policyShim(hook, params), 0o755);
  put(path.join(hooksDir, PROVENANCE_HOOK), provenanceShim(params), 0o755);
  for (const hook of passThroughHooks(wt, state.previousHooks))
    put(path.join(hooksDir, hook), passThroughShim(hook, params), 0o755);
  // Pin the integration branch: from now on its committed config is the policy of every
  // worktree, whatever a worktree's own files say (lanes/policy.ts).
  if (gitMaybe(['config', '--local', '--get', INTEGRATION_PIN], { cwd }) === null) {
    git(['config', '--local', INTEGRATION_PIN, config.integration], { cwd });
    state.pinnedIntegration = true;
  }
  put(stateFile(wt), JSON.stringify(state, null, 2) + '\n');
  git(['config', '--local', 'core.hooksPath', hooksDir], { cwd });

  if (opts.role !== undefined) recordRole(wt, opts.role);
  else dropCopiedRole(wt);
  refreshCompiled(wt);
  return { hooksDir, role: opts.role ?? null, chained: state.previousHooks, fresh, changed };
}

/** The hooks of the previous directory (seen from this worktree) that lanes-hooks does not enforce itself. */
export function passThroughHooks(wt: Worktree, previous: string): string[] {
  const dir = path.resolve(wt.top ?? wt.commonDir, previous);
  try {
    return readdirSync(dir).filter(
      (f) =>
        !f.includes('.') &&
        !(POLICY_HOOKS as readonly string[]).includes(f) &&
        f !== PROVENANCE_HOOK &&
        isExecutableFile(path.join(dir, f)),
    );
  } catch {
    return []; // no previous hooks directory here
  }
}

function isExecutableFile(file: string): boolean {
  try {
    const st = statSync(file);
    return st.isFile() && (st.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** The role belongs to this worktree only: lanes.worktree binds it (git worktree add copies config.worktree). */
export function recordRole(wt: Worktree, role: string): void {
  const cwd = wt.top ?? wt.gitDir;
  git(['config', '--worktree', 'lanes.role', role], { cwd });
  git(['config', '--worktree', 'lanes.worktree', wt.id], { cwd });
}

function dropCopiedRole(wt: Worktree): void {
  const cwd = wt.top ?? wt.gitDir;
  const boundTo = gitMaybe(['config', '--worktree', '--get', 'lanes.worktree'], { cwd });
  const role = gitMaybe(['config', '--worktree', '--get', 'lanes.role'], { cwd });
  if (role !== null && boundTo !== wt.id) unsetLanesKeys(worktreeConfigFile(wt));
}

const worktreeConfigFile = (wt: Worktree) => path.join(wt.gitDir, 'config.worktree');

function unsetLanesKeys(file: string): void {
  if (!existsSync(file)) return;
  gitMaybe(['config', '--file', file, '--remove-section', 'lanes']);
}

export function uninstall(opts: { cwd?: string }): { restored: string | null } | null {
  const wt = currentWorktree(opts.cwd);
  const cwd = wt.top ?? wt.gitDir;
  const state = readInstallState(wt);
  if (!state) return null;
  if (state.previousLocalHooksPath !== null)
    git(['config', '--local', 'core.hooksPath', state.previousLocalHooksPath], { cwd });
  else gitMaybe(['config', '--local', '--unset', 'core.hooksPath'], { cwd });
  if (state.pinnedIntegration) gitMaybe(['config', '--local', '--unset', INTEGRATION_PIN], { cwd });

  // Roles were recorded per worktree: remove them from every worktree's config.worktree.
  const gitDirs = [wt.commonDir, ...listWorktreeGitDirs(wt)];
  for (const d of gitDirs) unsetLanesKeys(path.join(d, 'config.worktree'));
  if (!state.worktreeConfigWasOn) {
    if (state.movedCoreBare) {
      git(['config', '--local', 'core.bare', 'true'], { cwd });
      gitMaybe([
        'config',
        '--file',
        path.join(wt.commonDir, 'config.worktree'),
        '--unset',
        'core.bare',
      ]);
    }
    for (const d of gitDirs) removeIfEmpty(path.join(d, 'config.worktree'));
    gitMaybe(['config', '--local', '--unset', 'extensions.worktreeConfig'], { cwd });
  }
  uninstallAgents(wt, hooksBase(wt));
  rmSync(hooksBase(wt), { recursive: true, force: true });
  return { restored: state.previousLocalHooksPath };
}

function listWorktreeGitDirs(wt: Worktree): string[] {
  const dir = path.join(wt.commonDir, 'worktrees');
  try {
    return readdirSync(dir).map((d) => path.join(dir, d));
  } catch {
    return [];
  }
}

function removeIfEmpty(file: string): void {
  try {
    if (readFileSync(file, 'utf8').trim() === '') rmSync(file);
  } catch {
    /* absent */
  }
}

/** The worktrees of this repository, for `doctor --all`. */
export const allWorktrees = (cwd?: string) =>
  listWorktrees(cwd).filter((w) => !w.bare && !w.prunable);

/** `install --agent …` in one worktree (the hooks must be installed: the command runs their runtime). */
export function installAgentHooks(agents: Agent[], cwd?: string): string[] {
  const wt = currentWorktree(cwd);
  const state = readInstallState(wt);
  if (!state)
    throw new UserError('install --agent: install the hooks first: npx lanes-hooks install');
  return installAgents(wt, hooksBase(wt), state.node, agents);
}

/**
 * A repository moved to another folder keeps the absolute core.hooksPath that install wrote (and
 * the shims keep their absolute base=): git then finds no hooks there and runs none, silently —
 * the rules fail open. This is that case: core.hooksPath names a lanes-hooks hooks directory that
 * is not this repository's (usually one that no longer exists). A relative core.hooksPath cannot
 * serve instead: git resolves it against each worktree's top level (GIT-FACTS), and a lane's top
 * is not the coordinator's, so one relative value cannot reach the shared hooks from every
 * worktree, nor from one added later by a plain `git worktree add`.
 */
export function movedHooksPath(wt: Worktree): string | null {
  if (!readInstallState(wt)) return null;
  const active = gitMaybe(['config', '--get', 'core.hooksPath'], { cwd: wt.top ?? wt.gitDir });
  if (!active || !path.isAbsolute(active)) return null;
  const ours = path.join(hooksBase(wt), 'hooks');
  if (path.resolve(active) === ours) return null;
  return active.replace(/\/+$/, '').endsWith('/lanes-hooks/hooks') ? active : null;
}

/** doctor --repair for a moved repository: install again here, paths remapped to the new place. */
export function repairMovedHooks(cwd?: string): string | null {
  const wt = currentWorktree(cwd);
  const stale = movedHooksPath(wt);
  if (!stale) return null;
  const state = readInstallState(wt)!;
  const oldCommon = path.dirname(path.dirname(stale.replace(/\/+$/, '')));
  if (state.previousHooks.startsWith(oldCommon + '/')) {
    state.previousHooks = path.join(wt.commonDir, state.previousHooks.slice(oldCommon.length + 1));
    writeFileAtomic(stateFile(wt), JSON.stringify(state, null, 2) + '\n');
  }
  if (state.previousLocalHooksPath === stale) state.previousLocalHooksPath = null;
  install({ cwd: wt.top ?? wt.gitDir });
  return stale;
}
