// What every coding agent beyond Claude Code and Codex plugs into agent-hook with (registry.ts holds
// the table): how its payload reads, how it is answered, and where its hook settings live. Pure:
// JSON in, facts and replies out; agent-hook (src/hooks) does the I/O.
import type { AgentEvent } from './payload.js';

export type Json = Record<string, unknown>;

/** What agent-hook prints and how it exits, in the agent's own contract. */
export interface Reply {
  code: number;
  stdout: string;
  stderr: string;
}

/** A JSON settings file whose hook entries lanes-hooks adds to and takes out of. */
export interface JsonSettings {
  kind: 'json';
  /** The file, relative to the worktree's top. */
  file: string;
  /** `settings` with lanes-hooks' entries added (or brought up to date). */
  add(settings: Json, command: string): Json;
  /** `settings` without lanes-hooks' entries; containers left empty by that are dropped. */
  remove(settings: Json): Json;
}

/** A file lanes-hooks writes whole and owns (OpenCode's plugin module). */
export interface OwnedFile {
  kind: 'owned';
  file: string;
  render(command: string): string;
  /** The text is one lanes-hooks wrote (of any version). */
  isOurs(text: string): boolean;
}

export interface AgentAdapter {
  /** What the agent is called in prose. */
  title: string;
  /** The payload on stdin, parsed: which event, where, which files a tool would write. */
  read(payload: Json): AgentEvent;
  /** Refuse the tool call, `reason` going to the model. */
  block(reason: string): Reply;
  /** The lane brief at session start, as context for the model. */
  context(brief: string): Reply;
  settings: JsonSettings | OwnedFile;
}

export const reply = (code: number, stdout = '', stderr = ''): Reply => ({ code, stdout, stderr });
export const jsonLine = (value: unknown) => JSON.stringify(value) + '\n';

/** The object in `value`, or null. */
export const objectOf = (value: unknown): Json | null =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;

/**
 * A command lanes-hooks wrote for `agent`: the light entry, or the full CLI's agent-hook, with the
 * lane it was installed for (`--lane`, which fixes the session's lane whatever the payload's cwd),
 * or `--user` for Claude Code's user-level hook.
 */
export const isOurCommand = (cmd: unknown, agent: string) =>
  typeof cmd === 'string' &&
  new RegExp(
    `(agent-hook\\.[cm]js'?|lanes-hooks\\.mjs'? agent-hook) ${agent}( --lane .*| --user| --managed .*)?$`,
  ).test(cmd);

/** A write tool naming one file under `key` of its input: the event, or why it is unreadable. */
export function oneFile(
  cwd: string | null,
  tool: string,
  input: Json | null,
  keys: string[],
  where = 'tool_input',
): AgentEvent {
  for (const key of keys) {
    const file = input?.[key];
    if (typeof file === 'string' && file) return { kind: 'write', cwd, tool, paths: [file] };
  }
  return { kind: 'unreadable', cwd, why: `${tool}: ${where}.${keys.join(' / ')} is missing` };
}

/**
 * A Claude-style payload (Gemini CLI, Qwen Code): `SessionStart`, or `toolEvent` for one of
 * `tools`, which name their file in `tool_input.file_path`; anything else is not ours.
 */
export function readFileTool(p: Json, toolEvent: string, tools: readonly string[]): AgentEvent {
  const cwd = typeof p.cwd === 'string' && p.cwd ? p.cwd : null;
  if (p.hook_event_name === 'SessionStart') return { kind: 'session-start', cwd };
  if (p.hook_event_name !== toolEvent) return { kind: 'other' };
  const tool = typeof p.tool_name === 'string' ? p.tool_name : '';
  if (!tools.includes(tool)) return { kind: 'other' };
  return oneFile(cwd, tool, objectOf(p.tool_input), ['file_path']);
}

type Group = { matcher?: string; hooks?: { command?: unknown }[] };

/**
 * Claude-style hook groups (`hooks.<Event>: [{ matcher, hooks: [{ type, command }] }]`), as
 * Gemini CLI and Qwen Code read them: `events` maps each event to the matcher of lanes-hooks' group
 * (undefined: no matcher, every occurrence).
 */
export function groupedSettings(
  agent: string,
  file: string,
  events: Record<string, string | undefined>,
  extra: Json = {},
): JsonSettings {
  return {
    kind: 'json',
    file,
    add(settings, command) {
      const out = structuredClone(settings);
      const hooks = (out.hooks ??= {}) as Record<string, Group[]>;
      for (const [event, matcher] of Object.entries(events)) {
        const groups = Array.isArray(hooks[event]) ? hooks[event]! : (hooks[event] = []);
        const entry = { type: 'command', command, ...extra };
        const mine = groups.find((g) => g.hooks?.some((h) => isOurCommand(h.command, agent)));
        const group: Group =
          matcher === undefined ? { hooks: [entry] } : { matcher, hooks: [entry] };
        if (mine) {
          // An install before the matcher went away left `matcher: ""` here: taken out too.
          if (matcher === undefined) delete mine.matcher;
          Object.assign(mine, group);
        } else groups.push(group);
      }
      return out;
    },
    remove(settings) {
      const out = structuredClone(settings);
      const hooks = objectOf(out.hooks) as Record<string, Group[]> | null;
      if (!hooks) return out;
      for (const event of Object.keys(events)) {
        if (!Array.isArray(hooks[event])) continue;
        hooks[event] = hooks[event]!.filter(
          (g) => !g.hooks?.some((h) => isOurCommand(h.command, agent)),
        );
        if (!hooks[event]!.length) delete hooks[event];
      }
      if (!Object.keys(hooks).length) delete out.hooks;
      return out;
    },
  };
}

/**
 * Flat hook entries (`{ "version": 1, "hooks": { "<event>": [{ <key>: command, … }] } }`), as
 * Copilot CLI (`bash`) and Cursor (`command`) read them. `events` maps each event to the other
 * fields of lanes-hooks' entry. `version: 1` is added when missing (and taken out again by
 * uninstall when the file had none).
 */
export function flatSettings(
  agent: string,
  file: string,
  key: string,
  events: Record<string, Json>,
): JsonSettings {
  const ours = (e: unknown) => isOurCommand(objectOf(e)?.[key], agent);
  return {
    kind: 'json',
    file,
    add(settings, command) {
      const out = structuredClone(settings);
      out.version ??= 1;
      const hooks = (out.hooks ??= {}) as Record<string, unknown[]>;
      for (const [event, fields] of Object.entries(events)) {
        const list = Array.isArray(hooks[event]) ? hooks[event]! : (hooks[event] = []);
        const entry = { ...fields, [key]: command };
        const at = list.findIndex(ours);
        if (at >= 0) list[at] = entry;
        else list.push(entry);
      }
      return out;
    },
    remove(settings) {
      const out = structuredClone(settings);
      const hooks = objectOf(out.hooks) as Record<string, unknown[]> | null;
      if (!hooks) return out;
      for (const event of Object.keys(events)) {
        if (!Array.isArray(hooks[event])) continue;
        hooks[event] = hooks[event]!.filter((e) => !ours(e));
        if (!hooks[event]!.length) delete hooks[event];
      }
      if (!Object.keys(hooks).length) delete out.hooks;
      return out;
    },
  };
}
