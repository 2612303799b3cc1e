// Qwen Code (QwenLM/qwen-code: docs/users/features/hooks.md; tool names in
// packages/core/src/tools/tool-names.ts). A Gemini CLI fork whose hooks follow Claude Code's
// contract, not Gemini CLI's.
//
// - Settings: `hooks` in `.qwen/settings.json` (project settings; project hooks run only in a
//   trusted folder), Claude-style groups: `hooks.PreToolUse: [{ matcher, hooks: [{ type:
//   "command", command, name, timeout }] }]`; the matcher is a regular expression on the tool id.
// - Payload on stdin: session_id, transcript_path, cwd, hook_event_name, timestamp; PreToolUse adds
//   permission_mode, tool_name, tool_input, tool_use_id. The file tools are `write_file`
//   {file_path, content} and `edit` {file_path, old_string, new_string} (`replace` is edit's old
//   name).
// - Decision: exit 2 is a blocking error: stdout is ignored and stderr goes to the model as the
//   error feedback (the same contract as Claude Code's).
// - SessionStart: `hookSpecificOutput.additionalContext` (JSON on stdout, exit 0) is made
//   available to the session.
import { groupedSettings, jsonLine, readFileTool, reply, type AgentAdapter } from './adapter.js';

const WRITE_TOOLS = ['write_file', 'edit', 'replace'];

export const qwen: AgentAdapter = {
  title: 'Qwen Code',
  read: (p) => readFileTool(p, 'PreToolUse', WRITE_TOOLS),
  block: (reason) => reply(2, '', reason),
  context: (brief) =>
    reply(
      0,
      jsonLine({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: brief } }),
    ),
  settings: groupedSettings(
    'qwen',
    '.qwen/settings.json',
    { PreToolUse: `^(${WRITE_TOOLS.join('|')})$`, SessionStart: undefined },
    { name: 'lanes-hooks' },
  ),
};
