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
import { Sandbox } from '../../src/demo/sandbox.js';
import { agentBins, codexResults, readJsonFile, sentBack } from '../helpers/agent-bins.js';
import { CLI, tmpDir } from '../helpers/world.js';
import { claudeTerms } from '../helpers/claude-terms.js';

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

  it('the lane brief reaches a sub-agent at SubagentStart (JSON additionalContext, the only shape that reaches it)', () => {
    const file = path.join(sb.root, 'sub.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...afterBash,
        hook_event_name: 'SubagentStart',
        agent_id: 'a1',
        agent_type: 'general-purpose',
      }),
    );
    const cmd = (claudeSettings.hooks as any).SubagentStart[0].hooks[0].command as string;
    const raw = sb.run(A, 'sh', ['-c', `${cmd} < '${file}'`], bins.userEnv);
    expect(raw.status).toBe(0);
    const out = JSON.parse(raw.stdout).hookSpecificOutput;
    expect(out.hookEventName).toBe('SubagentStart');
    expect(out.additionalContext).toContain('A-backend');
    expect(out.additionalContext).toContain('backend/**');
    run('SubagentStop', { agent_id: 'a1', agent_type: 'general-purpose' });
  });

  it("a sub-agent's write the sub-agent was already told about still reaches the parent, once: at the Agent tool's return or at the next prompt", () => {
    // The route around the report: the out-of-scope work done in a sub-agent, whose own Bash
    // check tells only the sub-agent (and marks the file as told, hooks/shell-seen.ts).
    const start = (id: string) =>
      run('SubagentStart', { agent_id: id, agent_type: 'general-purpose' });
    const stop = (id: string) =>
      run('SubagentStop', { agent_id: id, agent_type: 'general-purpose' });
    const agentReturned = () =>
      run('PostToolUse', { tool_name: 'Agent', tool_input: { prompt: 'p' } });
    const prompt = () => run('UserPromptSubmit', { prompt: 'go' });
    writeFileSync(path.join(A, 'web-left-before.txt'), 'x\n'); // there before: not the sub-agent's
    expect(run('PostToolUse', {}).status).toBe(2); // the parent's own Bash was told of it
    start('fg1');
    writeFileSync(path.join(A, 'web-by-sub.txt'), 'x\n');
    const own = run('PostToolUse', {}); // the sub-agent's Bash: the sub-agent is told
    expect(own.stderr).toContain('web-by-sub.txt');
    expect(stop('fg1').status).toBe(0);
    expect(stop('fg1').stdout).toBe(''); // SubagentStop shows nothing (and a second stop adds nothing)
    const r = agentReturned(); // foreground: the parent hears it with the Agent tool's result
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('the sub-agent general-purpose (Agent tool) changed the worktree');
    expect(r.stderr).toContain('web-by-sub.txt');
    expect(r.stderr).not.toContain('web-left-before.txt');
    expect(prompt().stdout).not.toContain('web-by-sub.txt'); // told once

    // In the background (2.1.328's default): the Agent tool returns at once; the report waits for
    // the prompt the completion notice raises.
    expect(agentReturned().status).toBe(0);
    start('bg 2/../x'); // a hostile id is a name, never a path
    writeFileSync(path.join(A, 'web-by-bg.txt'), 'x\n');
    run('PostToolUse', {});
    stop('bg 2/../x');
    const p = prompt();
    expect(p.status).toBe(0);
    expect(p.stdout).toContain('the sub-agent general-purpose (Agent tool) changed the worktree');
    expect(p.stdout).toContain("git clean -f -- 'web-by-bg.txt'");
    expect(p.stdout).not.toContain('web-by-sub.txt');
    expect(prompt().stdout).not.toContain('web-by-bg.txt');
    // The same stop kept twice (2.1.328 runs the lane's and the main checkout's entry, both at
    // SubagentStart and SubagentStop): told once.
    start('twice');
    start('twice-too');
    writeFileSync(path.join(A, 'web-by-twice.txt'), 'x\n');
    stop('twice');
    stop('twice-too');
    const once = prompt().stdout;
    expect(once.split('web-by-twice.txt').length - 1).toBe(2); // the list and the git clean line
    expect(once.split('(Agent tool) changed the worktree').length - 1).toBe(1);
    for (const f of ['web-left-before.txt', 'web-by-sub.txt', 'web-by-bg.txt', 'web-by-twice.txt'])
      sb.must(A, 'clean', '-fq', '--', f);
    expect(run('PostToolUse', {}).status).toBe(0);
  });
});
