// Issue 28, route 7: a commit made with git's hooks skipped, by an agent's shell command. The
// worktree stays clean, so the after-shell check of the worktree saw nothing; now the commits on
// the lane's HEAD beyond integration are judged by pre-commit's rules (path-scope, lane-branch)
// after every shell command (policy/agent-commits.ts), and git's hook files and core.hooksPath are
// compared with what install writes and put back (hooks/hook-scripts.ts). With the REAL Claude
// Code and Codex binaries (test/helpers/agent-bins.ts), and the hook command run by hand for the
// rest. How a lane would go around it, each a case: `git -c core.hooksPath=/dev/null commit`, a
// shim rewritten to `exit 0`, `git config --worktree core.hooksPath`, a commit on another branch.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../src/demo/sandbox.js';
import { agentBins, codexResults, readJsonFile, sentBack } from './helpers/agent-bins.js';
import { CLI, tmpDir } from './helpers/world.js';
import { claudeTerms } from './helpers/claude-terms.js';

const sb = new Sandbox(tmpDir(), CLI);
const bins = agentBins(sb);
sb.createCoordinator();
sb.mustCli(sb.coordinator, 'setup', '--agent', 'all');
const A = sb.lane('A-backend'); // paths: backend/**, services/**, contracts/**, workers/**
afterAll(() => bins.close());
const hooksDir = path.join(sb.coordinator, '.git', 'lanes-hooks', 'hooks');
const shim = path.join(hooksDir, 'pre-commit');
const shimText = readFileSync(shim, 'utf8');
const head = () => sb.must(A, 'rev-parse', 'HEAD').trim();

const claudeSettings = readJsonFile(path.join(A, '.claude', 'settings.local.json'))!;
const command = (claudeSettings.hooks as any).PostToolUse[0].hooks[0].command as string;
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
function afterShell() {
  const file = path.join(sb.root, 'payload.json');
  writeFileSync(file, JSON.stringify(afterBash));
  return claudeTerms(sb.run(A, 'sh', ['-c', `${command} < '${file}'`], bins.userEnv));
}

describe(
  'Claude Code 2.1.197 (real binary): git -c core.hooksPath=/dev/null commit',
  { timeout: 120_000 },
  () => {
    it('an out-of-scope commit with the hooks skipped is told to the model with git reset --soft to the commit before', async () => {
      const old = head();
      const cmd = `mkdir -p web && echo x > web/skip.html && git add web/skip.html && git -c core.hooksPath=/dev/null commit -qm skip`;
      const r = await bins.claude(A, [{ tool: 'Bash', input: { command: cmd } }]);
      // The commit is there (nothing stopped git), and the model heard about it.
      expect(head()).not.toBe(old);
      const told = sentBack(r);
      expect(told).toContain('refused by path-scope');
      expect(told).toContain('Bash committed on agent/A-backend');
      expect(told).toContain('web/skip.html');
      expect(told).toContain(`git reset --soft ${old}`);
      // The fix as told: the commit goes, the change stays staged; unstaged and removed, all clean.
      sb.must(A, 'reset', '--soft', old);
      sb.must(A, 'restore', '--staged', '--', 'web/skip.html');
      sb.must(A, 'clean', '-fq', '--', 'web');
      expect(afterShell().status).toBe(0);
    });
  },
);

describe(
  'Codex 0.169.0 (real binary): a shim rewritten to exit 0, then a commit',
  { timeout: 120_000 },
  () => {
    it('is reported (path-scope and hook-integrity) and the shim is written back', async () => {
      const problem: string = JSON.parse(
        sb.run(A, process.execPath, [CLI, 'doctor', '--json'], bins.userEnv).stdout,
      ).worktrees[0].problems.find((p: string) => p.startsWith('codex:'));
      bins.setCodexTrust(
        problem
          .split('\n')
          .filter((l) => l.startsWith('      '))
          .map((l) => l.trim())
          .join('\n') + '\n',
      );
      const old = head();
      const cmd = `printf '#!/bin/sh\\nexit 0\\n' > '${shim}' && mkdir -p ops && echo y > ops/skip.txt && git add ops/skip.txt && git commit -qm skip`;
      // Without Codex's own sandbox (the route's premise: a shell that may write the git directory).
      const r = await bins.codex(A, [{ tool: 'exec_command', input: { cmd } }], {
        sandbox: 'danger-full-access',
      });
      expect(head()).not.toBe(old);
      const res = codexResults(r).join('\n');
      expect(res).toContain('refused by hook-integrity');
      expect(res).toContain("changed git's hooks");
      expect(res).toContain('refused by path-scope');
      expect(res).toContain('ops/skip.txt');
      expect(readFileSync(shim, 'utf8')).toBe(shimText);
      sb.must(A, 'reset', '-q', '--hard', old);
    });
  },
);

describe('the after-shell check by hand: the other routes around the hooks', () => {
  it('an in-scope commit made with the hooks skipped passes; the light entry then answers alone', () => {
    writeFileSync(path.join(A, 'backend', 'ok.txt'), 'ok\n');
    sb.must(A, 'add', 'backend/ok.txt');
    sb.must(A, '-c', 'core.hooksPath=/dev/null', 'commit', '-qm', 'in scope');
    const r = afterShell();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(afterShell().status).toBe(0);
  });

  it('a shim made not executable, and core.hooksPath in the worktree config: both put back', () => {
    chmodSync(shim, 0o644);
    sb.must(A, 'config', '--worktree', 'core.hooksPath', '/dev/null');
    const r = afterShell();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('was no longer executable');
    expect(r.stderr).toContain('pointed git away from lanes-hooks’ hooks');
    expect(sb.must(A, 'config', '--get', 'core.hooksPath').trim()).toBe(hooksDir);
    expect(afterShell().status).toBe(0);
  });

  it('a commit on another branch with the hooks skipped: lane-branch, with the way back', () => {
    const own = sb.must(A, 'symbolic-ref', '--short', 'HEAD').trim();
    sb.must(A, '-c', 'core.hooksPath=/dev/null', 'switch', '-qc', 'side');
    writeFileSync(path.join(A, 'backend', 'side.txt'), 'side\n');
    sb.must(A, 'add', 'backend/side.txt');
    sb.must(A, '-c', 'core.hooksPath=/dev/null', 'commit', '-qm', 'side');
    const r = afterShell();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('refused by lane-branch');
    expect(r.stderr).toContain(`git switch ${own}`);
    sb.must(A, '-c', 'core.hooksPath=/dev/null', 'switch', '-q', own);
    sb.must(A, '-c', 'core.hooksPath=/dev/null', 'branch', '-qD', 'side');
    expect(afterShell().status).toBe(0);
  });
});

describe('Claude Code sub-agents (the hook command run by hand, as claude 2.1.197 calls it)', () => {
  const run = (event: string, extra: Record<string, unknown>) => {
    const file = path.join(sb.root, 'sub.json');
    writeFileSync(file, JSON.stringify({ ...afterBash, hook_event_name: event, ...extra }));
    const hooks = claudeSettings.hooks as any;
    const cmd = (hooks[event] ?? hooks.PostToolUse)[0].hooks[0].command as string;
    // A block comes back in Claude Code's JSON decision shape (agents/claude-reply.ts).
    return claudeTerms(sb.run(A, 'sh', ['-c', `${cmd} < '${file}'`], bins.userEnv));
  };

  it("what a sub-agent's shell changed is told to the main session when its Agent tool returns", () => {
    expect((claudeSettings.hooks as any).PostToolUse[0].matcher).toBe('Bash|Agent|Task');
    writeFileSync(path.join(A, 'web-from-subagent.txt'), 'x\n');
    const r = run('PostToolUse', { tool_name: 'Agent', tool_input: { prompt: 'p' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('refused by path-scope');
    expect(r.stderr).toContain('Agent changed the worktree');
    expect(r.stderr).toContain('web-from-subagent.txt');
    sb.must(A, 'clean', '-fq', '--', 'web-from-subagent.txt');
    expect(run('PostToolUse', { tool_name: 'Agent', tool_input: { prompt: 'p' } }).status).toBe(0);
  });

  it('the lane brief reaches a sub-agent at SubagentStart (stdout, shown to the sub-agent)', () => {
    const r = run('SubagentStart', { agent_id: 'a1', agent_type: 'general-purpose' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('A-backend');
    expect(r.stdout).toContain('backend/**');
  });
});
