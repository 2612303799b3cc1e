// Deep tier: the other agents' agent-hook cases beyond one refusal each
// (test/agents.test.ts): allowed writes, session starts, the light entry against the full
// CLI, payloads naming no file, and install --agent / uninstall for the five on real worktrees.
// The world: test/helpers/agent-hook-more.ts.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { moreWorld } from '../helpers/agent-hook-more.js';

const {
  sb,
  B,
  EXCLUDE,
  EXCLUDE_AT_START,
  trace,
  hook,
  fullStarts,
  OUT,
  IN,
  BRIEF,
  geminiTool,
  qwenTool,
  copilotTool,
  cursorTool,
  opencodeTool,
} = moreWorld();

describe('Gemini CLI: BeforeTool on write_file and replace', () => {
  it('allows an in-scope replace silently; other tools pass; session start gives additionalContext', () => {
    expect(
      hook('gemini', geminiTool('replace', { file_path: IN, old_string: 'a', new_string: 'b' })),
    ).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(hook('gemini', geminiTool('run_shell_command', { command: 'ls' }))).toMatchObject({
      status: 0,
      stdout: '',
    });
    const start = hook('gemini', {
      session_id: 's',
      transcript_path: '/t',
      cwd: B,
      hook_event_name: 'SessionStart',
      timestamp: '2026-11-28T09:40:00.000Z',
      source: 'startup',
    });
    expect(start.status).toBe(0);
    const out = JSON.parse(start.stdout);
    expect(out.hookSpecificOutput.hookEventName).toBe('SessionStart');
    expect(out.hookSpecificOutput.additionalContext).toContain(BRIEF);
  });

  it('decides the in-scope write in the light entry, the refusal in the full CLI', () => {
    writeFileSync(trace, '');
    expect(hook('gemini', geminiTool('write_file', { file_path: IN, content: 'x' })).stdout).toBe(
      '',
    );
    expect(fullStarts()).toEqual([]);
    expect(
      JSON.parse(hook('gemini', geminiTool('write_file', { file_path: OUT, content: 'x' })).stdout)
        .decision,
    ).toBe('deny');
    expect(fullStarts()).toEqual(['agent-hook gemini']);
  });

  it('refuses a write tool whose payload names no file', () => {
    const r = hook('gemini', geminiTool('write_file', { content: 'x' }));
    const out = JSON.parse(r.stdout);
    expect(out.decision).toBe('deny');
    expect(out.reason).toContain('write_file: tool_input.file_path is missing');
  });
});

describe('Qwen Code: PreToolUse on write_file and edit', () => {
  it('allows an in-scope write_file; session start gives hookSpecificOutput.additionalContext', () => {
    expect(hook('qwen', qwenTool('write_file', { file_path: IN, content: 'x' }))).toMatchObject({
      status: 0,
      stdout: '',
      stderr: '',
    });
    const start = hook('qwen', {
      session_id: 's',
      transcript_path: '/t',
      cwd: B,
      hook_event_name: 'SessionStart',
      timestamp: '2026-11-28T09:40:00.000Z',
      permission_mode: 'default',
      source: 'startup',
      model: 'qwen3-coder-plus',
    });
    expect(start.status).toBe(0);
    expect(JSON.parse(start.stdout).hookSpecificOutput.additionalContext).toContain(BRIEF);
  });
});

describe('Copilot CLI: preToolUse on create and edit', () => {
  it('allows an in-scope edit (toolArgs as an object too); session start gives additionalContext', () => {
    expect(
      hook('copilot', {
        ...copilotTool('edit', {}),
        toolArgs: { path: IN, old_str: 'a', new_str: 'b' },
      }),
    ).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(hook('copilot', copilotTool('bash', { command: 'ls' })).stdout).toBe('');
    const start = hook('copilot', {
      sessionId: 's',
      timestamp: 1764322800000,
      cwd: B,
      source: 'startup',
    });
    expect(start.status).toBe(0);
    expect(JSON.parse(start.stdout).additionalContext).toContain(BRIEF);
  });
});

describe('Cursor: preToolUse on Write and Delete', () => {
  it('allows an in-scope Delete; sessionStart gives additional_context', () => {
    expect(hook('cursor', cursorTool('Delete', { path: IN }))).toMatchObject({
      status: 0,
      stdout: '',
      stderr: '',
    });
    expect(hook('cursor', cursorTool('Shell', { command: 'ls' })).stdout).toBe('');
    const start = hook('cursor', {
      conversation_id: 'conv-123',
      generation_id: 'gen-456',
      hook_event_name: 'sessionStart',
      workspace_roots: [B],
      session_id: 'conv-123',
      is_background_agent: false,
      composer_mode: 'agent',
    });
    expect(start.status).toBe(0);
    expect(JSON.parse(start.stdout).additional_context).toContain(BRIEF);
  });
});

describe('OpenCode: the plugin’s tool.execute.before', () => {
  const patch = (...ops: string[]) => ['*** Begin Patch', ...ops, '*** End Patch'].join('\n');

  it('allows an in-scope edit and patch; other tools pass', () => {
    expect(
      hook('opencode', opencodeTool('edit', { filePath: IN, oldString: 'a', newString: 'b' })),
    ).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(
      hook('opencode', opencodeTool('apply_patch', { patchText: patch('*** Add File: web/n.tsx') }))
        .status,
    ).toBe(0);
    expect(hook('opencode', opencodeTool('bash', { command: 'ls' })).status).toBe(0);
  });
});

describe('install --agent for the five, and uninstall', () => {
  it('an unreadable settings file, or a plugin file that is not ours, is refused untouched', () => {
    const C = sb.lane('C-ops');
    const gemini = path.join(C, '.gemini', 'settings.json');
    mkdirSync(path.dirname(gemini), { recursive: true });
    writeFileSync(gemini, '{ not json');
    const r = sb.cli(C, 'install', '--agent', 'all');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('.gemini/settings.json is not valid JSON');
    expect(readFileSync(gemini, 'utf8')).toBe('{ not json');
    expect(existsSync(path.join(C, '.qwen'))).toBe(false);
    const plugin = path.join(C, '.opencode', 'plugins', 'lanes-hooks.js');
    mkdirSync(path.dirname(plugin), { recursive: true });
    writeFileSync(plugin, 'export const Mine = async () => ({})\n');
    const p = sb.cli(C, 'install', '--agent', 'opencode');
    expect(p.status).toBe(2);
    expect(p.stderr).toContain('was not written by lanes-hooks');
    expect(readFileSync(plugin, 'utf8')).toBe('export const Mine = async () => ({})\n');
  });

  it('judges for the lane it was installed in, whatever cwd the payload names', () => {
    // The route: the agent of B-ui moves its session into A-backend's worktree and writes there.
    const A = sb.lane('A-backend');
    sb.mustCli(B, 'install', '--agent', 'gemini');
    const settings = JSON.parse(readFileSync(path.join(B, '.gemini', 'settings.json'), 'utf8'));
    const group = settings.hooks.BeforeTool.find(
      (g: { matcher?: string }) => g.matcher === '^(write_file|replace)$',
    );
    const command: string = group.hooks[0].command;
    const target = path.join(A, 'backend', 'moved.ts');
    const file = path.join(sb.root, 'moved.json');
    writeFileSync(
      file,
      JSON.stringify(geminiTool('write_file', { file_path: target, content: 'x' }, A)),
    );
    const r = sb.run(A, 'sh', ['-c', `${command} < ${JSON.stringify(file)}`]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.decision).toBe('deny');
    expect(out.reason).toMatch(/^lanes-hooks: refused by path-scope/);
    expect(out.reason).toContain('A-backend');
  });

  // Last: uninstall takes the hooks away from every lane.
  it('merges with existing settings, is idempotent, works, and uninstall restores every byte', async () => {
    const A = sb.lane('A-backend');
    // The user's own settings, formatted their way, with hooks and keys of their own.
    const mine: Record<string, string> = {
      '.gemini/settings.json': `{\n    "model": { "name": "gemini-2.5-pro" },\n    "hooks": {\n        "BeforeTool": [ { "matcher": "run_shell_command", "hooks": [ { "type": "command", "command": "echo mine" } ] } ]\n    }\n}\n`,
      '.qwen/settings.json': `{ "disableAllHooks": false, "hooks": { "Stop": [ { "hooks": [ { "type": "command", "command": "echo stop" } ] } ] } }\n`,
      '.cursor/hooks.json': `{\n  "version": 1,\n  "hooks": { "afterFileEdit": [ { "command": "./hooks/format.sh" } ], "preToolUse": [ { "command": "./hooks/audit.sh" } ] }\n}\n`,
    };
    for (const [rel, text] of Object.entries(mine)) {
      mkdirSync(path.dirname(path.join(A, rel)), { recursive: true });
      writeFileSync(path.join(A, rel), text);
    }
    const read = (rel: string) => readFileSync(path.join(A, rel), 'utf8');

    sb.mustCli(A, 'install', '--agent', 'all');
    const files = [
      '.gemini/settings.json',
      '.qwen/settings.json',
      '.opencode/plugins/lanes-hooks.js',
      '.github/hooks/lanes-hooks.json',
      '.cursor/hooks.json',
    ];
    const once = Object.fromEntries(files.map((f) => [f, read(f)]));

    const gemini = JSON.parse(once['.gemini/settings.json']!);
    expect(gemini.model).toEqual({ name: 'gemini-2.5-pro' });
    expect(gemini.hooks.BeforeTool[0].hooks[0].command).toBe('echo mine');
    expect(gemini.hooks.BeforeTool[1].matcher).toBe('^(write_file|replace)$');
    expect(gemini.hooks.BeforeTool[1].hooks[0].command).toMatch(
      /agent-hook\.cjs' gemini --lane '[^']+'$/,
    );
    expect(gemini.hooks.SessionStart[0]).not.toHaveProperty('matcher');
    const qwen = JSON.parse(once['.qwen/settings.json']!);
    expect(qwen.disableAllHooks).toBe(false);
    expect(qwen.hooks.Stop).toHaveLength(1);
    expect(qwen.hooks.PreToolUse[0].matcher).toBe('^(write_file|edit|replace)$');
    expect(qwen.hooks.PreToolUse[0].hooks[0].command).toMatch(
      /agent-hook\.cjs' qwen --lane '[^']+'$/,
    );
    const copilot = JSON.parse(once['.github/hooks/lanes-hooks.json']!);
    expect(copilot.version).toBe(1);
    expect(copilot.hooks.preToolUse[0]).toMatchObject({ type: 'command', matcher: 'create|edit' });
    expect(copilot.hooks.preToolUse[0].bash).toMatch(/agent-hook\.cjs' copilot --lane '[^']+'$/);
    const cursor = JSON.parse(once['.cursor/hooks.json']!);
    expect(cursor.hooks.afterFileEdit).toEqual([{ command: './hooks/format.sh' }]);
    expect(cursor.hooks.preToolUse).toHaveLength(2);
    expect(cursor.hooks.preToolUse[1]).toMatchObject({ matcher: 'Write|Delete' });
    // Untracked and ignored: the lane stays clean.
    expect(sb.must(A, 'status', '--porcelain')).toBe('');

    // Again: nothing changes.
    sb.mustCli(A, 'install', '--agent', 'all');
    for (const f of files) expect(read(f), f).toBe(once[f]);

    // The command written really works when the agent runs it (A-backend may not touch web/).
    const payload = path.join(sb.root, 'p.json');
    const web = path.join(A, 'web', 'x.tsx');
    writeFileSync(payload, JSON.stringify(cursorTool('Write', { file_path: web }, A)));
    const run = sb.run(A, 'sh', ['-c', `${cursor.hooks.preToolUse[1].command} < ${payload}`]);
    expect(JSON.parse(run.stdout).permission).toBe('deny');

    // The OpenCode plugin, loaded as OpenCode loads a plugin module, throws the refusal.
    const mod = await import(pathToFileURL(path.join(A, '.opencode/plugins/lanes-hooks.js')).href);
    const hooks = await mod.LanesHooks({ directory: A, worktree: A });
    const input = { tool: 'write', sessionID: 'ses_1', callID: 'call_1' };
    await expect(
      hooks['tool.execute.before'](input, { args: { filePath: web, content: 'x' } }),
    ).rejects.toThrow(/refused by path-scope[\s\S]*web\/x\.tsx/);
    await expect(
      hooks['tool.execute.before'](input, {
        args: { filePath: path.join(A, 'backend/x.ts'), content: 'x' },
      }),
    ).resolves.toBeUndefined();
    await expect(
      hooks['tool.execute.before']({ ...input, tool: 'bash' }, { args: { command: 'ls' } }),
    ).resolves.toBeUndefined();
    const compacting = { context: [] as string[] };
    await hooks['experimental.session.compacting']({ sessionID: 'ses_1' }, compacting);
    expect(compacting.context.join('')).toContain('this worktree is the A-backend lane');
    // The brief joins the system prompt of every model request, asked for once per session.
    const system = { system: ['base prompt'] };
    await hooks['experimental.chat.system.transform']({ sessionID: 'ses_1' }, system);
    expect(system.system[0]).toBe('base prompt');
    expect(system.system[1]).toContain('this worktree is the A-backend lane');

    sb.mustCli(A, 'uninstall');
    for (const [rel, text] of Object.entries(mine)) expect(read(rel), rel).toBe(text);
    expect(existsSync(path.join(A, '.opencode'))).toBe(false);
    expect(existsSync(path.join(A, '.github'))).toBe(false);
    // Every lane's lines (B-ui's from the Gemini CLI run too) are gone again.
    expect(readFileSync(EXCLUDE, 'utf8')).toBe(EXCLUDE_AT_START);
  });
});
