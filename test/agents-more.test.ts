// Gemini CLI, Qwen Code, OpenCode, Copilot CLI and Cursor keep their lane like Claude Code and
// Codex do (test/agents.test.ts): agent-hook fed payloads in exactly the shape each agent's
// contract documents (the sources are cited in src/agents/<agent>.ts), answered in that agent's
// own way: one refusal per agent here; the allowed cases, the light entry and install --agent /
// uninstall on real worktrees in test/deep/agents-more.test.ts. The world:
// test/helpers/agent-hook-more.ts.
//
// Every agent's real binary runs one session in test/agents-real.test.ts (Gemini CLI's against
// a stand-in for its model API, test/helpers/mock-gemini.ts); Cursor has no binary on the npm
// registry. What the tests here hold to is the contract as documented: the payload shape in, the
// decision shape out, and the settings file each agent reads.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { moreWorld } from './helpers/agent-hook-more.js';

const { hook, OUT, expectReason, geminiTool, qwenTool, copilotTool, cursorTool, opencodeTool } =
  moreWorld();

describe('Gemini CLI: BeforeTool on write_file and replace', () => {
  it('refuses an out-of-scope write_file with {"decision": "deny", "reason"} on stdout', () => {
    const r = hook('gemini', geminiTool('write_file', { file_path: OUT, content: 'x' }));
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.decision).toBe('deny');
    expectReason(out.reason);
    expect(existsSync(OUT)).toBe(false);
  });
});

describe('Qwen Code: PreToolUse on write_file and edit', () => {
  it('refuses an out-of-scope edit with exit 2 and the reason on stderr', () => {
    const r = hook('qwen', qwenTool('edit', { file_path: OUT, old_string: 'a', new_string: 'b' }));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expectReason(r.stderr);
  });
});

describe('Copilot CLI: preToolUse on create and edit', () => {
  it('refuses an out-of-scope create with {"permissionDecision": "deny"} on stdout', () => {
    const r = hook('copilot', copilotTool('create', { path: OUT, file_text: 'x' }));
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.permissionDecision).toBe('deny');
    expectReason(out.permissionDecisionReason);
  });
});

describe('Cursor: preToolUse on Write and Delete', () => {
  it('refuses an out-of-scope Write with {"permission": "deny", "agent_message"} on stdout', () => {
    const r = hook('cursor', cursorTool('Write', { file_path: OUT, contents: 'x' }));
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.permission).toBe('deny');
    expectReason(out.agent_message);
    expect(out.user_message).toMatch(/^lanes-hooks: refused by path-scope/);
  });
});

describe('OpenCode: the plugin’s tool.execute.before', () => {
  const patch = (...ops: string[]) => ['*** Begin Patch', ...ops, '*** End Patch'].join('\n');

  it('refuses an out-of-scope write with exit 2, the reason on stderr (the plugin throws it)', () => {
    const r = hook('opencode', opencodeTool('write', { filePath: OUT, content: 'x' }));
    expect(r.status).toBe(2);
    expectReason(r.stderr);
    const moved = hook(
      'opencode',
      opencodeTool('apply_patch', {
        patchText: patch('*** Update File: web/a.tsx', '*** Move to: backend/sneaky.ts', '@@'),
      }),
    );
    expect(moved.status).toBe(2);
    expectReason(moved.stderr);
  });
});
