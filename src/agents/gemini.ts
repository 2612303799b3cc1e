// Gemini CLI (google-gemini/gemini-cli: docs/hooks/reference.md and docs/hooks/index.md;
// packages/core/src/hooks/hookRunner.ts; tool names in
// packages/core/src/tools/definitions/base-declarations.ts).
//
// - Settings: `hooks` in `.gemini/settings.json` (project settings, merged with the user's and the
//   system's), Claude-style groups: `hooks.BeforeTool: [{ matcher, hooks: [{ type: "command",
//   command, name, timeout }] }]`; a tool matcher is a regular expression, a lifecycle one an
//   exact string. Gemini CLI fingerprints project hooks and warns before a new one first runs.
// - Payload on stdin: session_id, transcript_path, cwd, hook_event_name, timestamp; BeforeTool adds
//   tool_name and tool_input (the model's arguments). The file tools are `write_file`
//   {file_path, content} and `replace` {file_path, old_string, new_string, …}.
// - Decision: exit 0 with JSON on stdout (the documented, preferred way): `{"decision": "deny",
//   "reason": …}` stops the tool and sends the reason to the model as the tool's error; the turn
//   goes on. (Exit 2 with the reason on stderr blocks too.) Nothing but JSON may go to stdout.
// - SessionStart: `hookSpecificOutput.additionalContext` is added to the model's context (plain
//   text would only be shown to the user). Gemini CLI escapes `<` and `>` in it as `&lt;` and
//   `&gt;` (DefaultHookOutput.getAdditionalContext, packages/core/src/hooks/types.ts; read in the
//   0.61.0 bundle), so the brief's placeholders (`--owner <owner>`) would reach the model as
//   entities: they are sent as the single guillemets ‹ › instead, which it passes as they are.
// - AfterTool (docs/hooks/reference.md, "AfterTool"): fires after a tool ran, with tool_name,
//   tool_input and tool_response; `{"decision": "deny", "reason"}` replaces the tool's result sent
//   to the model with the reason, and the turn goes on. After `run_shell_command` (the shell tool,
//   base-declarations.ts) lanes-hooks checks the worktree, the commits and the hooks, as it does
//   after Claude Code's Bash: the reason then tells the model what the command changed outside
//   the lane (the same answer as a refusal, which is what this adapter's block gives).
import { groupedSettings, jsonLine, readFileTool, reply, type AgentAdapter } from './adapter.js';

const WRITE_TOOLS = ['write_file', 'replace'];
const SHELL_TOOL = 'run_shell_command';

/** The brief with nothing Gemini CLI would escape: angle brackets become ‹ ›. */
export const plainForGemini = (text: string) => text.replace(/</g, '‹').replace(/>/g, '›');

export const gemini: AgentAdapter = {
  title: 'Gemini CLI',
  read: (p) =>
    p.hook_event_name === 'AfterTool'
      ? p.tool_name === SHELL_TOOL
        ? {
            kind: 'after-shell',
            cwd: typeof p.cwd === 'string' && p.cwd ? p.cwd : null,
            tool: SHELL_TOOL,
          }
        : { kind: 'other' }
      : readFileTool(p, 'BeforeTool', WRITE_TOOLS),
  block: (reason) => reply(0, jsonLine({ decision: 'deny', reason })),
  context: (brief) =>
    reply(
      0,
      jsonLine({
        hookSpecificOutput: {
          hookEventName: 'SessionStart',
          additionalContext: plainForGemini(brief),
        },
      }),
    ),
  settings: groupedSettings(
    'gemini',
    '.gemini/settings.json',
    {
      BeforeTool: `^(${WRITE_TOOLS.join('|')})$`,
      AfterTool: `^${SHELL_TOOL}$`,
      SessionStart: undefined,
    },
    { name: 'lanes-hooks' },
  ),
};
