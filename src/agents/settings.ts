// `install --agent <agent…>`: make the coding agents' own hook systems call agent-hook for a
// worktree, merged into whatever settings are there, undone exactly by `uninstall`. One table
// (AGENT_TARGETS) holds every agent lanes-hooks installs for, one installer writes them all, one
// record file (`<common-git-dir>/lanes-hooks/agents.json`) says what it changed.
//
// Where each agent reads its hooks decides where they are written (docs/agents.md has the
// findings in full):
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
// - The agents of registry.ts read their adapter's file in the lane (a JSON file lanes-hooks adds
//   entries to, or a file it owns whole: OpenCode's plugin).
// Every file goes into the repository's `info/exclude`, so none shows as a change.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { UserError } from '../util/errors.js';
import type { JsonSettings, OwnedFile } from './adapter.js';
import { agentCommand, settingsSpec } from './guard.js';
export { agentCommand };
import { HOOK_AGENTS, isExtraAgent, type HookAgent } from './registry.js';
import type { Worktree } from '../git/repo.js';
import { writeFileAtomic } from '../util/fs.js';
import { realPath as real } from '../util/real-path.js';
import { outOfScope, sandboxPath, withoutSandbox, withSandbox } from './claude-sandbox.js';
import { codexSandboxToml, isOurCodexSandbox } from './codex-sandbox.js';
import { gitMaybe } from '../git/exec.js';
import { listWorktrees } from '../git/repo.js';
import { laneOf } from '../lanes/facts.js';
import { lanePolicy } from '../lanes/policy.js';

export interface AgentTarget {
  /** The settings file (relative to the worktree it is read from) and how to merge into it. */
  spec: JsonSettings | OwnedFile;
  /**
   * Which worktree's file the agent reads for a lane: `lane` its own; `root` the repository's
   * main worktree (the root checkout), read for every worktree.
   */
  reads: 'lane' | 'root';
  /** A folder the lane itself must have for the agent to look for hooks at all. */
  laneMarker?: string;
  /** The command names the lane (`--lane <top>`): only when the file is the lane's own. */
  bakesLane: boolean;
  /**
   * The adapter's format may add a top-level `"version": 1` and empty hook containers: uninstall
   * counts neither as the user's content (the registry agents' files).
   */
  flat: boolean;
}

const target = (agent: HookAgent): AgentTarget => {
  const spec = settingsSpec(agent)!;
  if (agent === 'codex')
    return { spec, reads: 'root', laneMarker: '.codex', bakesLane: false, flat: false };
  return { spec, reads: 'lane', bakesLane: true, flat: isExtraAgent(agent) };
};

/** Every agent install --agent takes, and where and how its hooks are written. */
export const AGENT_TARGETS = Object.fromEntries(HOOK_AGENTS.map((a) => [a, target(a)])) as Record<
  HookAgent,
  AgentTarget
>;

/** Claude Code's user settings: $CLAUDE_CONFIG_DIR/settings.json, else ~/.claude/settings.json. */
export const claudeUserSettings = (env: NodeJS.ProcessEnv = process.env) =>
  path.join(env.CLAUDE_CONFIG_DIR || path.join(env.HOME || homedir(), '.claude'), 'settings.json');

/** $CODEX_HOME, else ~/.codex: where Codex keeps config.toml and its trust decisions. */
export const codexHome = (env: NodeJS.ProcessEnv = process.env) =>
  env.CODEX_HOME || path.join(env.HOME || homedir(), '.codex');

/** What install changed in one file, so that uninstall restores exactly that. */
interface AgentRecord {
  agent: HookAgent;
  file: string;
  /** The file's bytes before the first install (base64); null: lanes-hooks created it. */
  original: string | null;
  /** The directories lanes-hooks created for it, deepest first. */
  createdDirs?: string[];
  /** The same, as records written before the installers were one (a single folder). */
  createdDir?: string | null;
  /** The line added to info/exclude, if it was not there. */
  excluded: string | null;
  /** Not a settings file: a folder the agent needs to see (Codex's `.codex/` in a lane). */
  marker?: boolean;
  /** `--sandbox` wrote Codex's sandbox file (agents/codex-sandbox.ts), owned whole. */
  codexSandbox?: boolean;
  /** `--sandbox` wrote Claude Code's `sandbox` key: what was there before (had: false, none). */
  sandbox?: { had: boolean; value?: unknown };
}

const RECORD_FILE = 'agents.json';
/** Where installs before the one installer recorded the registry agents' files; still read. */
const LEGACY_RECORD_FILE = 'agents-extra.json';

function readRecords(base: string): AgentRecord[] {
  const out: AgentRecord[] = [];
  for (const name of [RECORD_FILE, LEGACY_RECORD_FILE]) {
    try {
      const list = JSON.parse(readFileSync(path.join(base, name), 'utf8')) as unknown;
      if (Array.isArray(list)) out.push(...(list as AgentRecord[]));
    } catch {
      /* no install recorded there */
    }
  }
  return out;
}

/** All records in the one file; the legacy file, now merged into it, goes. */
function writeRecords(base: string, records: AgentRecord[]): void {
  writeFileAtomic(path.join(base, RECORD_FILE), JSON.stringify(records, null, 2) + '\n');
  rmSync(path.join(base, LEGACY_RECORD_FILE), { force: true });
}

const createdDirsOf = (r: AgentRecord): string[] =>
  r.createdDirs ?? (r.createdDir ? [r.createdDir] : []);

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
export const withAgentHooks = (settings: Json, agent: HookAgent, command: string): Json =>
  (settingsSpec(agent) as JsonSettings).add(settings, command);

/** `settings` without lanes-hooks' groups; containers left empty by that are dropped. */
export const withoutAgentHooks = (settings: Json, agent: HookAgent): Json =>
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
  agent: HookAgent,
  root: string | null,
): { file: string; command: string; home: string } {
  const t = AGENT_TARGETS[agent];
  const home = t.reads === 'root' && root ? root : wt.top!;
  return {
    file: path.join(home, t.spec.file),
    command: agentCommand(node, base, agent, t.bakesLane ? { lane: wt.top! } : {}),
    home,
  };
}

/** The directories from `dir` up to (not including) `top` that do not exist yet, deepest first. */
function missingDirs(dir: string, top: string): string[] {
  const out: string[] = [];
  for (
    let d = dir;
    d !== top && d.startsWith(top + path.sep) && !existsSync(d);
    d = path.dirname(d)
  )
    out.push(d);
  return out;
}

/** One file install will write: what it holds now and what it will hold. */
interface Plan {
  agent: HookAgent;
  file: string;
  /** The folder the file belongs to (a worktree, a home): created folders stop there. */
  home: string;
  before: Buffer | null;
  next: string;
  excludeLine: string | null;
  /** Claude Code's sandbox key as it was (for `--sandbox`). */
  sandbox?: { had: boolean; value?: unknown };
}

/** The next content of one settings file, or a UserError before anything is written. */
function plan(
  agent: HookAgent,
  file: string,
  home: string,
  command: string,
  excludeLine: string | null,
  sandboxDeny: string[] | null,
): Plan {
  const spec = AGENT_TARGETS[agent].spec;
  const before = existsSync(file) ? readFileSync(file) : null;
  const rel = path.relative(home, file) || file;
  if (spec.kind === 'owned') {
    if (before && !spec.isOurs(before.toString('utf8')))
      throw new UserError(
        `install --agent ${agent}: ${rel} exists and was not written by lanes-hooks; move it aside first, nothing was changed`,
      );
    return { agent, file, home, before, next: spec.render(command), excludeLine };
  }
  const settings = before ? parseSettings(rel, before.toString('utf8')) : {};
  let next = spec.add(settings, command);
  let sandbox: Plan['sandbox'];
  if (sandboxDeny) {
    sandbox = { had: 'sandbox' in settings, value: settings.sandbox };
    next = withSandbox(next, sandboxDeny);
  }
  return {
    agent,
    file,
    home,
    before,
    next:
      before && sameJson(settings, next)
        ? before.toString('utf8')
        : JSON.stringify(next, null, 2) + '\n',
    excludeLine,
    sandbox,
  };
}

/**
 * Install the agents' hooks for worktree `wt`. `root` is the repository's main worktree (where
 * Codex reads every worktree's hooks); `userHook` also writes Claude Code's user-level hook;
 * `sandbox` Claude Code's sandbox settings. Every file is read and checked before any is written:
 * one unreadable file changes nothing.
 */
export function installAgents(
  wt: Worktree,
  base: string,
  node: string,
  agents: readonly HookAgent[],
  opts: { root: string | null; userHook?: boolean; sandbox?: boolean },
): string[] {
  if (!wt.top) throw new UserError('install --agent: a bare repository has no worktree for agents');
  const top = wt.top;
  const plans: Plan[] = [];
  let codexSandboxPlan: { file: string; before: string | null } | null = null;
  for (const agent of agents) {
    const { file, command, home } = agentSettingsFor(wt, base, node, agent, opts.root);
    const deny = agent === 'claude' && opts.sandbox ? sandboxDenyWrite(wt) : null;
    plans.push(plan(agent, file, home, command, `/${AGENT_TARGETS[agent].spec.file}`, deny));
  }
  if (opts.userHook && agents.includes('claude')) {
    const file = claudeUserSettings();
    const command = agentCommand(node, base, 'claude', { user: true });
    plans.push(plan('claude', file, path.dirname(path.dirname(file)), command, null, null));
  }
  const records = readRecords(base);
  const written: string[] = [];
  if (opts.sandbox && agents.includes('codex')) {
    // Codex's sandbox (agents/codex-sandbox.ts): checked before anything is written.
    const file = path.join(top, '.codex', 'config.toml');
    const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
    if (before !== null && !isOurCodexSandbox(before))
      throw new UserError(
        `install --agent codex --sandbox: ${path.relative(top, file)} exists and was not written by lanes-hooks; add sandbox_mode = "workspace-write" and [sandbox_workspace_write] writable_roots = [${JSON.stringify(real(top))}] to it by hand, or move it aside; nothing was changed`,
      );
    codexSandboxPlan = { file, before };
  }
  for (const p of plans) {
    let record = records.find((r) => r.file === p.file && !r.marker && !r.codexSandbox);
    if (!record) {
      record = {
        agent: p.agent,
        file: p.file,
        original: p.before ? p.before.toString('base64') : null,
        createdDirs: missingDirs(path.dirname(p.file), p.home),
        excluded: null,
      };
      records.push(record);
    }
    if (p.sandbox) record.sandbox ??= p.sandbox;
    if (!p.before || p.before.toString('utf8') !== p.next) {
      mkdirSync(path.dirname(p.file), { recursive: true });
      writeFileAtomic(p.file, p.next);
    }
    if (p.excludeLine) record.excluded ??= exclude(wt, p.excludeLine);
    written.push(path.relative(top, p.file) || p.file);
    const marker = AGENT_TARGETS[p.agent].laneMarker;
    if (marker && p.excludeLine && path.dirname(p.file) !== path.join(top, marker)) {
      const dir = path.join(top, marker);
      if (!records.some((r) => r.marker && r.file === dir))
        records.push({
          agent: p.agent,
          file: dir,
          original: null,
          createdDirs: existsSync(dir) ? [] : [dir],
          excluded: null,
          marker: true,
        });
      mkdirSync(dir, { recursive: true });
      written.push(`${marker}/`);
    }
    writeRecords(base, records);
  }
  if (codexSandboxPlan) {
    const { file, before } = codexSandboxPlan;
    if (!records.some((r) => r.codexSandbox && r.file === file))
      records.push({
        agent: 'codex',
        file,
        original: before === null ? null : Buffer.from(before).toString('base64'),
        createdDirs: missingDirs(path.dirname(file), top),
        excluded: exclude(wt, '/.codex/config.toml'),
        codexSandbox: true,
      });
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, codexSandboxToml(real(top)));
    writeRecords(base, records);
    written.push('.codex/config.toml (sandbox)');
  }
  return written;
}

/**
 * Put one settings file back as it was before install: its original bytes when what is left
 * after `strip` (lanes-hooks' entries taken out) equals the original, gone when lanes-hooks
 * created it and nothing else is left, else what is left. A file that no longer parses is left
 * alone. Per agent, `strip` takes lanes-hooks' entries out.
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

/** `kept` (the settings with lanes-hooks' entries taken out) as they compare with the original. */
function withoutAddedKeys(kept: Json, original: Json): Json {
  const out = { ...kept };
  if (!('version' in original) && out.version === 1) delete out.version; // flat formats add it
  return out;
}

/** Undo every agent install of this repository: each file back to its bytes, or gone. */
export function uninstallAgents(wt: Worktree, base: string): string[] {
  const undone: string[] = [];
  for (const r of readRecords(base)) {
    const spec = AGENT_TARGETS[r.agent]?.spec;
    if (r.codexSandbox) {
      if (existsSync(r.file) && isOurCodexSandbox(readFileSync(r.file, 'utf8'))) {
        if (r.original) writeFileAtomic(r.file, Buffer.from(r.original, 'base64'));
        else rmSync(r.file, { force: true });
      }
    } else if (r.marker || !spec) {
      /* a folder, or an agent this version does not know: its folders and exclude line only */
    } else if (spec.kind === 'owned') {
      if (existsSync(r.file) && spec.isOurs(readFileSync(r.file, 'utf8'))) {
        if (r.original) writeFileAtomic(r.file, Buffer.from(r.original, 'base64'));
        else rmSync(r.file, { force: true });
      }
    } else if (AGENT_TARGETS[r.agent].flat)
      undoJsonSettings(
        r.file,
        r.original,
        (current, before) => withoutAddedKeys(spec.remove(current), before),
        'nothing',
      );
    else
      undoJsonSettings(r.file, r.original, (current) => {
        const kept = spec.remove(current);
        return r.sandbox ? withoutSandbox(kept, r.sandbox.had ? r.sandbox.value : undefined) : kept;
      });
    removeCreatedDirs(createdDirsOf(r));
    if (r.excluded) unexclude(wt, r.excluded);
    undone.push(r.file);
  }
  rmSync(path.join(base, RECORD_FILE), { force: true });
  rmSync(path.join(base, LEGACY_RECORD_FILE), { force: true });
  return undone;
}

/** The agents whose hooks were installed anywhere in this repository. */
/** The files `install --sandbox` wrote or changed: Claude Code's settings, Codex's config.toml. */
export function sandboxedFiles(base: string): { claude: string[]; codex: string[] } {
  const records = readRecords(base);
  return {
    claude: records.filter((r) => r.agent === 'claude' && r.sandbox).map((r) => r.file),
    codex: records.filter((r) => r.codexSandbox).map((r) => r.file),
  };
}

export function installedAgents(base: string): HookAgent[] {
  const seen = new Set<string>(readRecords(base).map((r) => r.agent));
  return HOOK_AGENTS.filter((a) => seen.has(a));
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
