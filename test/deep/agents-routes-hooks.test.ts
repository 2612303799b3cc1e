// The routes around the agent layer (issue 27): how a lane's agent that wants through would go
// around agent-hook, each made a test. The agent runs shell commands as the same OS user as the
// coordinator: file tools are refused in the git directory (hook-integrity), shell writes are not
// stopped but are followed by the after-shell check. Every payload below goes through the hook
// command install wrote into the worktree's .claude/settings.local.json, run by hand (the shape
// Claude Code documents, code.claude.com/docs/en/hooks), in a real repository with real worktrees.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { routesWorld } from '../helpers/agent-routes.js';

const { sb, A, fullStarts, gitDir, hook, write, afterBash, sessionStart } = routesWorld();

describe('the compiled facts the light entry trusts (lanes-hooks.compiled.json)', () => {
  const json = path.join(gitDir(A), 'lanes-hooks.compiled.json');
  const checked = path.join(gitDir(A), 'lanes-hooks.shell-checked.json');
  /** What a shell command in the lane writes: the scope widened to every path. */
  const widen = () => {
    const facts = JSON.parse(readFileSync(json, 'utf8'));
    facts.scopeRe = [{ glob: '**', source: '^.*$', flags: '' }];
    writeFileSync(json, JSON.stringify(facts) + '\n');
  };

  it('widened by a shell command: the after-shell check puts them back and tells the model, and the next Write out of scope is refused', () => {
    // git status refreshes the index of the copied worktree (the after-shell check's git does not).
    expect(sb.must(A, 'status', '--porcelain')).toBe('');
    expect(afterBash(A)).toMatchObject({ status: 0, stderr: '' });
    const before = readFileSync(json, 'utf8');
    const starts = fullStarts();
    // The route: with the facts widened, the light entry alone allows a Write out of scope.
    widen();
    expect(write(A, 'web/route.tsx')).toMatchObject({ status: 0, stderr: '' });
    expect(fullStarts()).toBe(starts);
    // But the only way to widen them is a shell command, and the check after it sees the file
    // changed since the last full check (shell-checked.json holds its identity).
    const r = afterBash(A);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^lanes-hooks: refused by hook-integrity/);
    expect(r.stderr).toContain("Bash changed the lane's compiled policy");
    expect(r.stderr).toContain(
      `${json} no longer held what compiling the lane's policy gives: written back`,
    );
    expect(readFileSync(json, 'utf8')).toBe(before);
    const w = write(A, 'web/route.tsx');
    expect(w.status).toBe(2);
    expect(w.stderr).toMatch(/^lanes-hooks: refused by path-scope/);
    // Nothing more to say after the next command.
    expect(afterBash(A)).toMatchObject({ status: 0, stderr: '' });
  });

  it('the sh twin the git shims source, rewritten to allow every path: put back and told', () => {
    const sh = path.join(gitDir(A), 'lanes-hooks.compiled.sh');
    const before = readFileSync(sh, 'utf8');
    writeFileSync(
      sh,
      before.replace(/lanes_in_scope\(\) \{\n[^}]*\}/, 'lanes_in_scope() {\n  return 0\n}'),
    );
    expect(readFileSync(sh, 'utf8')).not.toBe(before);
    const r = afterBash(A);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${sh} no longer held what compiling the lane's policy gives`);
    expect(readFileSync(sh, 'utf8')).toBe(before);
  });

  it('a policy that changed since is compiled again without a word (not a forgery)', () => {
    // The facts made before a config change are no longer trusted (their inputs differ): the full
    // check refreshes them and says nothing about them.
    const facts = JSON.parse(readFileSync(json, 'utf8'));
    const worktreeConfig = facts.inputs.find((i: { file: string }) =>
      i.file.endsWith('config.worktree'),
    );
    expect(worktreeConfig).toBeTruthy();
    worktreeConfig.content = `${worktreeConfig.content ?? ''}# older\n`;
    writeFileSync(json, JSON.stringify(facts) + '\n');
    const r = afterBash(A);
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(JSON.parse(readFileSync(json, 'utf8')).inputs).not.toContainEqual(worktreeConfig);
  });

  it('a file of another shape (hostile input) is rewritten, no stack trace', () => {
    const before = readFileSync(json, 'utf8');
    const facts = JSON.parse(before);
    writeFileSync(json, JSON.stringify({ ...facts, inputs: [null] }));
    const r = afterBash(A);
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(readFileSync(json, 'utf8')).toBe(before);
  });

  it('a forged pair (the facts and shell-checked.json with their new identity) skips the check: git’s pre-commit still refuses the file', () => {
    expect(afterBash(A)).toMatchObject({ status: 0, stderr: '' });
    const before = readFileSync(json, 'utf8');
    widen();
    // The record rewritten with the forged file's identity (agents/shell-checked.ts identity()).
    const rec = JSON.parse(readFileSync(checked, 'utf8'));
    const s = statSync(json);
    rec.files[json] = `${s.ino}:${s.size}:${s.mode}:${s.ctimeMs}`;
    writeFileSync(checked, JSON.stringify(rec) + '\n');
    // No file tells this pair from a true one: the light entry skips the check, and allows.
    const starts = fullStarts();
    expect(afterBash(A)).toMatchObject({ status: 0, stderr: '' });
    expect(write(A, 'web/pair.tsx')).toMatchObject({ status: 0, stderr: '' });
    expect(fullStarts()).toBe(starts);
    // The layer that holds: pre-commit decides from the sh twin and the committed config.
    sb.write(A, 'web/pair.tsx');
    sb.must(A, 'add', '--', 'web/pair.tsx');
    const commit = sb.run(A, 'git', ['commit', '-qm', 'A-backend: through the forged facts']);
    expect(commit.status).not.toBe(0);
    expect(commit.stderr).toContain('refused by path-scope');
    expect(commit.stderr).toContain('web/pair.tsx');
    sb.must(A, 'rm', '-qf', '--cached', '--', 'web/pair.tsx');
    // The next full check (here a new session; also a commit, a hook file touched, a refusal)
    // compiles the facts again.
    expect(sessionStart(A).status).toBe(0);
    expect(readFileSync(json, 'utf8')).toBe(before);
    expect(write(A, 'web/pair2.tsx').status).toBe(2);
    const r = afterBash(A);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('web/pair.tsx');
    rmSync(path.join(A, 'web', 'pair.tsx'));
  });
});

describe('the sub-agent records (lanes-hooks.subagents/, in the lane’s git dir)', () => {
  const subDir = path.join(gitDir(A), 'lanes-hooks.subagents');
  const sub = (event: string, id: string) =>
    hook(A, event, { agent_id: id, agent_type: 'general-purpose' });
  const agentReturned = () =>
    hook(A, 'PostToolUse', { tool_name: 'Agent', tool_input: { prompt: 'p' }, tool_response: {} });

  it('forged by the sub-agent’s shell command, they silence the parent’s report: git’s pre-commit still refuses the file', () => {
    expect(afterBash(A)).toMatchObject({ status: 0, stderr: '' });
    // The honest run (the parent is told, once) is agents-hookskip.test.ts's "a sub-agent's write
    // the sub-agent was already told about still reaches the parent".
    // The route: the sub-agent's command writes the file and rewrites its start record with the
    // file's stamp as it now stands (subagent-runs.ts stamp()), so SubagentStop finds nothing new.
    expect(sub('SubagentStart', 'forger').status).toBe(0);
    const record = path.join(subDir, 'forger.json');
    expect(existsSync(record)).toBe(true);
    sb.write(A, 'web/forged-sub.tsx');
    const s = statSync(path.join(A, 'web', 'forged-sub.tsx'));
    writeFileSync(
      record,
      JSON.stringify({ 'web/forged-sub.tsx': `f:${s.size}:${s.ctimeMs}:${s.mtimeMs}` }),
    );
    expect(afterBash(A).stderr).toContain('web/forged-sub.tsx'); // only the sub-agent is told
    expect(sub('SubagentStop', 'forger').status).toBe(0);
    expect(agentReturned()).toMatchObject({ status: 0, stderr: '' }); // the parent is not
    expect(hook(A, 'UserPromptSubmit', { prompt: 'go' }).stdout).not.toContain('forged-sub');
    // The layer that holds: the commit.
    sb.must(A, 'add', '--', 'web/forged-sub.tsx');
    const commit = sb.run(A, 'git', ['commit', '-qm', 'A-backend: through the sub-agent']);
    expect(commit.status).not.toBe(0);
    expect(commit.stderr).toContain('refused by path-scope');
    expect(commit.stderr).toContain('web/forged-sub.tsx');
    sb.must(A, 'rm', '-qf', '--', 'web/forged-sub.tsx');
  });
});
