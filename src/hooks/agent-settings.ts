// `install --agent claude|codex|all`: make the coding agents' own hook systems call agent-hook in a
// worktree, merged into whatever settings are there, undone exactly by `uninstall`.
//
// Per worktree and untracked, on purpose: each lane's agent reads the settings of the worktree it
// runs in, a delivery lane could not commit a shared settings file anyway (it lies outside every
// role's paths), and a lane branched before such a commit would run unguarded until it rebased.
// - Claude Code reads `.claude/settings.local.json` in the project (its own "local, not committed"
//   settings layer) and merges its hooks with every other settings file's.
// - Codex reads `<repo>/.codex/hooks.json` beside `~/.codex/hooks.json`, and runs the matching
//   hooks of both (Codex may ask once to trust new project hooks: `/hooks` in Codex).
// Both files go into the repository's `info/exclude`, so they never show as changes.
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../util/errors.js';
import type { Agent } from '../agents/payload.js';
import type { Worktree } from '../git/repo.js';
import { writeFileAtomic } from '../util/fs.js';
import { shellQuote } from '../util/sh.js';

interface AgentTarget {
  /** The settings file, relative to the worktree's top. */
  file: string;
  /** event → matcher of the group lanes-hooks adds. */
  events: Record<string, string>;
}

export const AGENT_TARGETS: Record<Agent, AgentTarget> = {
  claude: {
    file: '.claude/settings.local.json',
    events: {
      PreToolUse: 'Write|Edit|MultiEdit|NotebookEdit',
      SessionStart: 'startup|resume|clear|compact',
      // Tells the agent when integration moved past its lane (hooks/rebase-notice.ts).
      UserPromptSubmit: '',
    },
  },
  codex: {
    file: '.codex/hooks.json',
    events: { PreToolUse: 'apply_patch', SessionStart: 'startup|resume|clear|compact' },
  },
};

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
}

const recordFile = (base: string) => path.join(base, 'agents.json');

function readRecords(base: string): AgentRecord[] {
  try {
    return JSON.parse(readFileSync(recordFile(base), 'utf8')) as AgentRecord[];
  } catch {
    return [];
  }
}

/** The hook command for one agent: this repository's runtime, with the Node install recorded. */
export const agentCommand = (node: string, base: string, agent: string) =>
  `${shellQuote(node)} ${shellQuote(path.join(base, 'agent-hook.mjs'))} ${agent}`;

/** A command lanes-hooks wrote for `agent` (the light entry, or the full CLI's agent-hook). */
const isOurs = (cmd: unknown, agent: Agent) =>
  typeof cmd === 'string' &&
  new RegExp(`(agent-hook\\.mjs'?|lanes-hooks\\.mjs'? agent-hook) ${agent}$`).test(cmd);

type Json = Record<string, unknown>;
type Group = { matcher?: string; hooks?: { type?: string; command?: unknown }[] };

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
export function withAgentHooks(settings: Json, agent: Agent, command: string): Json {
  const out = structuredClone(settings);
  const hooks = (out.hooks ??= {}) as Record<string, Group[]>;
  for (const [event, matcher] of Object.entries(AGENT_TARGETS[agent].events)) {
    const groups = Array.isArray(hooks[event]) ? hooks[event]! : (hooks[event] = []);
    const mine = groups.find((g) => g.hooks?.some((h) => isOurs(h.command, agent)));
    if (mine) {
      mine.matcher = matcher;
      mine.hooks = [{ type: 'command', command }];
    } else groups.push({ matcher, hooks: [{ type: 'command', command }] });
  }
  return out;
}

/** `settings` without lanes-hooks' groups; containers left empty by that are dropped. */
export function withoutAgentHooks(settings: Json, agent: Agent): Json {
  const out = structuredClone(settings);
  const hooks = out.hooks as Record<string, Group[]> | undefined;
  if (!hooks || typeof hooks !== 'object') return out;
  for (const event of Object.keys(AGENT_TARGETS[agent].events)) {
    if (!Array.isArray(hooks[event])) continue;
    hooks[event] = hooks[event]!.filter((g) => !g.hooks?.some((h) => isOurs(h.command, agent)));
    if (!hooks[event]!.length) delete hooks[event];
  }
  if (!Object.keys(hooks).length) delete out.hooks;
  return out;
}

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

export function installAgents(wt: Worktree, base: string, node: string, agents: Agent[]): string[] {
  if (!wt.top) throw new UserError('install --agent: a bare repository has no worktree for agents');
  const records = readRecords(base);
  const written: string[] = [];
  for (const agent of agents) {
    const rel = AGENT_TARGETS[agent].file;
    const file = path.join(wt.top, rel);
    const before = existsSync(file) ? readFileSync(file) : null;
    const settings = before ? parseSettings(rel, before.toString('utf8')) : {};
    const next = withAgentHooks(settings, agent, agentCommand(node, base, agent));
    let record = records.find((r) => r.file === file);
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
    record.excluded ??= exclude(wt, `/${rel}`);
    written.push(rel);
  }
  writeFileAtomic(recordFile(base), JSON.stringify(records, null, 2) + '\n');
  return written;
}

/** Undo every agent install of this repository: each file back to its bytes, or gone. */
export function uninstallAgents(wt: Worktree, base: string): string[] {
  const undone: string[] = [];
  for (const r of readRecords(base)) {
    if (existsSync(r.file)) {
      const now = readFileSync(r.file, 'utf8');
      let current: Json | null = null;
      try {
        current = parseSettings(r.file, now);
      } catch {
        current = null; // edited into something else since: leave it be
      }
      if (current) {
        const kept = withoutAgentHooks(current, r.agent);
        const original = r.original === null ? null : Buffer.from(r.original, 'base64');
        if (
          original &&
          sameJson(normalized(kept), normalized(JSON.parse(original.toString('utf8'))))
        )
          writeFileAtomic(r.file, original);
        else if (!original && !Object.keys(kept).length) rmSync(r.file, { force: true });
        else writeFileAtomic(r.file, JSON.stringify(kept, null, 2) + '\n');
      }
    }
    if (r.createdDir) {
      try {
        rmdirSync(r.createdDir); // only when empty
      } catch {
        /* the user put something there */
      }
    }
    if (r.excluded) unexclude(wt, r.excluded);
    undone.push(r.file);
  }
  rmSync(recordFile(base), { force: true });
  return undone;
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
