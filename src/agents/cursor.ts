// Cursor (cursor.com/docs/hooks: "Hooks"; no binary on the npm registry, so the tests feed payloads
// in the documented shape).
//
// - Settings: `.cursor/hooks.json` in the project (beside the user's `~/.cursor/hooks.json` and the
//   enterprise file), `{ "version": 1, "hooks": { "preToolUse": [{ "command": …, "matcher": … }],
//   "sessionStart": [{ "command": … }] } }`, flat entries; the matcher names Cursor's tool types
//   (Shell, Read, Write, Grep, Delete, Task, MCP:…).
// - Payload on stdin: the common fields (conversation_id, generation_id, model, hook_event_name,
//   cursor_version, workspace_roots, user_email, transcript_path); preToolUse adds tool_name,
//   tool_input, tool_use_id, cwd and agent_message. The file-writing tool types are Write and
//   Delete. The parts of the docs read for this do not spell out those tools' tool_input keys:
//   `file_path` is read (the name Cursor's own file events, beforeReadFile and afterFileEdit,
//   use), then `path`; a Write or Delete naming neither is refused as unreadable.
// - Decision: JSON on stdout, `{"permission": "deny", "user_message": …, "agent_message": …}`:
//   the tool does not run, agent_message goes to the model and user_message to the person (exit 2
//   blocks as well). Empty output lets the tool run as usual.
// - sessionStart: `additional_context` is added to the conversation's context.
// Writes through beforeShellExecution (a shell command) are not judged here: git's hooks stop them
// at commit.
import { flatSettings, jsonLine, objectOf, oneFile, reply, type AgentAdapter } from './adapter.js';

const WRITE_TOOLS = ['Write', 'Delete'];

export const cursor: AgentAdapter = {
  title: 'Cursor',
  read(p) {
    const roots = Array.isArray(p.workspace_roots) ? p.workspace_roots : [];
    const cwd =
      typeof p.cwd === 'string' && p.cwd
        ? p.cwd
        : typeof roots[0] === 'string' && roots[0]
          ? roots[0]
          : null;
    if (p.hook_event_name === 'sessionStart') return { kind: 'session-start', cwd };
    if (p.hook_event_name !== 'preToolUse') return { kind: 'other' };
    const tool = typeof p.tool_name === 'string' ? p.tool_name : '';
    if (!WRITE_TOOLS.includes(tool)) return { kind: 'other' };
    return oneFile(cwd, tool, objectOf(p.tool_input), ['file_path', 'path']);
  },
  block: (reason) =>
    reply(
      0,
      jsonLine({
        permission: 'deny',
        user_message: reason.split('\n')[0],
        agent_message: reason,
      }),
    ),
  context: (brief) => reply(0, jsonLine({ additional_context: brief })),
  settings: flatSettings('cursor', '.cursor/hooks.json', 'command', {
    preToolUse: { matcher: WRITE_TOOLS.join('|') },
    sessionStart: {},
  }),
};
