// The world of the agent-hook fixture tests (test/agents.test.ts, the fast cells;
// test/deep/agents.test.ts, the rest): a coordinator with every lane by setup, agent-hook run the
// way the agent runs it, and the payloads Claude Code and Codex send.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI } from './world.js';
import { coordinatorSandbox } from './template.js';
import { claudeTerms } from './claude-terms.js';

/** Call at a test file's top: the sandbox, the B-ui and D-arch lanes, and the ways to run agent-hook. */
export function agentHookWorld() {
  const sb = coordinatorSandbox({ setup: true });
  const B = sb.lane('B-ui');
  const D = sb.lane('D-arch');

  const LIGHT = path.join(path.dirname(CLI), 'agent-hook.cjs');
  const trace = path.join(sb.root, 'node-starts');

  /**
   * Run agent-hook the way the agent does (install --agent writes this command): the light entry,
   * the payload on stdin, the worktree as cwd. `full` runs `lanes-hooks agent-hook` directly.
   */
  function hook(agent: 'claude' | 'codex', payload: unknown, cwd = B, full = false) {
    const file = path.join(sb.root, `payload-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, typeof payload === 'string' ? payload : JSON.stringify(payload));
    const entry = full ? `${JSON.stringify(CLI)} agent-hook` : JSON.stringify(LIGHT);
    const r = sb.run(
      cwd,
      'sh',
      ['-c', `${JSON.stringify(process.execPath)} ${entry} ${agent} < ${JSON.stringify(file)}`],
      { LANES_HOOKS_TRACE: trace },
    );
    return agent === 'claude' ? claudeTerms(r) : r;
  }

  const fullStarts = () =>
    existsSync(trace) ? readFileSync(trace, 'utf8').split('\n').filter(Boolean) : [];
  return { sb, B, D, LIGHT, trace, hook, fullStarts };
}

/** Claude Code's PreToolUse payload (code.claude.com/docs/en/hooks). */
export const claudeTool = (
  cwd: string,
  tool_name: string,
  tool_input: Record<string, unknown>,
) => ({
  session_id: 'abc123',
  transcript_path: '/home/u/.claude/projects/x/abc123.jsonl',
  cwd,
  permission_mode: 'default',
  hook_event_name: 'PreToolUse',
  tool_name,
  tool_input,
  tool_use_id: 'toolu_01ABC123',
});

/** A PostToolUse payload after a shell command (`make`) in `cwd`: Bash, or Codex's exec_command. */
export const afterShell = (cwd: string, tool: string) => ({
  session_id: 's',
  cwd,
  hook_event_name: 'PostToolUse',
  tool_name: tool,
  tool_input: { command: 'make' },
  tool_response: {},
});

/** Codex's PreToolUse payload for apply_patch (codex-rs/hooks: PreToolUseCommandInput). */
export const codexPatch = (cwd: string, patch: string) => ({
  session_id: '0199a213-81c0-7800-8aa1-bbab2a035a53',
  turn_id: 'turn-1',
  transcript_path: null,
  cwd,
  hook_event_name: 'PreToolUse',
  model: 'gpt-5-codex',
  permission_mode: 'default',
  tool_name: 'apply_patch',
  tool_input: { command: patch },
  tool_use_id: 'call-apply-patch',
});
