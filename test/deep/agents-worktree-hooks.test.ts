// Claude Code's WorktreeCreate entry (agents/claude-worktree.ts, policy/agent-worktree.ts) by hand:
// the installed command run with the payload both binaries document ("JSON with name"), the way
// Claude Code runs it. test/deep/agents-worktree-events.test.ts runs the real binaries.
//
// How a lane that wants a worktree of its own would go around it, each a case below: a sub-agent
// with `isolation: "worktree"` (or `claude --worktree`, or EnterWorktree with a name) — refused
// in the lane and in the coordinator; the main checkout's entry, which 2.1.328 also runs in a lane,
// printing a path — it never does (it stays silent, and creation fails without a path); the entry
// taken out of the lane's settings — the after-shell check puts it back; and a hostile name —
// printed quoted.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentWorktreeCreate } from '../../src/policy/agent-worktree.js';
import { loadConfig } from '../../src/config/load.js';
import { coordinatorSandbox } from '../helpers/template.js';
import { CLI } from '../helpers/world.js';

const sb = coordinatorSandbox({ setup: true });
sb.mustCli(sb.coordinator, 'install', '--agent', 'claude');
const A = sb.lane('A-backend');
sb.mustCli(A, 'install', '--agent', 'claude');

const settingsOf = (top: string) =>
  JSON.parse(readFileSync(path.join(top, '.claude', 'settings.local.json'), 'utf8')) as {
    hooks: Record<string, { matcher?: string; hooks: { command: string }[] }[]>;
  };
const commandOf = (top: string) => settingsOf(top).hooks.WorktreeCreate![0]!.hooks[0]!.command;

/** The entry installed in `entryTop`, run by a session that started in `sessionTop`. */
function create(
  entryTop: string,
  sessionTop: string,
  name: unknown = 'bright-fox-1a2b',
  env: NodeJS.ProcessEnv = {},
) {
  const file = path.join(sb.root, `wc-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      session_id: 'abc123',
      transcript_path: '/home/u/.claude/projects/x/abc123.jsonl',
      cwd: sessionTop,
      hook_event_name: 'WorktreeCreate',
      name,
    }),
  );
  return sb.run(sessionTop, 'sh', ['-c', `${commandOf(entryTop)} < '${file}'`], {
    CLAUDE_PROJECT_DIR: sessionTop,
    ...env,
  });
}

describe('WorktreeCreate (Claude Code): installed in every worktree, refused', () => {
  it('is in the lane and coordinator settings, without a matcher, and not in the user-level file', () => {
    for (const top of [A, sb.coordinator]) {
      const [group, more] = settingsOf(top).hooks.WorktreeCreate!;
      expect(more).toBeUndefined();
      expect(group).not.toHaveProperty('matcher');
      expect(group!.hooks[0]!.command).toMatch(/agent-hook\.cjs' claude --lane '/);
    }
    // The user-level entry runs in every folder of the machine: a WorktreeCreate entry there
    // would break worktrees everywhere (a hook that exits 0 with no path fails the creation).
    const userDir = path.join(sb.root, 'claude-user');
    const r = sb.run(A, process.execPath, [CLI, 'install', '--agent', 'claude', '--user-hook'], {
      CLAUDE_CONFIG_DIR: userDir,
    });
    expect(r.status, r.stderr).toBe(0);
    const user = JSON.parse(readFileSync(path.join(userDir, 'settings.json'), 'utf8'));
    expect(user.hooks.PreToolUse).toHaveLength(1);
    expect(user.hooks).not.toHaveProperty('WorktreeCreate');
    expect(settingsOf(A).hooks.WorktreeCreate).toHaveLength(1);
  });

  it('a lane: exit 2, nothing on stdout (no path: no worktree), the reason on stderr', () => {
    const r = create(A, A);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('lanes-hooks: refused by path-scope');
    expect(r.stderr).toContain('what: WorktreeCreate of a new worktree named bright-fox-1a2b\n');
    expect(r.stderr).toContain("this session stays the A-backend lane's");
    expect(r.stderr).toContain('isolation: "worktree"');
    expect(r.stderr).not.toMatch(/\n {4}at /); // no stack trace
  });

  it('the coordinator: refused too, with setup as the way to a new lane', () => {
    const r = create(sb.coordinator, sb.coordinator);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('lane-unassigned');
    expect(r.stderr).toMatch(/lanes-hooks' setup|lanes-hooks setup/);
  });

  it("the main checkout's entry in a lane's session (2.1.328 runs both) never prints a path", () => {
    const r = create(sb.coordinator, A);
    // Silent where the lane's own entry speaks: Claude Code then reports the lane's reason alone.
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    // Without the lane's own entry it speaks itself, for the lane (CLAUDE_PROJECT_DIR).
    const file = path.join(A, '.claude', 'settings.local.json');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, '{}\n');
    try {
      const alone = create(sb.coordinator, A);
      expect(alone.status).toBe(2);
      expect(alone.stdout).toBe('');
      expect(alone.stderr).toContain("this session stays the A-backend lane's");
    } finally {
      writeFileSync(file, text);
    }
  });

  it("a session started in a subfolder of the lane: the main checkout's entry, the only one there, refuses", () => {
    // Both releases read a session's project settings in the folder it started in alone (the
    // lane's own entry is not loaded from <lane>/backend); 2.1.328 also loads the main
    // checkout's (test/deep/agents-worktree-unguarded.test.ts, --debug-file). So there the main
    // checkout's entry is the only voice: it refuses, for the lane the session started in.
    const sub = path.join(A, 'backend');
    mkdirSync(sub, { recursive: true });
    const r = create(sb.coordinator, sub);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('lanes-hooks: refused by path-scope');
    expect(r.stderr).toContain("this session stays the A-backend lane's");
    // The user-level hook has no WorktreeCreate entry: installed, it changes nothing here…
    const userDir = path.join(sb.root, 'claude-user-sub');
    const u = sb.run(A, process.execPath, [CLI, 'install', '--agent', 'claude', '--user-hook'], {
      CLAUDE_CONFIG_DIR: userDir,
    });
    expect(u.status, u.stderr).toBe(0);
    const withUser = create(sb.coordinator, sub, 'n', { CLAUDE_CONFIG_DIR: userDir });
    expect(withUser.status).toBe(2);
    expect(withUser.stderr).toContain("this session stays the A-backend lane's");
    // …while the brief at session start is the user hook's to give: the main entry stays quiet.
    const start = path.join(sb.root, 'start.json');
    writeFileSync(
      start,
      JSON.stringify({
        session_id: 'abc123',
        cwd: sub,
        hook_event_name: 'SessionStart',
        source: 'startup',
      }),
    );
    const brief = (env: NodeJS.ProcessEnv) =>
      sb.run(sub, 'sh', ['-c', `${commandOf(sb.coordinator)} < '${start}'`], {
        CLAUDE_PROJECT_DIR: sub,
        ...env,
      });
    expect(brief({ CLAUDE_CONFIG_DIR: userDir }).stdout).toBe('');
    expect(brief({ CLAUDE_CONFIG_DIR: path.join(sb.root, 'no-user') }).stdout).toContain(
      'this worktree is the A-backend lane',
    );
    // At the lane's top, where its own entry runs, the main checkout's stays silent (above).
    expect(create(sb.coordinator, A).status).toBe(0);
  });

  it('a hostile name is printed quoted; a missing one still refuses', () => {
    const r = create(A, A, 'x\n\u001b[31mred"quote');
    expect(r.status).toBe(2);
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).toContain(
      'what: "WorktreeCreate of a new worktree named x\\n\\033[31mred\\"quote"',
    );
    const none = create(A, A, 42);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('WorktreeCreate of a new worktree');
  });

  it('taken out of the lane settings by a shell command, it is put back after that command', () => {
    const file = path.join(A, '.claude', 'settings.local.json');
    const settings = settingsOf(A);
    delete settings.hooks.WorktreeCreate;
    writeFileSync(file, JSON.stringify(settings, null, 2));
    const payload = path.join(sb.root, 'after-bash.json');
    writeFileSync(
      payload,
      JSON.stringify({
        session_id: 'abc123',
        transcript_path: '/home/u/.claude/projects/x/abc123.jsonl',
        cwd: A,
        hook_event_name: 'PostToolUse',
        tool_name: 'Bash',
        tool_input: { command: 'node -e "…"' },
        tool_response: {},
      }),
    );
    const cmd = settingsOf(sb.coordinator).hooks.PostToolUse![0]!.hooks[0]!.command.replace(
      / --lane .*$/,
      ` --lane '${A}'`,
    );
    const r = sb.run(A, 'sh', ['-c', `${cmd} < '${payload}'`], { CLAUDE_PROJECT_DIR: A });
    expect(r.stdout).toContain('hook-integrity');
    expect(settingsOf(A).hooks.WorktreeCreate).toHaveLength(1);
  });

  it('the rule alone: every lane kind refuses (pure)', () => {
    const config = loadConfig(sb.coordinator).config;
    for (const kind of ['delivery', 'review', 'coordinator', 'unassigned'] as const) {
      const [v, more] = agentWorktreeCreate(
        { config, lane: { kind, role: kind === 'unassigned' ? null : 'X' } as never },
        'n',
      );
      expect(more).toBeUndefined();
      expect(v!.rule).toBe('path-scope');
      expect(v!.fix.length).toBeGreaterThan(0);
    }
  });
});
