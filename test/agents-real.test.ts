// The agent layer against the REAL agent binaries, one session per agent in the fast tier (the
// exact-pinned devDependencies: Claude Code, Codex, OpenCode, Qwen Code, Copilot CLI, Gemini CLI),
// each driven by a loopback mock of its model API that scripts the tool calls
// (test/helpers/model-mocks.ts, test/helpers/mock-gemini.ts). One world: a coordinator and its
// lanes made by `setup --agent all`, as a new user would. HOME, CLAUDE_CONFIG_DIR and CODEX_HOME
// are temporary directories, so nothing reads or writes the real user's settings. The deep tier
// (vitest.deep.config.ts runs this file again) adds the DEEP cases; more sessions per agent are in
// test/deep/agents-*.test.ts.
import { spawn } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  agentBins,
  claudeResults,
  codexResults,
  openaiResults,
  OPENCODE_VERSION,
  QWEN_VERSION,
  sentBack,
} from './helpers/agent-bins.js';
import type { Step } from './helpers/model-mocks.js';
import { DEEP, timeout } from './helpers/tier.js';
import { tmpDir } from './helpers/world.js';
import { claudeTerms } from './helpers/claude-terms.js';
import { mockGemini } from './helpers/mock-gemini.js';
import { useInProcessCli } from './helpers/in-process.js';
import { coordinatorSandbox } from './helpers/template.js';

// What is under test is each binary running the hooks `setup --agent all` wrote: the world is a
// copy of a template built once per run (helpers/template.ts), and this file's own lanes-hooks
// steps (doctor, status, install) run in process (helpers/in-process.ts); the hooks the agents
// start are processes, as they are for a user.
useInProcessCli();
const sb = coordinatorSandbox({ setup: true, agent: 'all' });
const bins = agentBins(sb);
const { CLAUDE_DIR, CODEX_HOME, userEnv } = bins;
const A = sb.lane('A-backend');
const B = sb.lane('B-ui');
afterAll(() => bins.close());

// Print mode asks no one: the tools under test are allowed up front, so that only the hooks decide
// (as root, --dangerously-skip-permissions is refused).
const claude = (cwd: string, script: Step[], extra: string[] = []) =>
  bins.claude(cwd, script, { tools: 'Write,Edit,Bash,EnterWorktree', extra });
const codex = (cwd: string, script: Step[]) => bins.codex(cwd, script);

const doctorJson = (cwd: string) =>
  JSON.parse(sb.cliWith(cwd, userEnv, 'doctor', '--json').stdout) as {
    worktrees: {
      problems: string[];
      notes: string[];
      agents: { agent: string; runs: boolean }[];
    }[];
  };

// The fast tier runs one test per binary (Claude Code's refusal, Codex's refusal once trusted, ...);
// the deep tier (vitest.deep.config.ts runs this file again) runs every one.
// Each test runs the binary a few times (a few seconds each on an idle machine); the room is for a
// loaded one.
describe('Claude Code 2.1.197 (real binary)', { timeout: timeout(120_000) }, () => {
  it('keeps the session in its lane: the brief reaches the model, EnterWorktree into another lane and a Write into its worktree are refused and the refusal returned', async () => {
    const target = path.join(B, 'web', 'from-a.html');
    const r = await claude(A, [
      { tool: 'EnterWorktree', input: { path: B } },
      { tool: 'Write', input: { file_path: target, content: 'x' } },
    ]);
    expect(r.status).toBe(0);
    expect(sentBack(r)).toContain('lanes-hooks: this worktree is the A-backend lane');
    const [enter, write] = claudeResults(r);
    expect(enter).toContain('refused by path-scope');
    expect(enter).toContain('EnterWorktree into');
    expect(enter).toContain("B-ui's");
    expect(write).toContain("in another lane's worktree");
    expect(existsSync(target)).toBe(false);
  });

  // No binary runs here: Claude Code's leak recorded from the binary, replayed by hand (deep tier).
  it.runIf(DEEP)(
    'refuses the write whatever the payload cwd says: the lane is the session’s (CLAUDE_PROJECT_DIR)',
    () => {
      // The EnterWorktree leak: after a successful switch Claude Code sends B-ui's cwd, and keeps
      // CLAUDE_PROJECT_DIR at the session's start (recorded from the binary,
      // test/deep/agents-clients.test.ts). The write is still judged as A-backend's.
      const settings = JSON.parse(
        readFileSync(path.join(A, '.claude', 'settings.local.json'), 'utf8'),
      );
      const command: string = settings.hooks.PreToolUse[0].hooks[0].command;
      const payload = JSON.stringify({
        session_id: 's',
        transcript_path: '/dev/null',
        cwd: B,
        permission_mode: 'default',
        hook_event_name: 'PreToolUse',
        tool_name: 'Write',
        tool_input: { file_path: path.join(B, 'web', 'x.html'), content: 'x' },
        tool_use_id: 't',
      });
      writeFileSync(path.join(sb.root, 'enter.json'), payload);
      const r = claudeTerms(
        sb.run(B, 'sh', ['-c', `${command} < '${path.join(sb.root, 'enter.json')}'`], {
          CLAUDE_PROJECT_DIR: A,
        }),
      );
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("Write in another lane's worktree");
      expect(r.stderr).toContain('belongs to B-ui');
    },
  );

  it.runIf(DEEP)(
    'a session started in a subfolder reads no project settings; the opt-in user hook covers it and stays idle where the project hook runs',
    async () => {
      const sub = path.join(A, 'backend');
      const target = path.join(A, 'web', 'from-sub.html');
      const step: Step[] = [{ tool: 'Write', input: { file_path: target, content: 'x' } }];
      // Verified against the binary: started in backend/, Claude Code does not look for
      // .claude/settings*.json in the lane's top, so no hook runs and doctor says so.
      const before = await claude(sub, step);
      expect(sentBack(before)).not.toContain('lanes-hooks: this worktree');
      expect(existsSync(target)).toBe(true);
      rmSync(target);
      expect(doctorJson(A).worktrees[0]!.notes.join('\n')).toContain('--user-hook');

      sb.cliWith(A, userEnv, 'install', '--agent', 'claude', '--user-hook');
      const user = JSON.parse(readFileSync(path.join(CLAUDE_DIR, 'settings.json'), 'utf8'));
      expect(JSON.stringify(user)).toContain('agent-hook.cjs');
      expect(JSON.stringify(user)).toContain(' claude --user');
      expect(doctorJson(A).worktrees[0]!.notes.join('\n')).not.toContain('--user-hook');

      const after = await claude(sub, step);
      expect(sentBack(after)).toContain('lanes-hooks: this worktree is the A-backend lane');
      expect(claudeResults(after)[0]).toContain('refused by path-scope');
      expect(existsSync(target)).toBe(false);

      // At the lane's top both hooks are configured: the user hook stays out of the way, so the
      // brief comes once and the refusal once.
      const top = await claude(A, step);
      const brief =
        sentBack(top).split('lanes-hooks: this worktree is the A-backend lane').length - 1;
      expect(brief).toBe(1);
      expect(claudeResults(top)[0]!.split('refused by path-scope').length - 1).toBe(1);
      expect(existsSync(target)).toBe(false);
    },
  );

  it.runIf(DEEP)(
    'reports out-of-scope files a Bash command wrote, at once, with the commands that put them back (nothing is deleted)',
    async () => {
      const r = await claude(A, [
        { tool: 'Bash', input: { command: 'echo x > web/by-shell.html && echo y >> README.md' } },
      ]);
      // Claude Code gives a PostToolUse hook's exit-2 stderr to the model beside the tool's result.
      const res = sentBack(r);
      expect(claudeResults(r)).toHaveLength(1);
      expect(res).toContain('refused by path-scope');
      expect(res).toContain('Bash changed the worktree');
      expect(res).toContain('web/by-shell.html');
      expect(res).toContain("git restore --source=HEAD --staged --worktree -- 'README.md'");
      expect(res).toContain("git clean -f -- 'web/by-shell.html'");
      expect(existsSync(path.join(A, 'web', 'by-shell.html'))).toBe(true);
      sb.must(A, 'restore', '--source=HEAD', '--staged', '--worktree', '--', 'README.md');
      sb.must(A, 'clean', '-f', '--', 'web/by-shell.html');
    },
  );
});

describe('Codex 0.169.0 (real binary)', { timeout: timeout(120_000) }, () => {
  const patch = (file: string) => `*** Begin Patch\n*** Add File: ${file}\n+x\n*** End Patch\n`;
  /** The trust lines doctor prints for Codex (indented under its problem). */
  const trustLines = (problem: string) =>
    problem
      .split('\n')
      .filter((l) => l.startsWith('      '))
      .map((l) => l.trim());
  /** Trust the lane's hooks as a user would: doctor's lines, in Codex's config.toml. */
  const trust = (lines: string[]) => {
    bins.setCodexTrust(lines.join('\n') + '\n');
    appendFileSync(path.join(CODEX_HOME, 'config.toml'), lines.join('\n') + '\n');
  };
  // The fast tier runs the trusted test alone: the hooks trusted up front, from doctor's lines.
  // The deep tier first runs the untrusted session that the trust test checks, and trusts there.
  if (!DEEP)
    trust(
      trustLines(doctorJson(A).worktrees[0]!.problems.find((p) => p.startsWith('codex:')) ?? ''),
    );

  it.runIf(DEEP)(
    'reads the root checkout’s hooks.json for a lane, and skips them silently until trusted; doctor says so and prints the exact trust lines',
    async () => {
      expect(existsSync(path.join(sb.coordinator, '.codex', 'hooks.json'))).toBe(true);
      expect(existsSync(path.join(A, '.codex'))).toBe(true);
      const untrusted = await codex(A, [
        { tool: 'apply_patch', input: patch('web/untrusted.html') },
      ]);
      expect(untrusted.status).toBe(0);
      // The silent skip: the write happened, no brief reached the model.
      expect(existsSync(path.join(A, 'web', 'untrusted.html'))).toBe(true);
      expect(sentBack(untrusted)).not.toContain('lanes-hooks: this worktree');
      rmSync(path.join(A, 'web', 'untrusted.html'));

      const report = doctorJson(A).worktrees[0]!;
      expect(report.agents).toContainEqual({ agent: 'codex', runs: false });
      const status = JSON.parse(sb.cliWith(sb.coordinator, userEnv, 'status', '--json').stdout);
      const row = status.lanes.find((l: { role: string }) => l.role === 'A-backend');
      expect(row.agents).toContainEqual(expect.objectContaining({ agent: 'codex', runs: false }));
      expect(status.actions.join('\n')).toContain("A-backend: codex's hooks will not run");
      const problem = report.problems.find((p) => p.startsWith('codex:'))!;
      expect(problem).toContain('not trusted');
      const lines = trustLines(problem);
      expect(lines[0]).toBe(`[projects."${sb.coordinator}"]`);
      trust(lines);
      expect(doctorJson(A).worktrees[0]!.agents).toContainEqual({ agent: 'codex', runs: true });
    },
  );

  // The fast tier's one Codex session: an out-of-scope patch and an in-scope one, from the lane's
  // top. The three-session case below (a subfolder's session among them) runs in the deep tier.
  it('once trusted, in one session: the brief reaches the model, an out-of-scope apply_patch is refused and an in-scope one passes', async () => {
    const r = await codex(A, [
      { tool: 'apply_patch', input: patch('web/one-session.html') },
      { tool: 'apply_patch', input: patch('backend/one-session.ts') },
    ]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(sentBack(r)).toContain('lanes-hooks: this worktree is the A-backend lane');
    const [outside, inside] = codexResults(r);
    expect(outside).toContain('refused by path-scope');
    expect(existsSync(path.join(A, 'web', 'one-session.html'))).toBe(false);
    expect(inside).not.toContain('refused');
    expect(existsSync(path.join(A, 'backend', 'one-session.ts'))).toBe(true);
    rmSync(path.join(A, 'backend', 'one-session.ts'));
  });

  it.runIf(DEEP)(
    'once trusted: the brief reaches the model, an out-of-scope apply_patch is refused from the lane’s top and from a subfolder',
    async () => {
      const r = await codex(A, [{ tool: 'apply_patch', input: patch('web/trusted.html') }]);
      expect(sentBack(r)).toContain('lanes-hooks: this worktree is the A-backend lane');
      expect(codexResults(r)[0]).toContain('refused by path-scope');
      expect(existsSync(path.join(A, 'web', 'trusted.html'))).toBe(false);

      const sub = await codex(path.join(A, 'backend'), [
        { tool: 'apply_patch', input: patch('../web/from-sub.html') },
      ]);
      expect(codexResults(sub)[0]).toContain('refused by path-scope');
      expect(existsSync(path.join(A, 'web', 'from-sub.html'))).toBe(false);
      // In scope passes.
      const ok = await codex(A, [{ tool: 'apply_patch', input: patch('backend/ok.ts') }]);
      expect(codexResults(ok)[0]).not.toContain('refused');
      expect(existsSync(path.join(A, 'backend', 'ok.ts'))).toBe(true);
      rmSync(path.join(A, 'backend', 'ok.ts'));
    },
  );

  it.runIf(DEEP)(
    'reports out-of-scope files an exec_command wrote, with the commands that put them back',
    async () => {
      const r = await codex(A, [
        { tool: 'exec_command', input: { cmd: 'echo x > web/by-exec.html' } },
      ]);
      const res = codexResults(r).join('\n');
      expect(res).toContain('refused by path-scope');
      expect(res).toContain("git clean -f -- 'web/by-exec.html'");
      expect(existsSync(path.join(A, 'web', 'by-exec.html'))).toBe(true);
      sb.must(A, 'clean', '-f', '--', 'web/by-exec.html');
    },
  );

  it.runIf(DEEP)(
    'a hook trusted under another definition counts as untrusted: doctor says it changed',
    () => {
      // Codex keys trust by the definition's hash: a reinstall with another Node.js or any edit
      // leaves the old hash behind, and Codex skips the hook without a word.
      const config = path.join(CODEX_HOME, 'config.toml');
      const before = readFileSync(config, 'utf8');
      writeFileSync(
        config,
        before.replace(/trusted_hash = "sha256:[0-9a-f]{8}/, 'trusted_hash = "sha256:00000000'),
      );
      const report = doctorJson(A).worktrees[0]!;
      expect(report.agents).toContainEqual({ agent: 'codex', runs: false });
      expect(report.problems.join('\n')).toContain('hook is changed since it was trusted');
      writeFileSync(config, before);
      expect(doctorJson(A).worktrees[0]!.agents).toContainEqual({ agent: 'codex', runs: true });
    },
  );
});

// One session each for OpenCode and Qwen Code (the Chat Completions mock; Qwen Code under the
// registry's Node 22); their full sessions, --pure and the off switch are in
// test/deep/agents-more-real.test.ts. OpenCode alone takes 20 to 90 s to start, by machine load.
describe(
  `OpenCode ${OPENCODE_VERSION} and Qwen Code ${QWEN_VERSION} (real binaries)`,
  { timeout: 400_000 },
  () => {
    it('OpenCode: the lane plugin refuses an out-of-scope write with the reason, and the brief is in the system prompt', async () => {
      const outside = path.join(A, 'web', 'oc-fast.html');
      const r = await bins.opencode(A, [
        { tool: 'write', input: { filePath: outside, content: 'x' } },
      ]);
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(openaiResults(r)[0]).toContain('refused by path-scope');
      expect(existsSync(outside)).toBe(false);
      expect(sentBack(r)).toContain('lanes-hooks: this worktree is the A-backend lane');
    });

    it('Qwen Code: the PreToolUse hook refuses an out-of-scope write_file with the reason, and the brief reaches the model', async () => {
      const outside = path.join(A, 'web', 'qw-fast.html');
      const r = await bins.qwen(A, [
        { tool: 'write_file', input: { file_path: outside, content: 'x' } },
      ]);
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(openaiResults(r)[0]).toContain('refused by path-scope');
      expect(existsSync(outside)).toBe(false);
      expect(sentBack(r)).toContain('lanes-hooks: this worktree is the A-backend lane');
    });
  },
);

describe('Copilot CLI (real binary)', { timeout: 120_000 }, () => {
  it('in a trusted lane after setup --agent all: in-scope create passes through both of its hook files, out-of-scope is refused with the reason', async () => {
    const inScope = path.join(A, 'backend', 'copilot.ts');
    const outside = path.join(A, 'web', 'copilot.html');
    const r = await bins.copilot(
      A,
      [
        { tool: 'create', input: { path: inScope, file_text: 'x' } },
        { tool: 'create', input: { path: outside, file_text: 'x' } },
        { text: 'done' },
      ],
      [sb.root],
    );
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(existsSync(inScope)).toBe(true);
    expect(existsSync(outside)).toBe(false);
    const back = sentBack(r);
    expect(back).toContain('refused by path-scope');
    expect(back).not.toContain('hook exited with code');
    rmSync(inScope);
  });
});

describe('Gemini CLI itself, driven by a stand-in for its model', () => {
  // B-ui's paths are web/** and e2e/**.
  const OUT = path.join(B, 'backend', 'sneaky.ts');
  const BRIEF = 'this worktree is the B-ui lane (delivery)';
  const GEMINI = path.resolve('node_modules/@google/gemini-cli/bundle/gemini.js');

  it('runs the hooks install wrote: the out-of-scope write is refused to the model, the other made', async () => {
    sb.mustCli(B, 'install', '--agent', 'gemini');
    const home = tmpDir('lanes-gemini-home-');
    mkdirSync(path.join(home, '.gemini'));
    writeFileSync(
      path.join(home, '.gemini', 'settings.json'),
      JSON.stringify({
        security: { auth: { selectedType: 'gemini-api-key' } },
        privacy: { usageStatisticsEnabled: false },
      }),
    );
    const inside = path.join(B, 'web', 'from-gemini.tsx');
    // One model turn asks for two writes: one outside B-ui's paths, one inside.
    const model = await mockGemini([
      { name: 'write_file', args: { file_path: OUT, content: 'x\n' } },
      { name: 'write_file', args: { file_path: inside, content: 'y\n' } },
    ]);
    try {
      const env: NodeJS.ProcessEnv = { ...process.env };
      for (const k of Object.keys(env))
        if (/^(GOOGLE_|GEMINI_|CLOUDSDK_)|_PROXY$|^CI$/i.test(k)) delete env[k];
      Object.assign(env, {
        HOME: home,
        GEMINI_API_KEY: 'test-key',
        GOOGLE_GEMINI_BASE_URL: model.url,
        GEMINI_CLI_TRUST_WORKSPACE: 'true',
        NO_COLOR: '1',
        // gemini.js starts the CLI again in a child Node process (for a larger heap) and waits
        // for it, unless this is set: the child gets it from getSpawnConfig (bundle/chunk-*.js,
        // GEMINI_CLI_NO_RELAUNCH: "true"), so the session and its hooks run exactly as in that
        // child, without a second Node start and load of the bundle.
        GEMINI_CLI_NO_RELAUNCH: 'true',
      });
      const run = spawn(
        process.execPath,
        [GEMINI, '-p', 'write the two files', '--approval-mode', 'yolo', '-m', 'gemini-2.5-flash'],
        { cwd: B, env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      run.stdout.on('data', (d) => (output += d));
      run.stderr.on('data', (d) => (output += d));
      const code = await new Promise((resolve) => run.on('close', resolve));
      expect(code, output).toBe(0);

      const turns = model.requests.filter((r) => r.url.includes(':streamGenerateContent'));
      expect(turns.length, output).toBe(2);
      // SessionStart's additionalContext reached the model with the prompt.
      expect(JSON.stringify(turns[0]!.body).includes(BRIEF), 'the brief in the first turn').toBe(
        true,
      );
      // As plain text: Gemini CLI escapes < and > in additionalContext, so none are sent.
      const first = JSON.stringify(turns[0]!.body);
      expect(first).not.toContain('&lt;');
      expect(first).not.toContain('&gt;');
      expect(first).toContain('--owner ‹owner›');
      // The second turn carries the tools' results: the refusal, rule, file, why and fix.
      const results = (
        turns[1]!.body as { contents: { parts: { functionResponse?: unknown }[] }[] }
      ).contents
        .flatMap((c) => c.parts)
        .filter((p) => p.functionResponse)
        .map((p) => JSON.stringify(p.functionResponse));
      expect(results).toHaveLength(2);
      const refused = results.filter((r) => r.includes('refused by path-scope'));
      expect(refused).toHaveLength(1);
      expect(refused[0]).toContain('backend/sneaky.ts');
      expect(refused[0]).toContain('fix:');
      expect(existsSync(OUT)).toBe(false);
      expect(readFileSync(inside, 'utf8')).toBe('y\n');
    } finally {
      await model.close();
    }
  }, 120_000);
});

// Rule hook-integrity at the agent-hook layer, in this file's world (the one `setup --agent all`
// makes): the commands install wrote, run by hand with each agent's payload. The real binaries
// switching their own hooks off, and the after-shell check's other cases, are in
// test/deep/agents-selfedit.test.ts.
describe('the after-shell check without a binary (the hook command run by hand)', () => {
  /** Run the installed hook command by hand with `payload` (what the agent would send). */
  function hook(command: string, payload: Record<string, unknown>) {
    const file = path.join(sb.root, 'payload.json');
    writeFileSync(file, JSON.stringify(payload));
    return claudeTerms(sb.run(A, 'sh', ['-c', `${command} < '${file}'`], userEnv));
  }

  it("every agent's file tool is refused on the hook settings: Gemini CLI's write_file, Codex's apply_patch of the root checkout's hooks.json", () => {
    const gemini = JSON.parse(readFileSync(path.join(A, '.gemini', 'settings.json'), 'utf8'));
    const geminiCommand: string = gemini.hooks.BeforeTool[0].hooks[0].command;
    const tool = (event: string, name: string, input: Record<string, unknown>) => ({
      session_id: 's',
      cwd: A,
      hook_event_name: event,
      tool_name: name,
      tool_input: input,
    });
    const g = hook(
      geminiCommand,
      tool('BeforeTool', 'write_file', {
        file_path: path.join(A, '.gemini', 'settings.json'),
        content: '{}',
      }),
    );
    expect(g.status).toBe(0);
    const denied = JSON.parse(g.stdout);
    expect(denied.decision).toBe('deny');
    expect(denied.reason).toContain('refused by hook-integrity');
    expect(denied.reason).toContain("Gemini CLI's hook settings");
    const codex = JSON.parse(
      readFileSync(path.join(sb.coordinator, '.codex', 'hooks.json'), 'utf8'),
    );
    const codexCommand: string = codex.hooks.PreToolUse[0].hooks[0].command;
    const c = hook(
      codexCommand,
      tool('PreToolUse', 'apply_patch', {
        command: `*** Begin Patch\n*** Update File: ../coordinator/.codex/hooks.json\n@@\n-x\n+y\n*** End Patch\n`,
      }),
    );
    expect(c.status).toBe(2);
    expect(c.stderr).toContain('refused by hook-integrity');
    expect(c.stderr).toContain("Codex's hook settings");
  });
});
