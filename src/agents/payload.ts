// Coding agents' hook payloads, read exactly as each agent documents them. Pure: JSON in, the
// facts agent-hook needs out (which event, where the agent runs, which files a tool would write).
//
// Claude Code (code.claude.com/docs/en/hooks): every command hook gets one JSON object on stdin
// with session_id, transcript_path, cwd, permission_mode and hook_event_name; PreToolUse adds
// tool_name, tool_input and tool_use_id. The file tools name their target in tool_input:
// Write {file_path, content}, Edit {file_path, old_string, new_string, replace_all},
// MultiEdit {file_path, edits}, NotebookEdit {notebook_path, new_source, cell_id, edit_mode}.
// Paths are absolute. Exit code 2 blocks the tool call and feeds stderr to the model; exit 0
// allows; SessionStart's stdout on exit 0 is added to the model's context.
//
// Codex (developers.openai.com/codex/hooks; codex-rs/hooks/src/events/pre_tool_use.rs): the same
// envelope (session_id, turn_id, transcript_path, cwd, hook_event_name, model, permission_mode,
// tool_name, tool_input, tool_use_id). Its file edits go through tool_name "apply_patch", whose
// tool_input.command is the raw patch: `*** Add File: <path>`, `*** Update File: <path>`,
// `*** Delete File: <path>` and `*** Move to: <path>` lines name every file it touches, relative
// to cwd. Exit 2 with a non-empty stderr blocks; SessionStart's plain stdout becomes context.
//
// After a tool ran (PostToolUse, both agents: the same envelope plus tool_response), exit 2 with
// stderr gives stderr to the model as feedback (Claude Code's hooks reference; codex-rs
// hooks/src/events/post_tool_use.rs `parse_completed`). Shell tools — Claude Code's `Bash`,
// Codex's `exec_command` (reported as `Bash`, with `{ "command": … }` as tool_input) — may write
// any file, so agent-hook looks at the worktree after them instead of at their input.
//
// Claude Code's `EnterWorktree` (tool_input `path`: an existing worktree of the repository, or
// `name`: a new one under .claude/worktrees/) moves the session, and the payload's cwd with it:
// agent-hook refuses it before it runs, since a lane's agent stays in its lane.

export type Agent = 'claude' | 'codex';
export const AGENTS: readonly Agent[] = ['claude', 'codex'];

/**
 * Claude Code's file-writing tools and the tool_input keys naming the file: Claude Code's own
 * (`file_path`, `notebook_path`), then Copilot CLI's (`path`): since 1.0.12 Copilot also runs the
 * hooks of `.claude/settings.json` and `.claude/settings.local.json`, with its tools renamed to
 * Claude Code's (`create` → Write, `edit` → Edit, `bash` → Bash) but its own arguments
 * (`{path, file_text}`, `{path, old_str, new_str}`), as recorded from Copilot CLI 1.0.102
 * (test/agents-real.test.ts, test/deep/agents-clients.test.ts).
 */
const CLAUDE_WRITE_TOOLS: Record<string, string[]> = {
  Write: ['file_path', 'path'],
  Edit: ['file_path', 'path'],
  MultiEdit: ['file_path', 'path'],
  NotebookEdit: ['notebook_path', 'path'],
};

/**
 * Which client runs an entry of Claude Code's settings, told by the payload, not by the file the
 * entry is in: Claude Code sends `transcript_path` with every event (its hooks reference, "Common
 * input fields"); Copilot CLI's Claude-style payload has none and carries its own `timestamp`.
 * Both accept Claude Code's JSON decision (`hookSpecificOutput.permissionDecision`), so only the
 * tool names in reports differ.
 */
export function claudeCaller(p: Record<string, unknown>): 'claude' | 'copilot' {
  return typeof p.transcript_path !== 'string' && typeof p.timestamp === 'string'
    ? 'copilot'
    : 'claude';
}

/** Per agent: the tools after which the worktree is checked (PostToolUse), as the agent names them. */
export const SHELL_TOOLS: Record<Agent, readonly string[]> = {
  // Agent (formerly Task): a sub-agent's whole run, checked once more when it returns, so that
  // what its shell changed is told to the main session too, not only to the sub-agent.
  claude: ['Bash', 'Agent', 'Task'],
  codex: ['Bash', 'exec_command', 'shell', 'local_shell'],
};

export type AgentEvent =
  | { kind: 'session-start'; cwd: string | null }
  /**
   * Claude Code's sub-agent begins (SubagentStart: the brief reaches it as JSON
   * additionalContext) or is about to conclude (SubagentStop): `id` and `type` as the client gave them.
   */
  | { kind: 'subagent-start'; cwd: string | null; id: string; type: string }
  | { kind: 'subagent-stop'; cwd: string | null; id: string; type: string }
  /** Claude Code's UserPromptSubmit: stdout on exit 0 is added to the model's context. */
  | { kind: 'prompt'; cwd: string | null }
  /** A shell tool has run: whatever it wrote is in the worktree now. */
  | { kind: 'after-shell'; cwd: string | null; tool: string }
  /**
   * Claude Code's ConfigChange: a settings file changed during the session (`file_path`); exit 2
   * keeps the session on the settings it had.
   */
  | { kind: 'config-change'; cwd: string | null; file: string | null }
  /**
   * Claude Code's WorktreeCreate: it is about to make a new worktree (`name`, its suggested slug);
   * the hook replaces its git worktree add (agents/claude-worktree.ts).
   */
  | { kind: 'worktree-create'; cwd: string | null; name: string | null }
  /** Claude Code's EnterWorktree: `path` an existing worktree, null a new one (`name`). */
  | { kind: 'enter-worktree'; cwd: string | null; path: string | null }
  /** A tool that writes files, with every path it would write (as given: absolute or relative to cwd). */
  | { kind: 'write'; cwd: string | null; tool: string; paths: string[] }
  /** A write tool whose payload does not say what it writes: refused. */
  | { kind: 'unreadable'; cwd: string | null; why: string }
  /** Anything else: not agent-hook's business. */
  | { kind: 'other' };

/**
 * agent-hook's own arguments, as install writes them into the agent's settings:
 * `<agent> [--lane <worktree>] [--user]`. `--lane` fixes the lane to the worktree whose settings
 * hold the command (whatever the payload's cwd says later); `--user` marks the opt-in user-level
 * hook, which stays out of the way wherever a project hook already runs.
 */
export function hookArgs(argv: readonly string[]): {
  agent: string;
  lane: string | null;
  user: boolean;
  /** install --managed's machine-wide entry: the common git dir of the repository it serves. */
  managed: string | null;
} {
  const [agent = '', ...rest] = argv;
  let lane: string | null = null;
  let user = false;
  let managed: string | null = null;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--lane' && rest[i + 1]) lane = rest[++i]!;
    else if (rest[i] === '--user') user = true;
    else if (rest[i] === '--managed' && rest[i + 1]) managed = rest[++i]!;
  }
  return { agent, lane, user, managed };
}

/** The payload on stdin as a JSON object, or the unreadable event that refuses a write tool. */
export function payloadObject(
  text: string,
): Record<string, unknown> | Extract<AgentEvent, { kind: 'unreadable' }> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { kind: 'unreadable', cwd: null, why: 'the hook payload on stdin is not JSON' };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    return { kind: 'unreadable', cwd: null, why: 'the hook payload on stdin is not a JSON object' };
  return raw as Record<string, unknown>;
}

export const isUnreadable = (
  o: ReturnType<typeof payloadObject>,
): o is Extract<AgentEvent, { kind: 'unreadable' }> => o.kind === 'unreadable' && 'why' in o;

export function readPayload(agent: Agent, text: string): AgentEvent {
  const p = payloadObject(text);
  if (isUnreadable(p)) return p;
  const cwd = typeof p.cwd === 'string' && p.cwd ? p.cwd : null;
  const event = p.hook_event_name;
  if (event === 'SessionStart') return { kind: 'session-start', cwd };
  // Claude Code's SubagentStart and SubagentStop: a sub-agent (Agent tool call) begins or is about
  // to conclude (hooks/subagent-runs.ts). `agent_id` and `agent_type` are in both payloads
  // (code.claude.com/docs/en/hooks, "SubagentStart", "SubagentStop").
  if ((event === 'SubagentStart' || event === 'SubagentStop') && agent === 'claude')
    return {
      kind: event === 'SubagentStart' ? ('subagent-start' as const) : ('subagent-stop' as const),
      cwd,
      id: typeof p.agent_id === 'string' ? p.agent_id : '',
      type: typeof p.agent_type === 'string' ? p.agent_type : '',
    };
  if (event === 'UserPromptSubmit') return { kind: 'prompt', cwd };
  if (event === 'WorktreeCreate' && agent === 'claude')
    return {
      kind: 'worktree-create',
      cwd,
      name: typeof p.name === 'string' && p.name ? p.name : null,
    };
  if (event === 'ConfigChange' && agent === 'claude')
    return {
      kind: 'config-change',
      cwd,
      file: typeof p.file_path === 'string' && p.file_path ? p.file_path : null,
    };
  const tool = typeof p.tool_name === 'string' ? p.tool_name : '';
  if (event === 'PostToolUse')
    return SHELL_TOOLS[agent].includes(tool)
      ? { kind: 'after-shell', cwd, tool: shellToolName(agent, tool, p) }
      : { kind: 'other' };
  if (event !== 'PreToolUse') return { kind: 'other' };
  const input = p.tool_input;
  const inputObj =
    input && typeof input === 'object' && !Array.isArray(input)
      ? (input as Record<string, unknown>)
      : null;
  if (agent === 'claude') {
    if (tool === 'EnterWorktree') {
      const to = inputObj?.path;
      return { kind: 'enter-worktree', cwd, path: typeof to === 'string' && to ? to : null };
    }
    const keys = CLAUDE_WRITE_TOOLS[tool];
    if (!keys) return { kind: 'other' };
    const file = keys.map((k) => inputObj?.[k]).find((f) => typeof f === 'string' && f);
    if (typeof file !== 'string')
      return { kind: 'unreadable', cwd, why: `${tool}: tool_input.${keys.join(' / ')} is missing` };
    return { kind: 'write', cwd, tool, paths: [file] };
  }
  if (tool !== 'apply_patch') return { kind: 'other' };
  const command = inputObj?.command;
  // Older payloads carried the shell-style argv ["apply_patch", "<patch>"].
  const patch = Array.isArray(command)
    ? command.find((c) => typeof c === 'string' && c.includes('*** Begin Patch'))
    : command;
  if (typeof patch !== 'string')
    return { kind: 'unreadable', cwd, why: 'apply_patch: tool_input.command holds no patch' };
  const paths = patchPaths(patch);
  if (!paths.length)
    return { kind: 'unreadable', cwd, why: 'apply_patch: the patch names no file' };
  return { kind: 'write', cwd, tool, paths };
}

/**
 * The shell tool as the agent's model knows it, for the after-shell report: Codex reports its
 * `exec_command` to hooks as `Bash` (codex-rs hooks: the shell tools share Claude Code's name for
 * matchers), Copilot CLI its `bash` as `Bash` in Claude-style payloads.
 */
function shellToolName(agent: Agent, tool: string, p: Record<string, unknown>): string {
  if (agent === 'codex' && tool === 'Bash') return 'exec_command';
  if (agent === 'claude' && claudeCaller(p) === 'copilot') return tool.toLowerCase();
  return tool;
}

/** Every file an apply_patch envelope adds, updates, deletes or moves to. */
export function patchPaths(patch: string): string[] {
  const out: string[] = [];
  for (const line of patch.split(/\r?\n/)) {
    const m = /^\*\*\* (?:Add File|Update File|Delete File|Move to): (.+)$/.exec(line);
    if (m) out.push(m[1]!.trim());
  }
  return [...new Set(out)];
}
