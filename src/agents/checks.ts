// doctor and status: will each installed agent's hooks actually run for a session in a worktree?
// The file the agent reads is there and holds lanes-hooks' current entries; no off switch the
// agent documents is set; the folder or project is trusted where the agent keeps trust in a file.
// What cannot be verified is said in a note, never passed as checked.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { EXTRA_AGENTS, isExtraAgent, type ExtraAgent } from './registry.js';
import { isOurCommand, type Json } from './adapter.js';
import type { Agent } from './payload.js';
import type { Worktree } from '../git/repo.js';
import { shellQuote } from '../util/sh.js';
import { realPath as real } from '../util/real-path.js';
import { codexHookTrust, codexTrustLines, readCodexConfig } from './codex-trust.js';
import { findSwitches, switchPlaces } from './off-switches.js';
import { agentTitle } from './guard.js';
import { claudeSandboxFindings, codexSandboxFindings, thisHost } from './sandbox-check.js';
import {
  copilotDisabledHooks,
  copilotSettingsFiles,
  opencodeGates,
  type Gates,
} from './checks-more.js';
import {
  agentCommand,
  AGENT_TARGETS,
  agentSettingsFor,
  claudeUserSettings,
  codexHome,
  installedAgents,
  parseSettings,
  sandboxedFiles,
  sameJson,
  withAgentHooks,
} from './settings.js';

export interface AgentCheck {
  /** Claude Code, Codex, or one of agents/registry.ts (checks.ts checks those). */
  agent: string;
  /** Will the agent run lanes-hooks' hooks in this worktree (started at its top)? */
  runs: boolean;
  /** What stops it, each with its fix. */
  problems: string[];
  /** What it does not cover, and other facts worth knowing. */
  notes: string[];
}

/**
 * Per agent, whether its hooks will actually run for a session in worktree `wt`: the file the
 * agent reads is there and current, and (Codex) the project and every hook are trusted in
 * $CODEX_HOME/config.toml. `cli` spells lanes-hooks in the fixes.
 */
export function checkAgents(
  wt: Worktree,
  base: string,
  node: string,
  root: string | null,
  cli: string,
  env: NodeJS.ProcessEnv = process.env,
): AgentCheck[] {
  if (!wt.top) return [];
  const out: AgentCheck[] = [];
  for (const agent of installedAgents(base).filter((a): a is Agent => !isExtraAgent(a))) {
    const check: AgentCheck = { agent, runs: true, problems: [], notes: [] };
    const fail = (p: string) => {
      check.runs = false;
      check.problems.push(`${agent}: ${p}`);
    };
    const t = AGENT_TARGETS[agent];
    const { file, command } = agentSettingsFor(wt, base, node, agent, root);
    const fix = `run \`${cli} install --agent ${agent}\` in ${wt.top}`;
    const text = readText(file);
    let settings: Json | null = null;
    try {
      settings = text === null ? null : parseSettings(file, text);
    } catch {
      fail(
        `${file} is not a valid settings file, so ${agent} reads no hooks from it: fix its JSON, then ${fix} (after a shell command lanes-hooks puts its entry back only into a file it can read: this one is left as it is)`,
      );
    }
    if (text === null)
      fail(`${file} is missing, so ${agent} runs no lanes-hooks hook here: ${fix}`);
    else if (settings && !sameJson(withAgentHooks(settings, agent, command), settings))
      fail(
        `${file} does not hold the current lanes-hooks hooks for this worktree (missing, changed, or another command): ${fix}`,
      );
    if (t.laneMarker && root && real(root) !== real(wt.top)) {
      const marker = path.join(wt.top, t.laneMarker);
      if (!existsSync(marker))
        fail(
          `this linked worktree has no ${t.laneMarker}/ folder, and Codex looks for the root checkout's hooks only for a folder that has one: ${fix} (or mkdir ${shellQuote(marker)})`,
        );
      if (existsSync(path.join(marker, 'hooks.json')))
        check.notes.push(
          `${agent}: ${path.join(marker, 'hooks.json')} is never read (Codex reads ${file} for every linked worktree)`,
        );
    }
    if (agent === 'codex' && settings) codexTrustProblems(wt, file, settings, root, env, fail);
    // The OS sandbox install --sandbox turned on here: can it run on this machine?
    // (sandbox-check.ts; a sandbox that cannot run leaves the hooks running: not `runs`.)
    const sandboxed = sandboxedFiles(base);
    const top = wt.top;
    const own = (f: string) =>
      real(f) === real(agent === 'claude' ? file : path.join(top, '.codex', 'config.toml'));
    if (sandboxed[agent].some(own)) {
      const found =
        agent === 'claude'
          ? claudeSandboxFindings(file, thisHost(env), cli, top)
          : codexSandboxFindings(
              path.join(top, '.codex', 'config.toml'),
              top,
              codexHome(env),
              thisHost(env),
              cli,
            );
      check.problems.push(...found.problems);
      check.notes.push(...found.notes);
    }
    if (agent === 'claude') {
      // `"disableAllHooks": true` in any settings file Claude Code reads turns every hook off.
      for (const f of [
        claudeUserSettings(env),
        path.join(wt.top, '.claude', 'settings.json'),
        path.join(wt.top, '.claude', 'settings.local.json'),
      ]) {
        if (/"disableAllHooks"\s*:\s*true/.test(readText(f) ?? ''))
          fail(`${f} sets "disableAllHooks": true, so Claude Code runs no hook at all: remove it`);
      }
      const user = readText(claudeUserSettings(env));
      if (!user || !/agent-hook\.[cm]js'? claude --user/.test(user))
        check.notes.push(
          `claude: a session started in a subfolder of this worktree reads no project settings, so no hook: \`${cli} install --agent claude --user-hook\` covers it (and \`claude --bare\` or \`--setting-sources user\` turns project hooks off)`,
        );
    }
    out.push(check);
  }
  return out;
}

function codexTrustProblems(
  wt: Worktree,
  file: string,
  settings: Json,
  root: string | null,
  env: NodeJS.ProcessEnv,
  fail: (p: string) => void,
): void {
  const project = real(root ?? wt.top!);
  const configFile = path.join(codexHome(env), 'config.toml');
  const { projects, hookHashes, hooksOff } = readCodexConfig(readText(configFile) ?? '');
  if (hooksOff)
    fail(
      `${configFile} turns Codex's hooks feature off ([features] hooks = false), so no hook runs: remove that line (and do not start Codex with --disable hooks)`,
    );
  const ours = codexHookTrust(real(file), (settings.hooks ?? {}) as Record<string, unknown>).filter(
    (h) => isOurCommand(h.command, 'codex'),
  );
  const trustedProject = [real(wt.top!), wt.top!, project, root ?? ''].some(
    (k) => k && projects.get(k) === 'trusted',
  );
  const untrusted = ours.filter((h) => hookHashes.get(h.key) !== h.hash);
  if (trustedProject && !untrusted.length) return;
  const what = [
    ...(trustedProject ? [] : [`the project ${project} is not trusted`]),
    ...untrusted.map(
      (h) =>
        `the ${h.event} hook is ${hookHashes.has(h.key) ? 'changed since it was trusted' : 'not trusted'}`,
    ),
  ].join('; ');
  fail(
    `Codex skips untrusted project hooks without a word (codex exec too), and here ${what}, in ${configFile}. Trust them in Codex (/hooks), or set these in that file (a table already there keeps its header; replace its trusted_hash):\n${codexTrustLines(
      trustedProject ? null : project,
      untrusted,
    )
      .split('\n')
      .map((l) => `      ${l}`)
      .join('\n')}`,
  );
}

// --- doctor and status: will these agents' hooks run in a worktree? ---------------------------

/** The agents of registry.ts whose hooks were installed anywhere in this repository. */
export const installedExtraAgents = (base: string): ExtraAgent[] =>
  installedAgents(base).filter(isExtraAgent);

const readText = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

/** A user's settings file as JSON; null when missing or not JSON (JSONC with comments included). */
function readJson(file: string): Json | null {
  const text = readText(file);
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
  } catch {
    return null;
  }
}

const field = (o: Json | null, ...keys: string[]): unknown =>
  keys.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json)[k] : undefined),
    o,
  );

const home = (env: NodeJS.ProcessEnv) => env.HOME || homedir();
const realOr = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
};
const within = (dir: string, p: string) =>
  p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);

/**
 * Gemini CLI's and Qwen Code's folder trust (gemini-cli packages/cli/src/config/trustedFolders.ts,
 * `isPathTrusted`; docs/trusted-folders.md; qwen-code docs cli/trusted-folders.md, the same file
 * format under ~/.qwen): `{ "<path>": "TRUST_FOLDER" | "TRUST_PARENT" | "DO_NOT_TRUST" }`, the
 * longest rule whose folder (TRUST_PARENT: the rule path's parent) holds the workspace decides.
 * true, false, or undefined (no rule: the CLI asks, and treats the folder as untrusted till then).
 */
export function folderTrusted(rules: Json | null, dir: string): boolean | undefined {
  const where = realOr(dir);
  let best = -1;
  let level: unknown;
  for (const [rule, value] of Object.entries(rules ?? {})) {
    const folder = realOr(value === 'TRUST_PARENT' ? path.dirname(rule) : rule);
    if (within(folder, where) && rule.length > best) {
      best = rule.length;
      level = value;
    }
  }
  if (level === 'DO_NOT_TRUST') return false;
  if (level === 'TRUST_FOLDER' || level === 'TRUST_PARENT') return true;
  return undefined;
}

function folderTrustGate(agent: 'gemini' | 'qwen', dir: string, trustFile: string) {
  return (top: string): string | null => {
    const userFile = path.join(dir, 'settings.json');
    if (field(readJson(userFile), 'security', 'folderTrust', 'enabled') !== true) return null;
    const trusted = folderTrusted(readJson(trustFile), top);
    if (trusted === true) return null;
    const title = EXTRA_AGENTS[agent].title;
    return `${userFile} turns folder trust on (security.folderTrust.enabled), and ${top} is ${
      trusted === false ? 'marked DO_NOT_TRUST' : 'not trusted'
    } in ${trustFile}: ${title} then ignores the project's settings, hooks included${
      trusted === false ? '' : ' (it asks at start; a headless run does not)'
    }: trust the folder when ${title} asks${agent === 'gemini' ? ' (or with /permissions)' : ''}, or add ${JSON.stringify(top)}: "TRUST_FOLDER" to that file`;
  };
}

function gatesOf(agent: ExtraAgent, top: string, env: NodeJS.ProcessEnv): Gates | null {
  switch (agent) {
    case 'gemini': {
      // gemini-cli packages/cli/src/config/settingsSchema.ts: `hooksConfig.enabled` ("When
      // disabled, no hooks will be executed", default true) and `hooksConfig.disabled` (hook names
      // or commands that do not run), in the user's ~/.gemini/settings.json, the project's, and
      // the system's /etc/gemini-cli/settings.json. Trust file: ~/.gemini/trustedFolders.json, or
      // $GEMINI_CLI_TRUSTED_FOLDERS_PATH (packages/core/src/config/storage.ts).
      const dir = path.join(home(env), '.gemini');
      return {
        settings: [
          path.join(dir, 'settings.json'),
          path.join(top, '.gemini', 'settings.json'),
          '/etc/gemini-cli/settings.json',
        ],
        off(s, file) {
          if (field(s, 'hooksConfig', 'enabled') === false)
            return `${file} sets "hooksConfig": { "enabled": false }, so Gemini CLI runs no hook at all: remove it`;
          const disabled = field(s, 'hooksConfig', 'disabled');
          if (
            Array.isArray(disabled) &&
            disabled.some((d) => d === 'lanes-hooks' || isOurCommand(d, 'gemini'))
          )
            return `${file} lists lanes-hooks in "hooksConfig.disabled", so Gemini CLI skips it: take it out of that list`;
          return null;
        },
        trust: folderTrustGate(
          'gemini',
          dir,
          env.GEMINI_CLI_TRUSTED_FOLDERS_PATH || path.join(dir, 'trustedFolders.json'),
        ),
      };
    }
    case 'qwen': {
      // qwen-code docs/users/features/hooks.md: `"disableAllHooks": true` at the top level of a
      // settings file disables every hook; project hooks run only in a trusted folder
      // (docs cli/trusted-folders.md: ~/.qwen/trustedFolders.json when security.folderTrust.enabled).
      const dir = path.join(home(env), '.qwen');
      return {
        settings: [path.join(dir, 'settings.json'), path.join(top, '.qwen', 'settings.json')],
        off: (s, file) =>
          s.disableAllHooks === true
            ? `${file} sets "disableAllHooks": true, so Qwen Code runs no hook at all: remove it`
            : null,
        trust: folderTrustGate('qwen', dir, path.join(dir, 'trustedFolders.json')),
      };
    }
    case 'copilot': {
      // docs.github.com/en/copilot/how-tos/copilot-cli/set-up-copilot-cli/configure-copilot-cli:
      // the folders trusted for future sessions are the `trusted_folders` array of the CLI's
      // config.json (~/.copilot/config.json; $COPILOT_HOME moves it), each covering the folders
      // below it; the repository's .github/hooks are loaded once the folder is trusted.
      // Its switches (disableAllHooks, disabledHooks): agents/checks-more.ts.
      const copilotHome = env.COPILOT_HOME || path.join(home(env), '.copilot');
      const config = path.join(copilotHome, 'config.json');
      return {
        settings: copilotSettingsFiles(top, copilotHome),
        off: copilotDisabledHooks,
        trust(dir) {
          const folders = field(readJson(config), 'trusted_folders');
          const where = realOr(dir);
          if (
            Array.isArray(folders) &&
            folders.some((f) => typeof f === 'string' && within(realOr(f), where))
          )
            return null;
          return `${dir} is not among the trusted_folders of ${config}, and Copilot CLI loads a repository's .github/hooks only in a trusted folder (it asks at start, for that session or for good): trust it for future sessions, or add ${JSON.stringify(dir)} to that array`;
        },
      };
    }
    case 'opencode':
      return opencodeGates(env);
    case 'cursor':
      return {
        settings: [],
        off: () => null,
        trust(_dir, note) {
          note(
            `cursor: Cursor documents no workspace trust or off switch for project hooks in a file lanes-hooks can read: that part cannot be verified`,
          );
          return null;
        },
      };
    default:
      return null;
  }
}

/**
 * Per agent of this table installed in the repository, whether its hooks will run for a session
 * started at worktree `wt`'s top: the file it reads is there, parses and holds lanes-hooks'
 * current entries for this worktree (`--lane`), or (OpenCode) the plugin is ours and current; no
 * documented off switch is set; the folder is trusted where the agent keeps trust in a file.
 * What cannot be verified is said in a note, never passed as checked.
 */
export function checkExtraAgents(
  wt: Worktree,
  base: string,
  node: string,
  cli: string,
  env: NodeJS.ProcessEnv = process.env,
): AgentCheck[] {
  if (!wt.top) return [];
  const top = wt.top;
  return installedExtraAgents(base).map((agent) => {
    const check: AgentCheck = { agent, runs: true, problems: [], notes: [] };
    const fail = (p: string) => {
      check.runs = false;
      check.problems.push(`${agent}: ${p}`);
    };
    const spec = EXTRA_AGENTS[agent].settings;
    const title = EXTRA_AGENTS[agent].title;
    const file = path.join(top, spec.file);
    const command = agentCommand(node, base, agent, { lane: top });
    const fix = `run \`${cli} install --agent ${agent}\` in ${top}`;
    const text = readText(file);
    if (text === null)
      fail(`${file} is missing, so ${title} runs no lanes-hooks hook here: ${fix}`);
    else if (spec.kind === 'owned') {
      if (!spec.isOurs(text))
        fail(
          `${file} is not lanes-hooks' plugin, so ${title} runs no lanes-hooks check here: move it aside, then ${fix}`,
        );
      else if (text !== spec.render(command))
        fail(
          `${file} is not the current lanes-hooks plugin for this worktree (changed, or another command): ${fix}`,
        );
    } else {
      let settings: Json | null = null;
      try {
        settings = parseSettings(file, text);
      } catch {
        fail(
          `${file} is not a valid settings file, so ${title} reads no hooks from it: fix its JSON, then ${fix} (after a shell command lanes-hooks puts its entry back only into a file it can read: this one is left as it is)`,
        );
      }
      if (settings && !sameJson(spec.add(settings, command), settings))
        fail(
          `${file} does not hold the current lanes-hooks hooks for this worktree on every event (missing, changed, or another command): ${fix}`,
        );
    }
    const gates = gatesOf(agent, top, env);
    if (!gates) {
      check.notes.push(
        `${agent}: ${title}'s off switches and trust are not documented where lanes-hooks can read them: not verified`,
      );
      return check;
    }
    for (const f of gates.settings) {
      const s = readJson(f);
      const why = s && gates.off(s, f);
      if (why) fail(why);
    }
    const untrusted = gates.trust(top, (n) => check.notes.push(n));
    if (untrusted) fail(untrusted);
    return check;
  });
}

/** Every installed agent's check, Claude Code and Codex first. */
export function checkAllAgents(
  wt: Worktree,
  base: string,
  node: string,
  root: string | null,
  cli: string,
  env: NodeJS.ProcessEnv = process.env,
): AgentCheck[] {
  const checks = [
    ...checkAgents(wt, base, node, root, cli, env),
    ...checkExtraAgents(wt, base, node, cli, env),
  ];
  // The switches not checked above: Codex's in a project's .codex/config.toml, Copilot CLI's
  // disableAllHooks (agents/off-switches.ts has the sources).
  if (wt.top)
    for (const s of findSwitches(switchPlaces(installedAgents(base), wt.top, root, env))) {
      if (!((s.agent === 'codex' && s.level === 'project') || s.agent === 'copilot')) continue;
      const check = checks.find((c) => c.agent === s.agent);
      if (!check) continue;
      check.runs = false;
      check.problems.push(
        `${s.agent}: ${s.file} sets ${s.what}, so ${agentTitle(s.agent)} runs no hook at all: remove it (\`${cli} doctor --repair\` does)`,
      );
    }
  return checks;
}

export const anyAgentsInstalled = (base: string) =>
  installedAgents(base).length > 0 || installedExtraAgents(base).length > 0;
