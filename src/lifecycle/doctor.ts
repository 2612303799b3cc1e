// doctor: is this worktree (or every one) governed, and if not, exactly what to do.
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { UserError } from '../util/errors.js';
import { loadConfig } from '../config/load.js';
import { gitMaybe } from '../git/exec.js';
import { currentWorktree, listWorktrees, type Worktree } from '../git/repo.js';
import {
  hooksBase,
  movedHooksPath,
  isOurHook,
  passThroughHooks,
  repairMovedHooks,
  readInstallState,
  rootCheckout,
  runtimeFile,
  hookEntryFile,
  VERSION,
} from '../hooks/install.js';
import { HOOK_ENTRY, RUNTIME } from '../bundle-files.js';
import { readBytes } from '../util/fs.js';
import { POLICY_HOOKS, policyShim, PROVENANCE_HOOK, provenanceShim } from '../hooks/shims.js';
import { checkAllAgents } from '../agents/checks.js';
import { agentTitle } from '../agents/guard.js';
import { clearSwitch, findSwitches, switchPlaces } from '../agents/off-switches.js';
import { installedAgents } from '../agents/settings.js';
import { checkManaged } from '../agents/managed.js';
import { repairHookScripts } from '../hooks/hook-scripts.js';
import { cliCommand, runnable } from '../hooks/cli-command.js';
import { laneOf } from '../lanes/facts.js';
import { brokenConfigAction, INTEGRATION_PIN, lanePolicy, type Policy } from '../lanes/policy.js';
import type { LanesConfig } from '../config/schema.js';
import { overlappingScopes } from '../policy/scope.js';
import { ALL_STORES } from './stores.js';
import { checkStore } from '../store/repair.js';

export interface DoctorReport {
  path: string;
  role: string | null;
  kind: string;
  problems: string[];
  notes: string[];
  /** Per coding agent whose hooks were installed: will they run in this worktree? */
  agents: { agent: string; runs: boolean }[];
}

export function doctor(
  cwd?: string,
  opts: { repair?: boolean; stores?: boolean } = {},
): DoctorReport {
  const wt = currentWorktree(cwd);
  const dir = wt.top ?? wt.gitDir;
  const report: DoctorReport = {
    path: dir,
    role: null,
    kind: 'unknown',
    problems: [],
    notes: [],
    agents: [],
  };
  try {
    const policy = lanePolicy(wt);
    const { config } = policy;
    report.notes.push(`policy: ${policy.source}`);
    // Integration's committed config does not load (the coordinator follows a stand-in): the
    // problem that stops every lane, with its file, line and reason, and the fix.
    if (policy.broken) report.problems.push(brokenConfigAction(policy, wt.top, wt.isMain)!);
    else if (policy.warning) report.notes.push(`warning: ${policy.warning}`);
    const drift = uncommittedConfig(wt, policy);
    // A broken file here is a problem (exit 1), with its file, line and reason: it is one commit
    // away from being the policy (issue 30); a file that merely differs is a warning.
    if (drift?.startsWith(BROKEN_HERE)) report.problems.push(drift);
    else if (drift) report.notes.push(`warning: ${drift}`);
    const pinNote = pinAgainstHub(wt, config);
    if (pinNote) report.notes.push(`warning: ${pinNote}`);
    for (const [a, b, p] of overlappingScopes(config))
      report.notes.push(`warning: the scopes of ${a} and ${b} overlap (both may change ${p})`);
    const lane = laneOf(wt, config);
    report.role = lane.role;
    report.kind = lane.kind;
    report.notes.push(...lane.notes);
    if (lane.kind === 'unassigned')
      report.problems.push(
        'no lane role: run `npx lanes-hooks install --role <role>` here (or `lanes-hooks setup` from the coordinator)',
      );
    else
      report.notes.push(
        `lane: ${lane.role} (${lane.kind}, ${lane.source === 'recorded' ? 'recorded by install' : lane.source === 'main' ? 'main worktree' : 'by its path'})`,
      );
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    report.problems.push(...e.message.split('\n').map((l) => `config: ${l}`));
  }
  if (opts.repair) {
    const stale = repairMovedHooks(cwd);
    if (stale)
      report.notes.push(
        `repaired the hooks of a moved repository: core.hooksPath was ${JSON.stringify(stale)}; the hooks are reinstalled here`,
      );
    report.notes.push(...repairAgentSwitches(wt));
  }
  report.problems.push(...hookProblems(cwd));
  const state = readInstallState(wt);
  const cli = cliCommand(wt);
  if (state && wt.top) {
    for (const c of checkAllAgents(wt, hooksBase(wt), state.node, rootCheckout(cwd), cli)) {
      report.agents.push({ agent: c.agent, runs: c.runs });
      report.problems.push(...c.problems);
      report.notes.push(...c.notes);
    }
    // Managed mode (install --managed): its own check, agents/managed.ts.
    if (installedAgents(hooksBase(wt)).length) {
      const m = checkManaged(hooksBase(wt), state.node, wt.commonDir, cli);
      report.notes.push(...m.notes);
      report.problems.push(...m.problems);
    }
  }
  if (opts.stores) {
    for (const h of ALL_STORES.map((spec) => checkStore(spec, opts.repair ?? false, dir))) {
      if (h.ok) continue;
      if (h.repairedTo)
        report.notes.push(
          `repaired ${h.ref}: it was damaged (${h.problem}); restored the last good state ${h.repairedTo}`,
        );
      else
        report.problems.push(
          `${h.problem}${opts.repair ? '' : ': run lanes-hooks doctor --repair'}`,
        );
    }
  }
  // Every fix is printed the way it runs here, in a fresh lane too.
  report.problems = report.problems.map((p) => runnable(p, cli));
  return report;
}

/**
 * doctor --repair: git's hook files back as install writes them (hooks/hook-scripts.ts), and every
 * switch that turns an installed agent's hooks off taken out of its file, the user's own files
 * included (a person runs doctor; /etc is left to its administrator). What was done, as notes.
 */
function repairAgentSwitches(wt: Worktree): string[] {
  if (!wt.top || !readInstallState(wt)) return [];
  const notes = repairHookScripts(wt).map(
    (r) =>
      `repaired ${r.file}: ${r.restored ? 'back as install wrote it' : 'could not be written'}`,
  );
  const base = hooksBase(wt);
  for (const s of findSwitches(switchPlaces(installedAgents(base), wt.top, rootCheckout(wt.top)))) {
    if (s.level === 'system') continue;
    notes.push(
      clearSwitch(s)
        ? `repaired ${s.file}: took ${s.what} out (${agentTitle(s.agent)} runs its hooks again)`
        : `could not take ${s.what} out of ${s.file}: edit it by hand`,
    );
  }
  return notes;
}

/**
 * The chained hooks (husky's `.husky/_`, say) are a path relative to each worktree: where the
 * main worktree has them and this one does not, git runs none of them here, and a lane's commit
 * skips lint-staged and the rest without a word (issue 30: husky's `prepare` runs only where
 * `npm ci` ran, never with ignore-scripts=true, and a lane has no node_modules). Said, with the fix.
 */
function chainedElsewhereOnly(wt: Worktree, previous: string): string | null {
  if (!previous || path.isAbsolute(previous) || !wt.top) return null;
  const main = listWorktrees(wt.top)[0]?.path;
  if (!main || main === wt.top) return null;
  const theirs = path.join(main, previous);
  if (!existsSync(theirs) || existsSync(path.join(wt.top, previous))) return null;
  const hooks = readdirSync(theirs).filter((f) => !f.startsWith('.') && f !== 'h');
  return `the hooks chained from ${JSON.stringify(previous)} (husky's, say: ${hooks.slice(0, 4).join(', ')}${hooks.length > 4 ? ', …' : ''}) run in the main worktree but not here: this worktree has no ${previous} (husky writes it on npm's prepare, which never ran here), so commits here skip them (lint-staged included): in this worktree run \`npm ci && npx husky\` (husky needs its node_modules; ignore-scripts=true skips its prepare), or leave those checks to land's \`checks\``;
}

function hookProblems(cwd?: string): string[] {
  const wt = currentWorktree(cwd);
  const state = readInstallState(wt);
  const fix = 'run `npx lanes-hooks install`';
  if (!state) return [`hooks not installed: ${fix}`];
  const problems: string[] = [];
  const base = hooksBase(wt);
  const hooksDir = path.join(base, 'hooks');
  const active = gitMaybe(['config', '--get', 'core.hooksPath'], { cwd: wt.top ?? wt.gitDir });
  const moved = movedHooksPath(wt);
  if (moved) {
    problems.push(
      `core.hooksPath is ${JSON.stringify(moved)}, ${existsSync(moved) ? 'another repository’s hooks' : 'which does not exist'}, outside this repository (was it moved?): git runs no lanes hook here, so every rule is off: run \`lanes-hooks doctor --repair\``,
    );
  } else if (!active || path.resolve(wt.top ?? wt.gitDir, active) !== hooksDir) {
    problems.push(
      `core.hooksPath is ${active ? JSON.stringify(active) : 'unset'} here, so git does not run the lanes hooks (another tool, husky's prepare for one, may have reset it): ${fix}`,
    );
  }
  // Set in .git/config after install (husky's prepare, say): shadowed by ours, so the rules hold,
  // but its hooks run only once install chains them.
  const local = gitMaybe(['config', '--local', '--get', 'core.hooksPath'], {
    cwd: wt.top ?? wt.gitDir,
  });
  if (
    local !== null &&
    local !== state.previousHooks &&
    path.resolve(wt.top ?? wt.gitDir, local) !== hooksDir &&
    !/\/lanes-hooks\/hooks\/*$/.test(local) // an earlier version's own: install gives it back
  )
    problems.push(
      `core.hooksPath was set to ${JSON.stringify(local)} in .git/config after install (husky's prepare, say): the lanes hooks still run, but that directory's hooks do not: run \`npx lanes-hooks install\` once, in any worktree, to chain them`,
    );
  if (state.version !== VERSION)
    problems.push(
      `hooks were installed by lanes-hooks ${state.version}, this is ${VERSION}: ${fix}`,
    );
  const params = { version: state.version, base, node: state.node, previous: state.previousHooks };
  const shims: [string, string][] = [
    ...POLICY_HOOKS.map((h): [string, string] => [h, policyShim(h, params)]),
    [PROVENANCE_HOOK, provenanceShim(params)],
  ];
  for (const [hook, text] of shims) {
    const file = path.join(hooksDir, hook);
    if (!existsSync(file)) problems.push(`hook ${hook} is missing: ${fix}`);
    else if (!isOurHook(file))
      problems.push(
        `hook ${hook} was replaced by another tool's (\`lefthook install\` writes into the hooks directory git resolves, which is lanes-hooks'), so this rule layer is off: run \`npx lanes-hooks install\` once, in any worktree: it moves that hook to ${state.previousHooks}, where the lanes hooks run it after their own checks; and add \`no_auto_install: true\` to lefthook.yml, or lefthook's next run after a change of its config writes over it again`,
      );
    else if (readFileSync(file, 'utf8') !== text)
      problems.push(`hook ${hook} was changed by hand: ${fix}`);
    else if (!executable(file)) problems.push(`hook ${hook} is not executable: ${fix}`);
  }
  const unchained = chainedElsewhereOnly(wt, state.previousHooks);
  if (unchained) problems.push(unchained);
  for (const hook of passThroughHooks(wt, state.previousHooks)) {
    if (!existsSync(path.join(hooksDir, hook)))
      problems.push(
        `${state.previousHooks}/${hook} was added after install, so git does not run it: ${fix}`,
      );
  }
  // The two files install copied: the CLI (bin/lanes-hooks and the agents' hook commands run it)
  // and the hook entry, which the shims start whenever a decision needs Node (shims.ts lanes_node).
  // Each must be there, not empty (the shims fail closed on either), and this build's.
  const copies = [
    { file: path.join(base, RUNTIME), own: runtimeFile(), what: "the hooks' runtime" },
    {
      file: path.join(base, HOOK_ENTRY),
      own: hookEntryFile(),
      what: 'the hook entry, which the git hooks start when a decision needs Node,',
    },
  ];
  let otherBuild = false;
  for (const { file, own, what } of copies) {
    const data = readBytes(file);
    if (!data?.length) problems.push(`${what} ${file} is ${data ? 'empty' : 'missing'}: ${fix}`);
    else if (own !== file && existsSync(own) && !data.equals(readFileSync(own))) otherBuild = true;
  }
  if (otherBuild)
    problems.push(
      `the hooks run another build of lanes-hooks than this one (${runtimeFile()}): ${fix}`,
    );
  const node = spawnSync(state.node, ['--version'], { encoding: 'utf8' });
  if (node.status !== 0)
    problems.push(
      `the hooks run Node.js from ${state.node}, which does not start (${node.error?.message ?? node.stderr.trim()}): ${fix} with the Node.js you use`,
    );
  return problems;
}

/**
 * The pinned integration branch against the hub's (route b): `refs/remotes/<remote>/HEAD`, which
 * clone and `git remote set-head <remote> --auto` record, names the hub's default branch. A pin
 * that differs from it, or from the config's own `integration`, is reported; nothing local can
 * prove which is right, so the fix names the command that reads the hub.
 */
function pinAgainstHub(wt: Worktree, config: LanesConfig): string | null {
  const pin =
    gitMaybe([
      'config',
      '--file',
      path.join(wt.commonDir, 'config'),
      '--get',
      INTEGRATION_PIN,
    ])?.trim() || null;
  if (!pin) return null;
  const head = gitMaybe(['symbolic-ref', '-q', `refs/remotes/${config.remote}/HEAD`])?.replace(
    `refs/remotes/${config.remote}/`,
    '',
  );
  if (pin !== config.integration)
    return `${INTEGRATION_PIN} is ${JSON.stringify(pin)}, but the policy names ${JSON.stringify(config.integration)} as integration: git config ${INTEGRATION_PIN} ${config.integration}`;
  if (head && head !== pin)
    return `${INTEGRATION_PIN} is ${JSON.stringify(pin)}, but ${config.remote}'s HEAD names ${JSON.stringify(head)}: check which is the integration branch (git remote set-head ${config.remote} --auto), then git config ${INTEGRATION_PIN} <it>`;
  return null;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The worktree's own config, when it differs from the policy in force (edits not committed yet). */
function uncommittedConfig(wt: Worktree, policy: Policy): string | null {
  if (!wt.top || !policy.refs.length) return null;
  try {
    const { config, file } = loadConfig(wt.top);
    if (!file || JSON.stringify(config) === JSON.stringify(policy.config)) return null;
    return `${path.relative(wt.top, file)} here differs from the policy in force (${policy.source}): only the config committed on ${policy.config.integration} counts`;
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return `${BROKEN_HERE}${e.message
      .split('\n')
      .filter((l) => l && !/^\s/.test(l)) // the reasons, not the caret lines under them
      .join(
        '; ',
      )} (only the config committed on ${policy.config.integration} counts; committed as it is, it would stop every lane)`;
  }
}

const BROKEN_HERE = 'the config here does not load: ';
