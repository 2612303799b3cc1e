// Coding agents keep their lane before they touch a file: agent-hook fed payloads in exactly the
// shape each agent documents, install --agent / uninstall on real worktrees, the lane brief. Only
// the fast cells of the coverage map (docs/testing.md); the other cases of each (the decision
// shape, the light entry, more payloads, the brief on stdout, setup --agent, the user-level hook,
// the patch reader, the after-shell report's memory, refusals in status, Codex's trust hashes) are
// in the deep tier (test/deep/agents.test.ts). The world: test/helpers/agent-hook.ts.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { claim } from './helpers/world.js';
import { claudeTerms } from './helpers/claude-terms.js';
import { afterShell, agentHookWorld, claudeTool, codexPatch } from './helpers/agent-hook.js';
import { moreWorld } from './helpers/agent-hook-more.js';
import { useInProcessCli } from './helpers/in-process.js';

// agent-hook runs as the agent runs it (a process per call, the payload on stdin); this file's other
// lanes-hooks steps (queue claim, brief, install, uninstall, status) run in process.
useInProcessCli();
const { sb, B, D, hook } = agentHookWorld();

describe('Claude Code: PreToolUse for Write, Edit, MultiEdit, NotebookEdit', () => {
  it('refuses an out-of-scope Write with exit 2 and the reason on stderr, before the file exists', () => {
    const file = path.join(B, 'backend', 'sneaky.ts');
    const r = hook('claude', claudeTool(B, 'Write', { file_path: file, content: 'x' }));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^lanes-hooks: refused by path-scope/);
    expect(r.stderr).toContain('backend/sneaky.ts');
    expect(r.stderr).toContain('web/**');
    expect(r.stdout).toBe('');
    expect(existsSync(file)).toBe(false);
  });

  it('refuses any write in a review lane resting on its read-only mirror', () => {
    sb.must(D, 'switch', '-q', '-c', 'review/B-ui', 'master');
    const r = hook(
      'claude',
      claudeTool(D, 'Write', { file_path: path.join(D, 'doc/governance/reviews/x.md') }),
      D,
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('refused by lane-branch');
    sb.must(D, 'switch', '-q', 'agent/D-arch');
    const ok = hook(
      'claude',
      claudeTool(D, 'Write', { file_path: path.join(D, 'doc/governance/reviews/x.md') }),
      D,
    );
    expect(ok.status).toBe(0);
  });

  it('refuses writes in an unassigned worktree', () => {
    const stray = path.join(sb.root, 'stray');
    sb.must(sb.coordinator, 'worktree', 'add', '-q', '-b', 'stray', stray, 'master');
    const r = hook(
      'claude',
      claudeTool(stray, 'Write', { file_path: path.join(stray, 'x') }),
      stray,
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('refused by lane-unassigned');
  });
});

describe('Codex: PreToolUse for apply_patch', () => {
  const patch = (...ops: string[]) => ['*** Begin Patch', ...ops, '*** End Patch'].join('\n');

  it('refuses a patch that moves a file out of the scope (exit 2, reason on stderr)', () => {
    const r = hook(
      'codex',
      codexPatch(
        B,
        patch(
          '*** Update File: web/index.html',
          '*** Move to: backend/index.html',
          '@@',
          '-a',
          '+b',
        ),
      ),
    );
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).not.toBe('');
    expect(r.stderr).toContain('backend/index.html');
    expect(r.stderr).not.toContain('    web/index.html');
  });
});

describe('after a shell command (PostToolUse on Bash / exec_command)', () => {
  // C-ops: a lane no earlier test has touched, so its worktree starts clean.
  const C = sb.lane('C-ops');
  const after = (tool: string) => afterShell(C, tool);

  it('reports changed and new files outside the scope with the commands that put them back, and deletes nothing', () => {
    sb.write(C, 'backend/new.ts');
    sb.write(C, 'README.md', 'changed\n');
    const r = hook('codex', after('exec_command'), C);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^lanes-hooks: refused by path-scope/);
    expect(r.stderr).toContain('exec_command changed the worktree: 2 paths outside the scope');
    expect(r.stderr).toContain("git restore --source=HEAD --staged --worktree -- 'README.md'");
    expect(r.stderr).toContain("git clean -f -- 'backend/new.ts'");
    expect(existsSync(path.join(C, 'backend', 'new.ts'))).toBe(true);
    // A tool that is not a shell is not looked after.
    expect(hook('claude', after('Read'), C).status).toBe(0);
    sb.must(C, 'restore', '--source=HEAD', '--staged', '--worktree', '--', 'README.md');
    sb.must(C, 'clean', '-qf', '--', 'backend/new.ts');
  });
});

describe('session start and the brief', () => {
  it('brief --json names role, branch, paths, what is refused and the flow; a claim shows up', () => {
    claim(sb, B, 'B-ui', 'agent-b', 'agent/B-ui');
    const brief = JSON.parse(sb.mustCli(B, 'brief', '--json'));
    expect(brief).toMatchObject({
      role: 'B-ui',
      kind: 'delivery',
      branch: 'agent/B-ui',
      paths: ['web/**', 'e2e/**'],
      claim: { owner: 'agent-b', branch: 'agent/B-ui', task: null },
    });
    expect(brief.refused.map((r: { rule: string }) => r.rule)).toContain('path-scope');
    expect(brief.flow.join('\n')).toContain('git push origin agent/B-ui');
    const review = sb.mustCli(D, 'brief');
    expect(review).toMatch(/bin\/lanes-hooks' review signoff/);
    expect(review).toContain('doc/governance/reviews/**');
  });
});

describe('install --agent and uninstall', () => {
  it('merges with existing settings, is idempotent, and uninstall leaves the files byte-identical', () => {
    const A = sb.lane('A-backend');
    const claudeFile = path.join(A, '.claude', 'settings.local.json');
    mkdirSync(path.dirname(claudeFile), { recursive: true });
    // A user's own settings, formatted their way, with a hook of their own.
    const mine = `{\n    "permissions": { "allow": ["Bash(npm test)"] },\n    "hooks": {\n        "PreToolUse": [\n            { "matcher": "Bash", "hooks": [ { "type": "command", "command": "echo mine" } ] }\n        ]\n    }\n}\n`;
    writeFileSync(claudeFile, mine);
    const exclude = path.join(
      sb.must(A, 'rev-parse', '--path-format=absolute', '--git-common-dir'),
      'info',
      'exclude',
    );
    const excludeBefore = readFileSync(exclude, 'utf8');

    // With Claude Code's opt-in user-level hook, in a user settings dir of the test's own.
    const userDir = path.join(sb.root, 'claude-user');
    const user = sb.cliWith(
      A,
      { CLAUDE_CONFIG_DIR: userDir },
      'install',
      '--agent',
      'all',
      '--user-hook',
    );
    expect(user.status).toBe(0);
    expect(readFileSync(path.join(userDir, 'settings.json'), 'utf8')).toMatch(
      /agent-hook\.cjs' claude --user"/,
    );
    const once = readFileSync(claudeFile, 'utf8');
    const settings = JSON.parse(once);
    expect(settings.permissions).toEqual({ allow: ['Bash(npm test)'] });
    expect(settings.hooks.PreToolUse).toHaveLength(2);
    expect(settings.hooks.PreToolUse[0].hooks[0].command).toBe('echo mine');
    expect(settings.hooks.PreToolUse[1].matcher).toBe(
      'Write|Edit|MultiEdit|NotebookEdit|EnterWorktree',
    );
    // The lane is baked into the command: the session keeps it wherever its cwd goes.
    expect(settings.hooks.PreToolUse[1].hooks[0].command).toMatch(
      /agent-hook\.cjs' claude --lane '[^']*gpuas-A-backend'$/,
    );
    expect(settings.hooks.PostToolUse[0].matcher).toBe('Bash|Agent|Task');
    expect(settings.hooks.SessionStart).toHaveLength(1);
    // Codex reads a linked worktree's hooks from the root checkout: one file there, dispatching
    // on the payload's cwd, and a .codex/ folder in the lane so that Codex looks for it.
    const codex = JSON.parse(
      readFileSync(path.join(sb.coordinator, '.codex', 'hooks.json'), 'utf8'),
    );
    expect(codex.hooks.PreToolUse[0].matcher).toBe('apply_patch');
    expect(codex.hooks.PreToolUse[0].hooks[0].command).toMatch(/agent-hook\.cjs' codex$/);
    expect(existsSync(path.join(A, '.codex'))).toBe(true);
    expect(existsSync(path.join(A, '.codex', 'hooks.json'))).toBe(false);
    // Untracked and ignored: the lane stays clean.
    expect(sb.must(A, 'status', '--porcelain')).toBe('');

    sb.mustCli(A, 'install', '--agent', 'all');
    expect(readFileSync(claudeFile, 'utf8')).toBe(once);

    // The command written really works when the agent runs it.
    const cmd = settings.hooks.PreToolUse[1].hooks[0].command as string;
    const payload = path.join(sb.root, 'p.json');
    writeFileSync(
      payload,
      JSON.stringify(claudeTool(A, 'Write', { file_path: path.join(A, 'web/x.tsx') })),
    );
    const run = claudeTerms(sb.run(A, 'sh', ['-c', `${cmd} < ${payload}`]));
    expect(run.status).toBe(2);

    sb.mustCli(A, 'uninstall');
    expect(readFileSync(claudeFile, 'utf8')).toBe(mine);
    expect(existsSync(path.join(userDir, 'settings.json'))).toBe(false);
    expect(existsSync(path.join(A, '.codex'))).toBe(false);
    expect(readFileSync(exclude, 'utf8')).toBe(excludeBefore);
    sb.mustCli(sb.coordinator, 'install');
  });
});

// Gemini CLI, Qwen Code, Copilot CLI, Cursor and OpenCode keep their lane like Claude Code and
// Codex do: agent-hook fed payloads in exactly the shape each agent's contract documents (the
// sources are cited in src/agents/<agent>.ts), answered in that agent's own way: one refusal per
// agent here, in this file's world; the allowed cases, the light entry and install --agent /
// uninstall for the five in test/deep/agents-more.test.ts. Every agent's real binary runs one
// session in test/agents-real.test.ts; Cursor has no binary on the npm registry, so what holds it
// to its contract is the payload shape in, the decision shape out. The world:
// test/helpers/agent-hook-more.ts.
const {
  hook: moreHook,
  OUT,
  expectReason,
  geminiTool,
  qwenTool,
  copilotTool,
  cursorTool,
  opencodeTool,
} = moreWorld(sb);

describe('Gemini CLI: BeforeTool on write_file and replace', () => {
  it('refuses an out-of-scope write_file with {"decision": "deny", "reason"} on stdout', () => {
    const r = moreHook('gemini', geminiTool('write_file', { file_path: OUT, content: 'x' }));
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
    const r = moreHook(
      'qwen',
      qwenTool('edit', { file_path: OUT, old_string: 'a', new_string: 'b' }),
    );
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expectReason(r.stderr);
  });
});

describe('Copilot CLI: preToolUse on create and edit', () => {
  it('refuses an out-of-scope create with {"permissionDecision": "deny"} on stdout', () => {
    const r = moreHook('copilot', copilotTool('create', { path: OUT, file_text: 'x' }));
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.permissionDecision).toBe('deny');
    expectReason(out.permissionDecisionReason);
  });
});

describe('Cursor: preToolUse on Write and Delete', () => {
  it('refuses an out-of-scope Write with {"permission": "deny", "agent_message"} on stdout', () => {
    const r = moreHook('cursor', cursorTool('Write', { file_path: OUT, contents: 'x' }));
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
    const r = moreHook('opencode', opencodeTool('write', { filePath: OUT, content: 'x' }));
    expect(r.status).toBe(2);
    expectReason(r.stderr);
    const moved = moreHook(
      'opencode',
      opencodeTool('apply_patch', {
        patchText: patch('*** Update File: web/a.tsx', '*** Move to: backend/sneaky.ts', '@@'),
      }),
    );
    expect(moved.status).toBe(2);
    expectReason(moved.stderr);
  });
});
