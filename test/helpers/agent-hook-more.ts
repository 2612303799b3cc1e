// The world of the other agents' agent-hook fixture tests (test/agents.test.ts, one refusal per
// agent, in that file's sandbox; test/deep/agents-more.test.ts, the rest): a coordinator with every
// lane by setup, agent-hook run as each agent runs it, and each agent's payload, field for field as
// its contract documents it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { CLI } from './world.js';
import type { Sandbox } from '../../src/demo/sandbox.js';
import { coordinatorSandbox } from './template.js';

export type Agent = 'gemini' | 'qwen' | 'opencode' | 'copilot' | 'cursor';

/**
 * Call at a test file's top. `sb`: a sandbox the file already has (the same template's world,
 * test/helpers/agent-hook.ts), so that the file copies one world, not two.
 */
export function moreWorld(sb: Sandbox = coordinatorSandbox({ setup: true })) {
  const B = sb.lane('B-ui');
  const LIGHT = path.join(path.dirname(CLI), 'agent-hook.cjs');
  // info/exclude is the repository's, shared by every lane: as it was before any agent install.
  const EXCLUDE = path.join(
    sb.must(B, 'rev-parse', '--path-format=absolute', '--git-common-dir'),
    'info',
    'exclude',
  );
  const EXCLUDE_AT_START = readFileSync(EXCLUDE, 'utf8');
  const trace = path.join(sb.root, 'node-starts');

  /** Run agent-hook as the agent does: the light entry, the payload on stdin, the lane as cwd. */
  function hook(agent: Agent, payload: unknown, cwd = B) {
    const file = path.join(sb.root, `payload-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, typeof payload === 'string' ? payload : JSON.stringify(payload));
    return sb.run(
      cwd,
      'sh',
      [
        '-c',
        `${JSON.stringify(process.execPath)} ${JSON.stringify(LIGHT)} ${agent} < ${JSON.stringify(file)}`,
      ],
      { LANES_HOOKS_TRACE: trace },
    );
  }
  const fullStarts = () =>
    existsSync(trace) ? readFileSync(trace, 'utf8').split('\n').filter(Boolean) : [];

  const OUT = path.join(B, 'backend', 'sneaky.ts'); // B-ui's paths are web/** and e2e/**
  const IN = path.join(B, 'web', 'page.tsx');

  /** A refusal names the rule, the file, why, and the fix. */
  function expectReason(reason: string) {
    expect(reason).toMatch(/^lanes-hooks: refused by path-scope/);
    expect(reason).toContain('backend/sneaky.ts');
    expect(reason).toMatch(/why: .*web\/\*\*/);
    expect(reason).toContain('fix:');
    expect(reason).toMatch(/lanes-hooks'? brief/);
  }
  const BRIEF = 'this worktree is the B-ui lane (delivery)';

  // --- Payloads, field for field as each contract documents them --------------------------------

  /** Gemini CLI BeforeTool (docs/hooks/reference.md: base input + tool_name, tool_input). */
  const geminiTool = (tool_name: string, tool_input: Record<string, unknown>, cwd = B) => ({
    session_id: 'c6f1a7d2-5b1e-4a53-9d3e-0f2b8e7a9c11',
    transcript_path: '/home/u/.gemini/tmp/abc/chats/session.json',
    cwd,
    hook_event_name: 'BeforeTool',
    timestamp: '2026-11-28T09:40:00.000Z',
    tool_name,
    tool_input,
  });

  /** Qwen Code PreToolUse (docs/users/features/hooks.md: common fields + permission_mode, tool_*). */
  const qwenTool = (tool_name: string, tool_input: Record<string, unknown>, cwd = B) => ({
    session_id: 'qwen-session-1',
    transcript_path: '/home/u/.qwen/projects/x/chats/qwen-session-1.jsonl',
    cwd,
    hook_event_name: 'PreToolUse',
    timestamp: '2026-11-28T09:40:00.000Z',
    permission_mode: 'default',
    tool_name,
    tool_input,
    tool_use_id: 'toolu_01',
    tool_call_id: 'call_01',
  });

  /** Copilot CLI preToolUse, camelCase format (cli-hooks-reference: toolArgs as the JSON string). */
  const copilotTool = (toolName: string, args: Record<string, unknown>, cwd = B) => ({
    sessionId: 'copilot-session-1',
    timestamp: 1764322800000,
    cwd,
    toolName,
    toolArgs: JSON.stringify(args),
  });

  /** Cursor preToolUse (cursor.com/docs/hooks: common fields + tool_name, tool_input, …). */
  const cursorTool = (tool_name: string, tool_input: Record<string, unknown>, cwd = B) => ({
    conversation_id: 'conv-123',
    generation_id: 'gen-456',
    model: 'claude-sonnet-4',
    hook_event_name: 'preToolUse',
    cursor_version: '2.1.0',
    workspace_roots: [cwd],
    user_email: null,
    transcript_path: null,
    tool_name,
    tool_input,
    tool_use_id: 'tool-1',
    cwd,
    agent_message: 'Writing the file',
  });

  /** What lanes-hooks' OpenCode plugin sends from tool.execute.before(input, output). */
  const opencodeTool = (tool: string, args: Record<string, unknown>, cwd = B) => ({
    hook_event_name: 'tool.execute.before',
    tool,
    sessionID: 'ses_1',
    callID: 'call_1',
    args,
    cwd,
  });
  return {
    sb,
    B,
    LIGHT,
    EXCLUDE,
    EXCLUDE_AT_START,
    trace,
    hook,
    fullStarts,
    OUT,
    IN,
    expectReason,
    BRIEF,
    geminiTool,
    qwenTool,
    copilotTool,
    cursorTool,
    opencodeTool,
  };
}
