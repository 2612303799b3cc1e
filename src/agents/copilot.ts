// GitHub Copilot CLI (docs.github.com/en/copilot/reference/copilot-cli-reference/cli-hooks-reference,
// source github/docs: content/copilot/reference/copilot-cli-reference/cli-hooks-reference.md; the
// CLI's changelog.md in github/copilot-cli).
//
// - Settings: every `.github/hooks/*.json` of the repository is loaded (once the folder is
//   trusted); lanes-hooks writes its own `.github/hooks/lanes-hooks.json`: `{ "version": 1,
//   "hooks": { "preToolUse": [{ "type": "command", "bash": …, "matcher": … }] } }`, flat entries.
//   The matcher is a regular expression that must match the whole tool name (changelog: "hooks
//   with matcher run only for tool names that fully match the regex").
// - Payload on stdin (camelCase events): preToolUse {sessionId, timestamp, cwd, toolName,
//   toolArgs}; sessionStart {sessionId, timestamp, cwd, source, initialPrompt?}. No event name:
//   the fields tell them apart. toolArgs may arrive as the JSON string of the arguments. The file
//   tools are `create` and `edit`, both naming their file in `path`.
// - Decision: JSON on stdout, `{"permissionDecision": "deny", "permissionDecisionReason": …}`: the
//   tool is blocked and the reason is shown to the agent. (Hook failures never block.)
// - sessionStart: `additionalContext` is injected into the conversation (changelog: "sessionStart
//   hook additionalContext is now injected into the conversation"; the reference still lists its
//   output as unprocessed, so an older CLI ignores it).
import { flatSettings, jsonLine, objectOf, oneFile, reply, type AgentAdapter } from './adapter.js';

const WRITE_TOOLS = ['create', 'edit'];

function args(value: unknown) {
  if (typeof value !== 'string') return objectOf(value);
  try {
    return objectOf(JSON.parse(value));
  } catch {
    return null;
  }
}

export const copilot: AgentAdapter = {
  title: 'Copilot CLI',
  read(p) {
    const cwd = typeof p.cwd === 'string' && p.cwd ? p.cwd : null;
    if ('toolName' in p) {
      const tool = typeof p.toolName === 'string' ? p.toolName : '';
      if (!WRITE_TOOLS.includes(tool)) return { kind: 'other' };
      return oneFile(cwd, tool, args(p.toolArgs), ['path'], 'toolArgs');
    }
    if ('source' in p && 'sessionId' in p) return { kind: 'session-start', cwd };
    return { kind: 'other' };
  },
  block: (reason) =>
    reply(0, jsonLine({ permissionDecision: 'deny', permissionDecisionReason: reason })),
  context: (brief) => reply(0, jsonLine({ additionalContext: brief })),
  settings: flatSettings('copilot', '.github/hooks/lanes-hooks.json', 'bash', {
    preToolUse: { type: 'command', matcher: WRITE_TOOLS.join('|') },
    sessionStart: { type: 'command' },
  }),
};
