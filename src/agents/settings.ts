// `install --agent claude|codex|all`: make the coding agents' own hook systems call agent-hook for
// a worktree, merged into whatever settings are there, undone exactly by `uninstall`.
//
// Where each agent reads its hooks decides where they are written (AGENT_TARGETS, one row per
// agent; docs/agents.md has the findings in full):
// - Claude Code reads `.claude/settings.local.json` (its "local, not committed" settings layer)
//   in the directory the session starts in, and only there: a session started in a subfolder of
//   the lane reads no project settings (tried with the binary; see docs/agents.md). The per-lane
//   file carries the lane's path in the command (`--lane`), so the session keeps its lane even
//   when the agent moves (EnterWorktree). The opt-in user-level hook (`--user-hook`) covers the
//   other start points.
// - Codex reads a linked worktree's hooks from the ROOT checkout's `.codex/hooks.json`
//   (codex-rs config/src/loader/mod.rs, root_checkout_hooks_folder_for_dir), for each directory
//   of the worktree that has a `.codex/` folder; the lane's own hooks.json is never read. So the
//   root checkout gets one hooks.json whose command judges the payload's cwd, and each lane an
//   empty `.codex/` folder. Codex runs a project hook only when the project and the hook are
//   trusted in $CODEX_HOME/config.toml (agents/codex-trust.ts); doctor says which are not.
// Every file goes into the repository's `info/exclude`, so none shows as a change.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { UserError } from '../util/errors.js';
import type { Agent } from './payload.js';
import { isOurCommand } from './adapter.js';
import { agentCommand, CLAUDE_EVENTS, CODEX_EVENTS, settingsSpec } from './guard.js';
import type { JsonSettings } from './adapter.js';
export { agentCommand };
import type { Worktree } from '../git/repo.js';
import { writeFileAtomic } from '../util/fs.js';
import { shellQuote } from '../util/sh.js';
import { realPath as real } from '../util/real-path.js';
import { codexHookTrust, codexTrustLines, readCodexConfig } from './codex-trust.js';
import { outOfScope, sandboxPath, withoutSandbox, withSandbox } from './claude-sandbox.js';
import { gitMaybe } from '../git/exec.js';
import { listWorktrees } from '../git/repo.js';
import { laneOf } from '../lanes/facts.js';
import { lanePolicy } from '../lanes/policy.js';

interface AgentTarget {
  /** The settings file, relative to the worktree it is read from. */
  file: string;
  /**
   * Which worktree's file the agent reads for a lane: `lane` its own; `root` the repository's
   * main worktree (the root checkout), read for every worktree.
   */
  reads: 'lane' | 'root';
  /** A folder the lane itself must have for the agent to look for hooks at all. */
  laneMarker?: string;
  /** The command names the lane (`--lane <top>`): only when the file is the lane's own. */
  bakesLane: boolean;
  /** event → matcher of the group lanes-hooks adds. */
  events: Record<string, string>;
}

export const AGENT_TARGETS: Record<Agent, AgentTarget> = {
  claude: {
    file: '.claude/settings.local.json',
    reads: 'lane',
    bakesLane: true,
    events: CLAUDE_EVENTS,
  },
  codex: {
    file: '.codex/hooks.json',
    reads: 'root',
    laneMarker: '.codex',
    bakesLane: false,
    events: CODEX_EVENTS,
  },
};

/** Claude Code's user settings: $CLAUDE_CONFIG_DIR/settings.json, else ~/.claude/settings.json. */
export const claudeUserSettings = (env: NodeJS.ProcessEnv = process.env) =>
  path.join(env.CLAUDE_CONFIG_DIR || path.join(env.HOME || homedir(), '.claude'), 'settings.json');

/** What install changed in one settings file, so that uninstall restores exactly that. */
interface AgentRecord {
  agent: Agent;
  file: string;
  /** The file's bytes before the first install (base64); null: lanes-hooks created it. */
  original: string | null;
  /** The directory lanes-hooks created for it, if any. */
  createdDir: string | null;
  /** The line added to info/exclude, if it was not there. */
  excluded: string | null;
  /** Not a settings file: a folder the agent needs to see (Codex's `.codex/` in a lane). */
  marker?: boolean;
  /** `--sandbox` wrote Claude Code's `sandbox` key: what was there before (had: false, none). */
  sandbox?: { had: boolean; value?: unknown };
}

const recordFile = (base: string) => path.join(base, 'agents.json');

function readRecords(base: string): AgentRecord[] {
  try {
    return JSON.parse(readFileSync(recordFile(base), 'utf8')) as AgentRecord[];
  } catch {
    return [];
  }
}

type Json = Record<string, unknown>;

export function parseSettings(file: string, text: string): Json {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UserError(
      `install --agent: ${file} is not valid JSON (${(e as Error).message}); fix it first, nothing was changed`,
    );
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new UserError(`install --agent: ${file} is not a JSON object; nothing was changed`);
  const hooks = (raw as Json).hooks;
  if (hooks !== undefined && (typeof hooks !== 'object' || hooks === null || Array.isArray(hooks)))
    throw new UserError(`install --agent: ${file}: "hooks" is not an object; nothing was changed`);
  return raw as Json;
}

/** `settings` with lanes-hooks' groups for `agent` added (or their command brought up to date). */
export const withAgentHooks = (settings: Json, agent: Agent, command: string): Json =>
  (settingsSpec(agent) as JsonSettings).add(settings, command);

/** `settings` without lanes-hooks' groups; containers left empty by that are dropped. */
export const withoutAgentHooks = (settings: Json, agent: Agent): Json =>
  (settingsSpec(agent) as JsonSettings).remove(settings);

export const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Settings with empty hook containers dropped: `"hooks": {}` and no `hooks` mean the same. */
export function normalized(settings: Json): Json {
  const out = structuredClone(settings);
  const hooks = out.hooks as Record<string, unknown[]> | undefined;
  if (hooks && typeof hooks === 'object') {
    for (const k of Object.keys(hooks))
      if (Array.isArray(hooks[k]) && !hooks[k]!.length) delete hooks[k];
    if (!Object.keys(hooks).length) delete out.hooks;
  }
  return out;
}

/** The settings file `agent` reads for worktree `wt`, and the command to write there. */
export function agentSettingsFor(
  wt: Worktree,
  base: string,
  node: string,
  agent: Agent,
  root: string | null,
): { file: string; command: string } {
  const t = AGENT_TARGETS[agent];
  const dir = t.reads === 'root' && root ? root : wt.top!;
  return {
    file: path.join(dir, t.file),
    command: agentCommand(node, base, agent, t.bakesLane ? { lane: wt.top! } : {}),
  };
}

/** Install `agent`'s hook groups into one settings file (merged, recorded for uninstall). */
function installFile(
  records: AgentRecord[],
  wt: Worktree,
  agent: Agent,
  file: string,
  command: string,
  excludeLine: string | null,
): void {
  const before = existsSync(file) ? readFileSync(file) : null;
  const settings = before ? parseSettings(file, before.toString('utf8')) : {};
  const next = withAgentHooks(settings, agent, command);
  let record = records.find((r) => r.file === file && !r.marker);
  if (!record) {
    const dir = path.dirname(file);
    record = {
      agent,
      file,
      original: before ? before.toString('base64') : null,
      createdDir: existsSync(dir) ? null : dir,
      excluded: null,
    };
    records.push(record);
  }
  if (!before || !sameJson(settings, next)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, JSON.stringify(next, null, 2) + '\n');
  }
  if (excludeLine) record.excluded ??= exclude(wt, excludeLine);
}

/**
 * Install the agents' hooks for worktree `wt`. `root` is the repository's main worktree (where
 * Codex reads every worktree's hooks); `userHook` also writes Claude Code's user-level hook.
 */
export function installAgents(
  wt: Worktree,
  base: string,
  node: string,
  agents: Agent[],
  opts: { root: string | null; userHook?: boolean; sandbox?: boolean },
): string[] {
  if (!wt.top) throw new UserError('install --agent: a bare repository has no worktree for agents');
  const records = readRecords(base);
  const written: string[] = [];
  for (const agent of agents) {
    const t = AGENT_TARGETS[agent];
    const { file, command } = agentSettingsFor(wt, base, node, agent, opts.root);
    installFile(records, wt, agent, file, command, `/${t.file}`);
    written.push(path.relative(wt.top, file) || file);
    if (agent === 'claude' && opts.sandbox) {
      const record = records.find((r) => r.file === file && !r.marker)!;
      const settings = parseSettings(file, readFileSync(file, 'utf8'));
      record.sandbox ??= { had: 'sandbox' in settings, value: settings.sandbox };
      const next = withSandbox(settings, sandboxDenyWrite(wt));
      if (!sameJson(next, settings)) writeFileAtomic(file, JSON.stringify(next, null, 2) + '\n');
    }
    if (t.laneMarker && path.dirname(file) !== path.join(wt.top, t.laneMarker)) {
      const dir = path.join(wt.top, t.laneMarker);
      if (!records.some((r) => r.marker && r.file === dir))
        records.push({
          agent,
          file: dir,
          original: null,
          createdDir: existsSync(dir) ? null : dir,
          excluded: null,
          marker: true,
        });
      mkdirSync(dir, { recursive: true });
      written.push(`${t.laneMarker}/`);
    }
  }
  if (opts.userHook && agents.includes('claude')) {
    const file = claudeUserSettings();
    installFile(
      records,
      wt,
      'claude',
      file,
      agentCommand(node, base, 'claude', { user: true }),
      null,
    );
    written.push(file);
  }
  writeFileAtomic(recordFile(base), JSON.stringify(records, null, 2) + '\n');
  return written;
}

/**
 * Put one settings file back as it was before install: its original bytes when what is left
 * after `strip` (lanes-hooks' entries taken out) equals the original, gone when lanes-hooks
 * created it and nothing else is left, else what is left. A file that no longer parses is left
 * alone. Shared by both uninstallers (this file's and checks.ts's).
 */
export function undoJsonSettings(
  file: string,
  originalB64: string | null,
  strip: (current: Json, before: Json) => Json,
  /** Whether empty hook containers count as content when lanes-hooks created the file. */
  emptyIs: 'content' | 'nothing' = 'content',
): void {
  if (!existsSync(file)) return;
  let current: Json | null = null;
  try {
    current = parseSettings(file, readFileSync(file, 'utf8'));
  } catch {
    return; // edited into something else since: leave it be
  }
  const original = originalB64 === null ? null : Buffer.from(originalB64, 'base64');
  const before = original ? (JSON.parse(original.toString('utf8')) as Json) : {};
  const kept = strip(current, before);
  if (original && sameJson(normalized(kept), normalized(before))) writeFileAtomic(file, original);
  else if (!original && !Object.keys(emptyIs === 'nothing' ? normalized(kept) : kept).length)
    rmSync(file, { force: true });
  else writeFileAtomic(file, JSON.stringify(kept, null, 2) + '\n');
}

/** Remove the folders install created (deepest first), each only when empty. */
export function removeCreatedDirs(dirs: readonly string[]): void {
  for (const dir of dirs) {
    try {
      rmdirSync(dir); // only when empty
    } catch {
      /* the user put something there */
    }
  }
}

/** Undo every agent install of this repository: each file back to its bytes, or gone. */
export function uninstallAgents(wt: Worktree, base: string): string[] {
  const undone: string[] = [];
  for (const r of readRecords(base)) {
    if (!r.marker)
      undoJsonSettings(r.file, r.original, (current) => {
        const kept = withoutAgentHooks(current, r.agent);
        return r.sandbox ? withoutSandbox(kept, r.sandbox.had ? r.sandbox.value : undefined) : kept;
      });
    if (r.createdDir) removeCreatedDirs([r.createdDir]);
    if (r.excluded) unexclude(wt, r.excluded);
    undone.push(r.file);
  }
  rmSync(recordFile(base), { force: true });
  return undone;
}

/**
 * What Claude Code's sandbox denies writing for lane `wt` (agents/claude-sandbox.ts): every other
 * worktree of the repository — but never the git directory the lane commits into, nor a folder
 * holding the lane, whose entries are denied instead — and the lane's top-level folders that its
 * scope (its paths and `shared`) cannot reach, except `.git`, `.claude` and folders git ignores
 * (node_modules, build output: nothing there can be committed).
 */
export function sandboxDenyWrite(wt: Worktree): string[] {
  const top = real(wt.top!);
  const keep = [top, real(wt.commonDir)];
  const inside = (p: string, dir: string) => p === dir || p.startsWith(dir + path.sep);
  const deny: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (keep.some((k) => k === dir)) return;
    if (!keep.some((k) => inside(k, dir))) return void deny.push(dir);
    if (depth > 4) return;
    for (const e of readdirSync(dir)) walk(path.join(dir, e), depth + 1);
  };
  for (const w of listWorktrees(top)) {
    if (w.bare || w.prunable || !existsSync(w.path) || real(w.path) === top) continue;
    walk(real(w.path), 0);
  }
  let globs: string[] | null = null;
  try {
    const { config } = lanePolicy(wt);
    const lane = laneOf(wt, config);
    const role = lane.role ? config.roles[lane.role] : undefined;
    if (role?.kind === 'delivery' && role.paths.length) globs = [...role.paths, ...config.shared];
  } catch {
    globs = null; // no readable policy: only the other worktrees are denied
  }
  if (globs)
    for (const e of readdirSync(top, { withFileTypes: true })) {
      if (!e.isDirectory() || e.name === '.git' || e.name === '.claude') continue;
      if (!outOfScope(e.name, globs)) continue;
      if (gitMaybe(['check-ignore', '-q', `${e.name}/`], { cwd: top }) !== null) continue;
      deny.push(path.join(top, e.name));
    }
  return deny.map(sandboxPath);
}

const excludeFile = (wt: Worktree) => path.join(wt.commonDir, 'info', 'exclude');

/** Add `line` to info/exclude unless there; the line added, or null. */
export function exclude(wt: Worktree, line: string): string | null {
  const file = excludeFile(wt);
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (text.split('\n').includes(line)) return null;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, text + (text && !text.endsWith('\n') ? '\n' : '') + line + '\n');
  return line;
}

export function unexclude(wt: Worktree, line: string): void {
  const file = excludeFile(wt);
  if (!existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  const at = text.lastIndexOf(`${line}\n`);
  if (at >= 0 && (at === 0 || text[at - 1] === '\n'))
    writeFileAtomic(file, text.slice(0, at) + text.slice(at + line.length + 1));
}

/** $CODEX_HOME, else ~/.codex: where Codex keeps config.toml and its trust decisions. */
export const codexHome = (env: NodeJS.ProcessEnv = process.env) =>
  env.CODEX_HOME || path.join(env.HOME || homedir(), '.codex');

const readText = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

/** The agents whose hooks were installed anywhere in this repository. */
export function installedAgents(base: string): Agent[] {
  const seen = new Set(readRecords(base).map((r) => r.agent));
  return (Object.keys(AGENT_TARGETS) as Agent[]).filter((a) => seen.has(a));
}

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
  for (const agent of installedAgents(base)) {
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
      if (!user || !/agent-hook\.mjs'? claude --user/.test(user))
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
