// An agent switching off its own hook layer (rule hook-integrity), against the REAL Claude Code and
// Codex binaries driven by loopback mocks of their model APIs (test/helpers/agent-bins.ts). The
// agents' settings files are ignored by git, so the after-shell worktree check never saw them:
// now every shell tool call is followed by a check of what install recorded, lanes-hooks' entry is
// put back in place (the user's other keys kept) and the model is told; a file tool's write to
// those files, or into the git directory, is refused before it runs.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  agentBins,
  claudeResults,
  codexResults,
  readJsonFile,
  sentBack,
} from '../helpers/agent-bins.js';
import { timeout } from '../helpers/tier.js';
import { claudeTerms } from '../helpers/claude-terms.js';
import { useInProcessCli } from '../helpers/in-process.js';
import { coordinatorSandbox } from '../helpers/template.js';

// Deep tier. The fast tier's cell of this subject (every agent's file tool refused on the hook
// settings, run by hand) is in test/agents-real.test.ts, whose world is this one. The world
// `setup --agent all` makes, copied from the template test/agents-real.test.ts uses too
// (helpers/template.ts); doctor runs in process (helpers/in-process.ts), the hooks as processes.
useInProcessCli();
const sb = coordinatorSandbox({ setup: true, agent: 'all' });
const bins = agentBins(sb);
const A = sb.lane('A-backend');
const claudeFile = (top: string) => path.join(top, '.claude', 'settings.local.json');
afterAll(() => bins.close());

/** Our hook command in a Claude-style settings object, for one event. */
const ourCommand = (s: Record<string, unknown> | null, event: string) =>
  JSON.stringify((s?.hooks as Record<string, unknown> | undefined)?.[event] ?? null);

/** Run the installed hook command by hand with `payload` (what the agent would send). */
function hook(command: string, payload: Record<string, unknown>) {
  const file = path.join(sb.root, 'payload.json');
  writeFileSync(file, JSON.stringify(payload));
  return claudeTerms(sb.run(A, 'sh', ['-c', `${command} < '${file}'`], bins.userEnv));
}

describe(
  'Claude Code 2.1.197 (real binary): its own hook settings',
  { timeout: timeout(120_000) },
  () => {
    it('a Bash command that drops the hook, then one that moves --lane: the model is told each time, the hook is back with the user’s keys, and a Write in the same session is still refused', async () => {
      // The user's own key beside the hooks.
      const before = readJsonFile(claudeFile(A))!;
      writeFileSync(claudeFile(A), JSON.stringify({ ...before, cleanupPeriodDays: 42 }, null, 2));
      const target = path.join(A, 'web', 'after-rewrite.html');
      // `echo > .claude/settings.local.json` and `sed -i` on it are stopped by Claude Code's own
      // permission check; a program writing the file is not.
      const edit = (js: string) =>
        `node -e "const f='.claude/settings.local.json',fs=require('fs');${js}"`;
      const drop = edit(
        'const s=JSON.parse(fs.readFileSync(f));delete s.hooks;fs.writeFileSync(f,JSON.stringify(s))',
      );
      const move = edit(
        `fs.writeFileSync(f,fs.readFileSync(f,'utf8').split('${A}').join('${sb.lane('B-ui')}'))`,
      );
      const r = await bins.claude(A, [
        { tool: 'Bash', input: { command: drop } },
        { tool: 'Write', input: { file_path: target, content: 'x' } },
        { tool: 'Bash', input: { command: move } },
      ]);
      // Claude Code gives a PostToolUse hook's exit-2 stderr to the model beside the tool's result.
      const told = sentBack(r);
      expect(told.split('refused by hook-integrity').length - 1).toBe(2);
      expect(told).toContain('Bash changed the agents');
      expect(told).toContain(claudeFile(A));
      expect(told).toContain('the entry is back');
      const now = readJsonFile(claudeFile(A))!;
      expect(now.cleanupPeriodDays).toBe(42);
      expect(ourCommand(now, 'PreToolUse')).toBe(ourCommand(before, 'PreToolUse'));
      expect(ourCommand(now, 'PostToolUse')).toBe(ourCommand(before, 'PostToolUse'));
      // Claude Code re-reads a changed settings file at once; the ConfigChange hook keeps the
      // session on the settings it had (without it, this Write passed: tried).
      const [, write] = claudeResults(r);
      expect(write).toContain('refused by path-scope');
      expect(existsSync(target)).toBe(false);
      // The next session reads the file as install wrote it.
      const doctor = sb.cliWith(A, bins.userEnv, 'doctor', '--json');
      expect(JSON.parse(doctor.stdout).worktrees[0].agents).toContainEqual({
        agent: 'claude',
        runs: true,
      });
    });

    it('a Write of the hook settings or into the git directory is refused before it runs, in the unrestricted coordinator too', async () => {
      const C = sb.coordinator;
      const shim = path.join(C, '.git', 'lanes-hooks', 'hooks', 'pre-commit');
      const shimBefore = readFileSync(shim, 'utf8');
      const settingsBefore = readFileSync(claudeFile(C), 'utf8');
      // Claude Code's Write of an existing file needs a Read of it first.
      const r = await bins.claude(C, [
        { tool: 'Read', input: { file_path: claudeFile(C) } },
        { tool: 'Write', input: { file_path: claudeFile(C), content: '{}' } },
        { tool: 'Read', input: { file_path: shim } },
        { tool: 'Write', input: { file_path: shim, content: '#!/bin/sh\nexit 0\n' } },
        {
          tool: 'Write',
          input: {
            file_path: path.join(C, '.claude', 'settings.json'),
            content: '{"disableAllHooks":true}',
          },
        },
      ]);
      const [, settings, , hooks, project] = claudeResults(r);
      expect(settings).toContain('refused by hook-integrity');
      expect(settings).toContain("Claude Code's hook settings");
      expect(hooks).toContain('refused by hook-integrity');
      expect(hooks).toContain("the repository's git directory");
      expect(project).toContain('refused by hook-integrity');
      expect(readFileSync(shim, 'utf8')).toBe(shimBefore);
      expect(readFileSync(claudeFile(C), 'utf8')).toBe(settingsBefore);
      expect(existsSync(path.join(C, '.claude', 'settings.json'))).toBe(false);
    });
  },
);

describe('the after-shell check without a binary (the hook command run by hand)', () => {
  const settings = readJsonFile(claudeFile(A))!;
  const command = JSON.parse(ourCommand(settings, 'PostToolUse'))[0].hooks[0].command as string;
  const afterBash = {
    session_id: 's',
    transcript_path: '/dev/null',
    cwd: A,
    permission_mode: 'default',
    hook_event_name: 'PostToolUse',
    tool_name: 'Bash',
    tool_input: { command: 'true' },
    tool_response: {},
    tool_use_id: 't',
  };

  it('nothing changed: the light entry answers alone, silently', () => {
    const r = hook(command, afterBash);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });

  it("another agent's file (Gemini CLI's, deleted) and an off switch are put back; Codex's lane folder is made again", () => {
    const gemini = path.join(A, '.gemini', 'settings.json');
    const geminiBefore = readFileSync(gemini, 'utf8');
    rmSync(gemini);
    const withOff = { ...readJsonFile(claudeFile(A))!, disableAllHooks: true };
    writeFileSync(claudeFile(A), JSON.stringify(withOff));
    rmSync(path.join(A, '.codex'), { recursive: true });
    const r = hook(command, afterBash);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('refused by hook-integrity');
    expect(r.stderr).toContain(`${gemini} (Gemini CLI) was deleted`);
    expect(r.stderr).toContain('switch for all hooks');
    expect(readFileSync(gemini, 'utf8')).toBe(geminiBefore);
    expect(readJsonFile(claudeFile(A))!.disableAllHooks).toBeUndefined();
    expect(existsSync(path.join(A, '.codex'))).toBe(true);
    expect(hook(command, afterBash).status).toBe(0);
  });

  it('a ConfigChange that drops the entry is blocked (the session keeps its hooks); an unrelated change passes; the after-shell check puts the file back', () => {
    const configChange = {
      session_id: 's',
      cwd: A,
      hook_event_name: 'ConfigChange',
      source: 'local_settings',
      file_path: claudeFile(A),
    };
    expect(hook(command, configChange).status).toBe(0);
    const text = readFileSync(claudeFile(A), 'utf8');
    writeFileSync(claudeFile(A), '{}');
    const r = hook(command, configChange);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('refused by hook-integrity');
    expect(r.stderr).toContain('not applied to this session');
    // The after-shell check puts it back (this file's user key went with the rewrite to {}).
    expect(hook(command, afterBash).status).toBe(2);
    expect(ourCommand(readJsonFile(claudeFile(A)), 'PreToolUse')).toBe(
      ourCommand(JSON.parse(text), 'PreToolUse'),
    );
    writeFileSync(claudeFile(A), text);
    const project = path.join(A, '.claude', 'settings.json');
    writeFileSync(project, '{"disableAllHooks": true}');
    const off = hook(command, { ...configChange, source: 'project_settings', file_path: project });
    expect(off.status).toBe(2);
    expect(off.stderr).toContain('disableAllHooks');
    rmSync(project);
  });

  it('an unparsable file is reported and left alone, after every shell command, and doctor says so', () => {
    const text = readFileSync(claudeFile(A), 'utf8');
    writeFileSync(claudeFile(A), '{ not json');
    const r = hook(command, afterBash);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is not a JSON object any more: left as it is');
    expect(readFileSync(claudeFile(A), 'utf8')).toBe('{ not json');
    const doctor = sb.cliWith(A, bins.userEnv, 'doctor');
    expect(doctor.stdout + doctor.stderr).toContain(
      'puts its entry back only into a file it can read',
    );
    writeFileSync(claudeFile(A), text);
    expect(hook(command, afterBash).status).toBe(0);
  });
});

describe(
  'Codex 0.169.0 (real binary): an exec_command that rewrites .codex/hooks.json',
  { timeout: timeout(120_000) },
  () => {
    it('is reported to the model and the hooks file is put back', async () => {
      const file = path.join(sb.coordinator, '.codex', 'hooks.json');
      // Trust the project and the hooks as doctor prints them.
      const problem: string = JSON.parse(
        sb.cliWith(A, bins.userEnv, 'doctor', '--json').stdout,
      ).worktrees[0].problems.find((p: string) => p.startsWith('codex:'));
      bins.setCodexTrust(
        problem
          .split('\n')
          .filter((l) => l.startsWith('      '))
          .map((l) => l.trim())
          .join('\n') + '\n',
      );
      const before = readFileSync(file, 'utf8');
      // Without Codex's own sandbox, which would stop this write outside the lane (and, with
      // bubblewrap on the machine, fails to start its helper under a temporary CODEX_HOME).
      const r = await bins.codex(
        A,
        [{ tool: 'exec_command', input: { cmd: `echo '{}' > '${file}'` } }],
        { sandbox: 'danger-full-access' },
      );
      const res = codexResults(r).join('\n');
      expect(res).toContain('refused by hook-integrity');
      expect(res).toContain(file);
      expect(readFileSync(file, 'utf8')).toBe(before);
    });
  },
);
