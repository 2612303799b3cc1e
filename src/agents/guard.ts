// The agents' hook settings as lanes-hooks installed them, checked again after every shell command
// (agent-hook's after-shell step, rule hook-integrity): the files are ignored by git
// (info/exclude), so the worktree check never sees them, and an agent's `sed` or `node -e` could
// otherwise switch its own hook layer off. Claude Code 2.1.197 re-reads a settings file that
// changes during a session (tried with the binary, test/deep/agents-selfedit.test.ts): a rewrite bites
// at the next tool call of the same session, so the check runs right after the shell tool.
//
// What install recorded (`<common-git-dir>/lanes-hooks/agents.json`; installs before one installer also
// `agents-extra.json`) names every file; the entry each must hold is
// recomputed from the adapter's `add` and the command install writes, exactly as doctor does. A
// file whose entry is missing or changed gets it back, merged like install merges (the user's
// other keys stay); a file that no longer parses is left alone and reported. File reads only, no
// git: the light entry (fast.ts) runs this before it allows a shell command alone.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { groupedSettings, type JsonSettings, type Json, type OwnedFile } from './adapter.js';
import { EXTRA_AGENTS, isExtraAgent } from './registry.js';
import { withWorktreeCreate } from './claude-worktree.js';
import { shellQuote } from '../util/sh.js';
import { realPath } from '../util/real-path.js';

/**
 * event → matcher of lanes-hooks' group, for the two agents whose settings install writes itself.
 * undefined: no `matcher` key, every occurrence. Claude Code's hooks reference: events that match
 * nothing (UserPromptSubmit) "can omit the matcher field", and an omitted matcher matches every
 * agent type at SubagentStart. Not `""`: Copilot CLI 1.0.102 also reads this file (Claude-style
 * hooks) and rejects the WHOLE file over one empty matcher ("hooks.subagentStart[0].matcher:
 * matcher cannot be empty", its log), so none of these entries would run under Copilot.
 */
export const CLAUDE_EVENTS: Record<string, string | undefined> = {
  PreToolUse: 'Write|Edit|MultiEdit|NotebookEdit|EnterWorktree',
  // Bash, and the Agent tool (Task before 2.1): whatever a sub-agent's shell changed is reported
  // to the main session when the sub-agent returns (PostToolUse exit 2: stderr to the model that
  // called the tool), as well as to the sub-agent after its own Bash.
  PostToolUse: 'Bash|Agent|Task',
  SessionStart: 'startup|resume|clear|compact',
  // A sub-agent starts: the lane brief reaches it (JSON additionalContext, agents/claude-reply.ts),
  // and how the files outside the scope stand is noted; when it stops, what it changed there is
  // kept for the parent session (hooks/subagent-runs.ts). Matched on agent_type: every one.
  SubagentStart: undefined,
  SubagentStop: undefined,
  // Tells the agent when integration moved past its lane (hooks/rebase-notice.ts).
  UserPromptSubmit: undefined,
  // A settings file changed during the session: Claude Code re-reads it at once, unless this hook
  // blocks the change (exit 2; the binary's settings watcher, `ConfigChange hook blocked change`).
  // Blocked when lanes-hooks' entry went missing or an off switch came in.
  ConfigChange: 'user_settings|project_settings|local_settings',
};
export const CODEX_EVENTS = {
  PreToolUse: 'apply_patch',
  PostToolUse: 'Bash|exec_command|shell|local_shell',
  SessionStart: 'startup|resume|clear|compact',
};

// Plus WorktreeCreate in a worktree's own file (agents/claude-worktree.ts says why only there).
const CLAUDE_SETTINGS = withWorktreeCreate(
  groupedSettings('claude', '.claude/settings.local.json', CLAUDE_EVENTS),
);
const CODEX_SETTINGS = groupedSettings('codex', '.codex/hooks.json', CODEX_EVENTS);

/** The settings file spec of any agent install --agent takes. */
export function settingsSpec(agent: string): JsonSettings | OwnedFile | null {
  if (agent === 'claude') return CLAUDE_SETTINGS;
  if (agent === 'codex') return CODEX_SETTINGS;
  return isExtraAgent(agent) ? EXTRA_AGENTS[agent].settings : null;
}

export const agentTitle = (agent: string) =>
  agent === 'claude'
    ? 'Claude Code'
    : agent === 'codex'
      ? 'Codex'
      : isExtraAgent(agent)
        ? EXTRA_AGENTS[agent].title
        : agent;

/**
 * The hook command for one agent: this repository's runtime, with the Node install recorded, and
 * the lane's worktree when the settings are the lane's own (`--lane`) or `--user` for the
 * user-level hook.
 */
export const agentCommand = (
  node: string,
  base: string,
  agent: string,
  where: { lane?: string; user?: boolean } = {},
) =>
  // Claude Code runs a hook's command line with `/bin/sh -c`, and dash forks for it even when it is
  // one simple command (traced in test/deep/agent-hook-process.test.ts): `exec` makes the shell become
  // Node, so an allowed write costs one process. Only Claude Code's entry: Codex keys its trust by
  // the command's hash, and the other agents were not traced.
  (agent === 'claude' ? 'exec ' : '') +
  `${shellQuote(node)} ${shellQuote(path.join(base, 'agent-hook.cjs'))} ${agent}` +
  (where.lane ? ` --lane ${shellQuote(where.lane)}` : '') +
  (where.user ? ' --user' : '');

/** One file (or Codex's lane marker folder) install recorded, from either record file. */
interface Recorded {
  agent: string;
  file: string;
  original: string | null;
  marker?: boolean;
  codexSandbox?: boolean;
}

function records(base: string): Recorded[] {
  const out: Recorded[] = [];
  for (const name of ['agents.json', 'agents-extra.json']) {
    try {
      const list = JSON.parse(readFileSync(path.join(base, name), 'utf8')) as unknown;
      if (Array.isArray(list))
        for (const r of list as Recorded[])
          // Codex's sandbox file (install --sandbox) holds no hooks: not a settings file here.
          if (r && typeof r.agent === 'string' && typeof r.file === 'string' && !r.codexSandbox)
            out.push(r);
    } catch {
      /* no install of that kind */
    }
  }
  return out;
}

/**
 * Off switches an agent reads in the very file lanes-hooks guards: Claude Code's and Qwen Code's
 * `"disableAllHooks": true`, Gemini CLI's `"hooksConfig": { "enabled": false }`. Returns the
 * settings without it, or null when it is not set.
 */
function withoutOffSwitch(agent: string, s: Json): Json | null {
  if ((agent === 'claude' || agent === 'qwen') && s.disableAllHooks === true) {
    const out = { ...s };
    delete out.disableAllHooks;
    return out;
  }
  const hc = s.hooksConfig;
  if (agent === 'gemini' && hc && typeof hc === 'object' && (hc as Json).enabled === false) {
    const rest = { ...(hc as Json) };
    delete rest.enabled;
    return { ...s, hooksConfig: rest };
  }
  return null;
}

export interface Drift {
  agent: string;
  file: string;
  /**
   * missing: the file is gone; changed: lanes-hooks' entry is missing or altered; off: an off
   * switch was added; unreadable: not a JSON object any more (left alone); marker: Codex's `.codex/`
   * folder of a lane is gone.
   */
  state: 'missing' | 'changed' | 'off' | 'unreadable' | 'marker';
  /** What the file must hold again (not for unreadable and marker). */
  next?: string;
}

const parseObject = (text: string): Json | null => {
  try {
    const v = JSON.parse(text) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
    const hooks = (v as Json).hooks;
    if (hooks !== undefined && (!hooks || typeof hooks !== 'object' || Array.isArray(hooks)))
      return null;
    return v as Json;
  } catch {
    return null;
  }
};
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const render = (s: Json) => JSON.stringify(s, null, 2) + '\n';

/** The command install wrote into `file` for `agent` (see settings*.ts). */
function commandFor(r: Recorded, node: string, base: string, spec: JsonSettings | OwnedFile) {
  if (r.agent === 'codex') return { command: agentCommand(node, base, 'codex'), home: r.file };
  const tail = path.sep + spec.file.split('/').join(path.sep);
  if (r.file.endsWith(tail)) {
    const lane = r.file.slice(0, -tail.length);
    return { command: agentCommand(node, base, r.agent, { lane }), home: lane };
  }
  // Claude Code's user-level hook (install --agent claude --user-hook).
  return {
    command: agentCommand(node, base, r.agent, { user: true }),
    home: path.dirname(r.file),
  };
}

/**
 * Every recorded settings file that no longer holds what install put there. `base` is the
 * folder the hook command runs agent-hook.cjs from, `node` the Node.js install recorded; files of
 * worktrees that are gone are skipped.
 */
export function settingsDrift(base: string, node: string): Drift[] {
  const out: Drift[] = [];
  for (const r of records(base)) {
    if (r.marker) {
      if (!existsSync(r.file) && existsSync(path.dirname(r.file)))
        out.push({ agent: r.agent, file: r.file, state: 'marker' });
      continue;
    }
    const spec = settingsSpec(r.agent);
    if (!spec) continue;
    const { command, home } = commandFor(r, node, base, spec);
    if (!existsSync(home) && r.agent !== 'codex') continue; // the lane was removed
    let text: string | null = null;
    try {
      text = readFileSync(r.file, 'utf8');
    } catch {
      text = null;
    }
    // Gone along with the folder above the agent's (the root checkout, a home): nothing to restore.
    if (text === null && !existsSync(path.dirname(path.dirname(r.file)))) continue;
    if (spec.kind === 'owned') {
      const want = spec.render(command);
      if (text !== want)
        out.push({
          agent: r.agent,
          file: r.file,
          state: text === null ? 'missing' : 'changed',
          next: want,
        });
      continue;
    }
    if (text === null) {
      // Gone: back from what it held before install (if anything), with lanes-hooks' entry.
      const before = r.original ? parseObject(Buffer.from(r.original, 'base64').toString()) : null;
      out.push({
        agent: r.agent,
        file: r.file,
        state: 'missing',
        next: render(spec.add(before ?? {}, command)),
      });
      continue;
    }
    const settings = parseObject(text);
    if (!settings) {
      out.push({ agent: r.agent, file: r.file, state: 'unreadable' });
      continue;
    }
    const next = spec.add(settings, command);
    const wasOff = (() => {
      if (!r.original) return false;
      const o = parseObject(Buffer.from(r.original, 'base64').toString());
      return o !== null && withoutOffSwitch(r.agent, o) !== null;
    })();
    const on = wasOff ? null : withoutOffSwitch(r.agent, next);
    if (on) out.push({ agent: r.agent, file: r.file, state: 'off', next: render(on) });
    else if (!same(next, settings))
      out.push({ agent: r.agent, file: r.file, state: 'changed', next: render(next) });
  }
  return out;
}

/** `"disableAllHooks": true` in a Claude Code settings file (which turns every hook off). */
export function disablesAllHooks(file: string): boolean {
  try {
    const s = parseObject(readFileSync(file, 'utf8'));
    return s?.disableAllHooks === true;
  } catch {
    return false;
  }
}

/** Put back what `settingsDrift` found, in place (a symlinked file is written through its link). */
export function restoreDrift(d: Drift): boolean {
  try {
    if (d.state === 'marker') mkdirSync(d.file, { recursive: true });
    else if (d.next !== undefined) {
      const file = realPath(d.file);
      mkdirSync(path.dirname(file), { recursive: true });
      // In place, not by rename: an agent watching the file (Claude Code re-reads its settings
      // when they change) keeps watching the same file and sees the entry come back.
      writeFileSync(file, d.next);
    } else return false;
    return true;
  } catch {
    return false;
  }
}

/**
 * The folders, relative to a worktree's top, where a file tool's write may touch an agent's hook
 * settings or git's hooks: the light entry hands every such write to the full check.
 */
export const GUARDED_PREFIXES = [
  '.git',
  '.claude/',
  '.codex/',
  // Copilot CLI's repository settings (a `disableAllHooks` there: agents/off-switches.ts).
  '.github/copilot/',
  ...Object.values(EXTRA_AGENTS).map((a) => a.settings.file),
];
export const mayBeGuarded = (rel: string) =>
  GUARDED_PREFIXES.some((p) => rel === p || rel.startsWith(p.endsWith('/') ? p : p + '/'));

/** Every recorded settings file, absolute, with its agent. */
export const recordedSettings = (base: string) =>
  records(base)
    .filter((r) => !r.marker)
    .map((r) => ({ agent: r.agent, file: r.file }));
