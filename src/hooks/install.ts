// install / uninstall (docs/reference.md, "Commands"; docs/architecture.md, "What runs where"): one
// hooks directory in the repository's common git dir, named by core.hooksPath, so every worktree —
// also one made later by a plain `git worktree add` — is governed, and no lane needs node_modules
// of its own: the runtime is copied next to the hooks.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, UserError } from '../util/errors.js';
import { shellQuote } from '../util/sh.js';
import type { LanesConfig } from '../config/schema.js';
import { coordinatorDir, roleByPath } from '../lanes/facts.js';
import { laneDir } from '../lanes/names.js';
import { INTEGRATION_PIN, lanePolicy } from '../lanes/policy.js';
import { git, gitMaybe } from '../git/exec.js';
import { currentWorktree, listWorktrees, type Worktree } from '../git/repo.js';
import { COORDINATOR } from '../lanes/resolve.js';
import { readBytes, writeFileAtomic } from '../util/fs.js';
import { HOOK_ENTRY, RUNTIME } from '../bundle-files.js';
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
import { installAgents, uninstallAgents } from '../agents/settings.js';
import { installManaged, uninstallManaged, type ManagedRecord } from '../agents/managed.js';
import { shimFile, shimText } from './cli-command.js';
import type { HookAgent } from '../agents/registry.js';
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

/** The config file that sets core.hooksPath to ours, included at the end of .git/config. */
const INCLUDE_FILE = 'hooks.gitconfig';
/** include.path's value, relative to .git/config (git resolves it against the including file). */
export const INCLUDE_PATH = `lanes-hooks/${INCLUDE_FILE}`;
// .git/config includes it last, so that the lanes hooks stay on when another tool (husky's
// prepare) sets core.hooksPath there. One short comment line: prepare-commit-msg's sh reads the
// file a byte at a time on every commit (lanes_trailers_plain).
const includeText = (hooksDir: string) =>
  `# lanes-hooks install: keeps its hooks on (uninstall removes this)\n[core]\n\thooksPath = "${hooksDir.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"\n`;

/** A core.hooksPath value naming lanes-hooks' hooks: ours, or ours before the repository moved. */
const isLanesHooksDir = (value: string, cwd: string, hooksDir: string) =>
  path.resolve(cwd, value) === hooksDir || /\/lanes-hooks\/hooks\/*$/.test(value);

/** .git/config includes our hooks.gitconfig. */
export function includesOurConfig(cwd: string): boolean {
  const paths = gitMaybe(['config', '--local', '--get-all', 'include.path'], { cwd });
  return paths !== null && paths.split('\n').includes(INCLUDE_PATH);
}
export const stateFile = (wt: Worktree) => path.join(hooksBase(wt), 'install.json');

/** The record install wrote; null when absent or not of the shape it writes (a lane can write it). */
export function readInstallState(wt: Worktree): InstallState | null {
  try {
    return installStateOf(readFileSync(stateFile(wt), 'utf8'));
  } catch {
    return null;
  }
}

/** The install record's text read as a record; null when it is not of the shape install writes. */
export function installStateOf(text: string): InstallState | null {
  try {
    const s = JSON.parse(text) as InstallState | null;
    return s && typeof s.node === 'string' && typeof s.previousHooks === 'string' ? s : null;
  } catch {
    return null;
  }
}

/** The bundle this process runs from: the full CLI, which install copies beside the hooks. */
export function runtimeFile(): string {
  return fileURLToPath(import.meta.url);
}

/** The hook entry the build writes beside the CLI (scripts/build.mjs): the file the shims start. */
export function hookEntryFile(): string {
  return path.join(path.dirname(runtimeFile()), HOOK_ENTRY);
}

/**
 * The two files install copies, read before anything changes. A hook entry missing or empty beside
 * the CLI (a package or build cut short) would leave shims that fail closed on every decision
 * they hand to Node: refused here instead, with nothing written.
 */
function readBundles(): { runtime: Buffer; hookEntry: Buffer } {
  const file = hookEntryFile();
  const hookEntry = readBytes(file);
  if (!hookEntry?.length)
    throw new UserError(
      `install: the hook entry ${JSON.stringify(file)} is ${hookEntry ? 'empty' : 'missing'} beside the CLI ${JSON.stringify(runtimeFile())}: the git hooks start it whenever a decision needs Node. Nothing was changed. Reinstall the lanes-hooks package (npm i -D lanes-hooks), then run \`npx lanes-hooks install\` again.`,
    );
  return { runtime: readFileSync(runtimeFile()), hookEntry };
}

export interface InstallResult {
  hooksDir: string;
  role: string | null;
  chained: string;
  fresh: boolean;
  /** Anything on disk or in git config differed from what install writes. */
  changed: boolean;
  /** Another manager's hooks found in our directory and moved to the chained one. */
  adopted: string[];
}

/** A file install wrote (its second line names lanes-hooks). */
export function isOurHook(file: string): boolean {
  try {
    return readFileSync(file, 'utf8').split('\n', 2)[1]?.startsWith('# lanes-hooks ') === true;
  } catch {
    return false;
  }
}

/**
 * Move every hook in `hooksDir` that install did not write into `previous` (the directory our
 * shims chain), and drop our own shims that another manager renamed to `<hook>.old`. A hook of
 * that name already in `previous`, or a `previous` outside the git dir (husky's `.husky/_`,
 * resolved per worktree), is a UserError naming both: nothing is moved then.
 */
function adoptForeignHooks(hooksDir: string, previous: string): string[] {
  // A relative previous directory (husky's .husky/_) resolves per worktree: no one place to move to.
  const movable = path.isAbsolute(previous);
  let names: string[];
  try {
    names = readdirSync(hooksDir);
  } catch {
    return [];
  }
  const foreign = names.filter(
    (f) =>
      !f.includes('.') &&
      isExecutableFile(path.join(hooksDir, f)) &&
      !isOurHook(path.join(hooksDir, f)),
  );
  const ownOld = names.filter((f) => f.endsWith('.old') && isOurHook(path.join(hooksDir, f)));
  for (const f of foreign.length ? [] : ownOld) rmSync(path.join(hooksDir, f));
  if (!foreign.length) return [];
  // The same file already there (lefthook re-synced both): only our copy goes.
  const same = (f: string) =>
    existsSync(path.join(previous, f)) &&
    readFileSync(path.join(previous, f)).equals(readFileSync(path.join(hooksDir, f)));
  const clash = foreign.filter((f) => existsSync(path.join(previous, f)) && !same(f));
  if (clash.length || !movable)
    throw new UserError(
      `install: ${foreign.map((f) => path.join(hooksDir, f)).join(', ')} ${foreign.length > 1 ? 'are' : 'is'} another tool's (lefthook install writes into the hooks directory git resolves, which is lanes-hooks'), and ${clash.length ? `${clash.map((f) => path.join(previous, f)).join(', ')} already exist${clash.length > 1 ? '' : 's'}` : `the chained directory ${previous} is relative (resolved per worktree), so there is no one place to move them to`}. The hooks were not rewritten. Move them by hand into ${previous}, then run \`npx lanes-hooks install\` again.`,
    );
  mkdirSync(previous, { recursive: true });
  for (const f of foreign)
    if (same(f)) rmSync(path.join(hooksDir, f));
    else renameSync(path.join(hooksDir, f), path.join(previous, f));
  for (const f of ownOld) rmSync(path.join(hooksDir, f));
  return foreign;
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
  if (opts.role !== undefined) checkRoleBinding(wt, config, opts.role);
  const bundles = readBundles();
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
  let changed = fresh || !includesOurConfig(cwd);
  const put = (file: string, data: string | Buffer, mode?: number) => {
    if (!existsSync(file) || !readFileSync(file).equals(Buffer.from(data))) changed = true;
    writeFileAtomic(file, data, mode);
  };
  // husky's `prepare` (and any tool) sets core.hooksPath in .git/config on every `npm install`,
  // in any worktree. Ours is not there: it is in a file .git/config includes at its end, and a
  // later value of a key wins, so a `git config core.hooksPath …` by another tool is shadowed and
  // cannot switch the rules off. Its value stays chained (previousLocalHooksPath below).
  const local = gitMaybe(['config', '--local', '--get', 'core.hooksPath'], { cwd });
  if (local !== null && isLanesHooksDir(local, cwd, hooksDir)) {
    // An install of an earlier version wrote ours there (here, or before the repository moved):
    // give the key back.
    if (state.previousLocalHooksPath !== null)
      git(['config', '--local', 'core.hooksPath', state.previousLocalHooksPath], { cwd });
    else gitMaybe(['config', '--local', '--unset-all', 'core.hooksPath'], { cwd });
    changed = true;
  } else if (local !== null && local !== state.previousHooks) {
    // Set after install (husky's prepare, say): chain it from now on, and leave it on uninstall.
    state.previousHooks = local;
    state.previousLocalHooksPath = local;
    changed = true;
  }
  // lefthook (and any manager that installs into the hooks directory git resolves) writes its
  // hooks into ours, renaming our shims to `<hook>.old`. Take the directory back: its hooks move
  // to the chained directory, where our shims run them after their own checks.
  const adopted = adoptForeignHooks(hooksDir, state.previousHooks);
  if (adopted.length) changed = true;
  put(path.join(base, RUNTIME), bundles.runtime);
  // What the shims start when a decision needs Node (shims.ts lanes_node): written before the
  // shims that name it, each file whole and renamed into place (a hook meanwhile runs the old
  // file or the new one). An install that predates it left only the CLI, which its own shims
  // name and which still runs `hook`; this install rewrites those shims together with the entry.
  put(path.join(base, HOOK_ENTRY), bundles.hookEntry);
  // agent-hook's light entry, shipped beside the bundle (agents/fast.ts): the CommonJS file the
  // hook commands name, and the ES module one that hook commands of an older install name.
  for (const name of ['agent-hook.cjs', 'agent-hook.mjs']) {
    const light = path.join(path.dirname(runtimeFile()), name);
    if (existsSync(light)) put(path.join(base, name), readFileSync(light));
  }
  // The command printed to agents and people, runnable in a fresh lane (hooks/cli-command.ts).
  mkdirSync(path.dirname(shimFile(base)), { recursive: true });
  put(shimFile(base), shimText(state.node), 0o755);
  for (const f of hookFiles(wt, state).filter((h) => h.mode !== undefined))
    put(f.file, f.data, f.mode);
  // Pin the integration branch: from now on its committed config is the policy of every
  // worktree, whatever a worktree's own files say (lanes/policy.ts).
  if (gitMaybe(['config', '--local', '--get', INTEGRATION_PIN], { cwd }) === null) {
    git(['config', '--local', INTEGRATION_PIN, config.integration], { cwd });
    state.pinnedIntegration = true;
  }
  put(path.join(base, INCLUDE_FILE), includeText(hooksDir));
  if (!includesOurConfig(cwd))
    git(['config', '--local', '--add', 'include.path', INCLUDE_PATH], { cwd });
  put(stateFile(wt), JSON.stringify(state, null, 2) + '\n');

  if (opts.role !== undefined) recordRole(wt, opts.role);
  else dropCopiedRole(wt);
  refreshCompiled(wt);
  return {
    hooksDir,
    role: opts.role ?? null,
    chained: state.previousHooks,
    fresh,
    changed,
    adopted,
  };
}

/** One file of git's hooks as install writes it. */
export interface HookFile {
  file: string;
  data: string;
  /** The hook scripts' mode (executable); absent for the config file that names the directory. */
  mode?: number;
}

/**
 * Every file through which git runs lanes-hooks' checks, with the bytes install writes: the
 * shims in `<common-git-dir>/lanes-hooks/hooks/` and the config file that points core.hooksPath
 * there. The after-shell check (hooks/hook-scripts.ts) compares them with the disk.
 */
export function hookFiles(wt: Worktree, state: InstallState): HookFile[] {
  const base = hooksBase(wt);
  const hooksDir = path.join(base, 'hooks');
  const params: ShimParams = {
    version: VERSION,
    base,
    node: state.node,
    previous: state.previousHooks,
  };
  return [
    ...POLICY_HOOKS.map((hook) => ({
      file: path.join(hooksDir, hook),
      data: policyShim(hook, params),
      mode: 0o755,
    })),
    { file: path.join(hooksDir, PROVENANCE_HOOK), data: provenanceShim(params), mode: 0o755 },
    ...passThroughHooks(wt, state.previousHooks).map((hook) => ({
      file: path.join(hooksDir, hook),
      data: passThroughShim(hook, params),
      mode: 0o755,
    })),
    { file: path.join(base, INCLUDE_FILE), data: includeText(hooksDir) },
  ];
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

/**
 * A role is bound to where the committed config puts its lane (LANES-SPEC §3): the coordinator to
 * the main worktree, every other role to its `worktrees` path. Recording it anywhere else would
 * count for nothing (lanes/resolve.ts), so install refuses before changing anything.
 */
function checkRoleBinding(wt: Worktree, config: LanesConfig, role: string): void {
  const here = JSON.stringify(wt.top ?? wt.gitDir);
  if (role === COORDINATOR) {
    if (wt.isMain) return;
    throw new UserError(
      `install: --role coordinator: the coordinator is the main worktree alone, and ${here} is a linked worktree. Install there: cd ${shellQuote(coordinatorDir(wt))} && lanes-hooks install`,
      EXIT.usage,
    );
  }
  if (!wt.isMain && roleByPath(wt, config) === role) return;
  const want = laneDir(config, coordinatorDir(wt), role);
  throw new UserError(
    [
      `install: --role ${JSON.stringify(role)}: ${here} is ${wt.isMain ? 'the main worktree (the coordinator)' : 'not at that role’s configured path'}; the role belongs to ${JSON.stringify(want)} (worktrees ${JSON.stringify(config.worktrees)} in the lanes config). Nothing was changed.`,
      `  fix: let setup make the lane there: lanes-hooks setup (in the coordinator)`,
      ...(wt.isMain
        ? []
        : [
            `  or move this worktree there: git worktree move ${shellQuote(wt.top ?? '')} ${shellQuote(want)}`,
          ]),
      `  or change "worktrees" in the committed config so that it names this directory`,
    ].join('\n'),
    EXIT.usage,
  );
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
  const local = gitMaybe(['config', '--local', '--get', 'core.hooksPath'], { cwd });
  if (local !== null && isLanesHooksDir(local, cwd, path.join(hooksBase(wt), 'hooks'))) {
    // Written there by an install of an earlier version.
    if (state.previousLocalHooksPath !== null)
      git(['config', '--local', 'core.hooksPath', state.previousLocalHooksPath], { cwd });
    else gitMaybe(['config', '--local', '--unset-all', 'core.hooksPath'], { cwd });
  }
  gitMaybe(
    [
      'config',
      '--local',
      '--unset-all',
      'include.path',
      `^${INCLUDE_PATH.replace(/[.]/g, '\\.')}$`,
    ],
    {
      cwd,
    },
  );
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
  uninstallManaged(hooksBase(wt));
  rmSync(hooksBase(wt), { recursive: true, force: true });
  return { restored: gitMaybe(['config', '--local', '--get', 'core.hooksPath'], { cwd }) };
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
export function installAgentHooks(
  agents: HookAgent[],
  cwd?: string,
  opts: { userHook?: boolean; sandbox?: boolean } = {},
): string[] {
  const wt = currentWorktree(cwd);
  const state = readInstallState(wt);
  if (!state)
    throw new UserError('install --agent: install the hooks first: npx lanes-hooks install');
  return installAgents(wt, hooksBase(wt), state.node, agents, {
    root: rootCheckout(cwd),
    userHook: opts.userHook,
    sandbox: opts.sandbox,
  });
}

/**
 * `install --agent … --managed`: the agents' administrator-level settings (agents/managed.ts),
 * under `root` when given; `rerun` is the command to print when only root may write them.
 */
export function installManagedHooks(
  agents: HookAgent[],
  root: string | null,
  rerun: string,
  cwd?: string,
): ManagedRecord['agents'] {
  const wt = currentWorktree(cwd);
  const state = readInstallState(wt);
  if (!state)
    throw new UserError('install --managed: install the hooks first: npx lanes-hooks install');
  return installManaged(agents, hooksBase(wt), state.node, wt.commonDir, root, rerun);
}

/** The repository's main worktree (the root checkout), when it has one (not bare). */
export function rootCheckout(cwd?: string): string | null {
  const main = listWorktrees(cwd)[0];
  return main && !main.bare ? main.path : null;
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
