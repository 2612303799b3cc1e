// How a refusal and the lane brief are answered to an entry of Claude Code's settings, in the
// decision shape Claude Code documents (code.claude.com/docs/en/hooks, "JSON output" and
// "Decision control"): exit 0 with one JSON object on stdout.
// - PreToolUse: `hookSpecificOutput: { hookEventName, permissionDecision: "deny",
//   permissionDecisionReason }`: the tool does not run and the reason goes to the model. Exit 2
//   also blocks, but Claude Code 2.1.328 presents it as a failed hook ("PreToolUse:Write hook
//   error: [command …]"), not as a decision.
// - PostToolUse and ConfigChange: `decision: "block"` with `reason` (PostToolUse: the tool has run,
//   the reason is fed to the model; ConfigChange: the changed settings are not applied).
// - SessionStart: `hookSpecificOutput.additionalContext` joins the model's context;
//   UserPromptSubmit: plain stdout does (both documented). SubagentStart: only
//   `hookSpecificOutput.additionalContext` reaches the sub-agent (docs, "SubagentStart"; 2.1.328's
//   hook table: "Exit code 0 - JSON additionalContext shown to subagent"). 2.1.197's table says
//   "stdout shown to subagent", yet with that binary plain stdout never reached the sub-agent's
//   requests and the JSON does (test/deep/agents-subagents.test.ts).
// Copilot CLI runs the same entries with Claude-style payloads and honours the same JSON
// (recorded from 1.0.102: "Denied by preToolUse hook: <reason>"; test/agents-real.test.ts).
import { jsonLine, reply, type Reply } from './adapter.js';

/** The event of a Claude-style payload, or null when the payload is not a JSON object. */
export function claudeEventName(input: string): string | null {
  try {
    const p = JSON.parse(input) as unknown;
    if (!p || typeof p !== 'object' || Array.isArray(p)) return null;
    const e = (p as Record<string, unknown>).hook_event_name;
    return typeof e === 'string' ? e : null;
  } catch {
    return null;
  }
}

export function claudeBlock(event: string | null, reason: string): Reply {
  if (event === 'PreToolUse')
    return reply(
      0,
      jsonLine({
        hookSpecificOutput: {
          hookEventName: 'PreToolUse',
          permissionDecision: 'deny',
          permissionDecisionReason: reason,
        },
      }),
    );
  if (event === 'PostToolUse' || event === 'ConfigChange')
    return reply(0, jsonLine({ decision: 'block', reason }));
  // WorktreeCreate: any exit but 0 fails the creation, and its stderr is the error Claude Code
  // reports (agents/claude-worktree.ts); no JSON decision exists for it.
  if (event === 'WorktreeCreate') return reply(2, '', reason);
  // No event we know (a payload that is not JSON): exit 2 blocks whatever the event was.
  return reply(2, '', reason);
}

export function claudeContext(event: string | null, text: string): Reply {
  if (!text) return reply(0);
  if (event === 'SessionStart' || event === 'SubagentStart')
    return reply(
      0,
      jsonLine({ hookSpecificOutput: { hookEventName: event, additionalContext: text } }),
    );
  return reply(0, text);
}
