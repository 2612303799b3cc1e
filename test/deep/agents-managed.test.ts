// install --agent … --managed: each agent's administrator-level settings (src/agents/managed.ts),
// so that the user-level off switches no longer turn the hook off: Claude Code's
// `disableAllHooks: true`, Codex's `[features] hooks = false`, Gemini CLI's
// `hooksConfig.enabled = false`. The REAL binaries, each given the managed files the test wrote:
// Claude Code and Codex hard-code /etc (no override), so they run under bubblewrap with a private
// /etc (helpers/agent-bins.ts, bwrapEtc: nothing on the machine changes); Gemini CLI reads
// $GEMINI_CLI_SYSTEM_SETTINGS_PATH, but skips a file under /tmp (a folder others can write), so it
// gets a private /etc too. The route a lane would take around it — the user's own
// switch — is what each case sets before the run.
//
// Deep tier only (each real session takes a minute on a loaded machine): every case runs the
// binary first without managed settings (the control: the switch works, the write lands) and then
// with them. The fast tier checks the files in process: test/agents-managed-files.test.ts.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../../src/demo/sandbox.js';
import {
  agentBins,
  bwrapEtc,
  CLAUDE_VERSIONS,
  claudeResults,
  codexResults,
} from '../helpers/agent-bins.js';
import { mockGemini } from '../helpers/mock-gemini.js';
import { CLI, tmpDir } from '../helpers/world.js';
import { needs } from '../helpers/system-deps.js';

const sb = new Sandbox(tmpDir(), CLI);
const bins = agentBins(sb);
const { CLAUDE_DIR, userEnv } = bins;
sb.createCoordinator();
sb.mustCli(sb.coordinator, 'setup', '--agent', 'all');
const A = sb.lane('A-backend'); // paths: backend/**
const B = sb.lane('B-ui');
const ROOT = path.join(sb.root, 'image'); // --managed-root
const etc = (name: string) => path.join(ROOT, 'etc', name);
afterAll(() => bins.close());

const cli = (cwd: string, ...args: string[]) =>
  sb.run(cwd, process.execPath, [CLI, ...args], userEnv);
const doctorOf = (cwd: string) =>
  JSON.parse(cli(cwd, 'doctor', '--json').stdout) as {
    worktrees: { problems: string[]; notes: string[] }[];
  };
const install = () => {
  const r = cli(A, 'install', '--agent', 'all', '--managed', '--managed-root', ROOT);
  expect(r.status, r.stdout + r.stderr).toBe(0);
  return r.stdout;
};

/** Claude Code in lane A: one Write in scope, one into lane B; which files landed. */
async function claudeWrites(tag: string, release: keyof typeof CLAUDE_VERSIONS) {
  const inScope = path.join(A, 'backend', `${tag}.ts`);
  const outOfScope = path.join(B, 'web', `${tag}.html`);
  const r = await bins.claude(
    A,
    [
      { tool: 'Write', input: { file_path: inScope, content: 'x' } },
      { tool: 'Write', input: { file_path: outOfScope, content: 'x' } },
    ],
    { release },
  );
  return {
    r,
    inScope: existsSync(inScope),
    outOfScope: existsSync(outOfScope),
    outOfScopeFile: outOfScope,
  };
}

describe('install --managed: the files, doctor, uninstall', () => {
  it('writes each agent that has administrator-level settings, says which are not managed, doctor reports them', () => {
    const out = install();
    expect(out).toContain(
      `managed: claude: administrator-level settings in ${etc('claude-code')}/managed-settings.json`,
    );
    expect(out).toContain('managed: codex: ');
    expect(out).toContain('managed: gemini: ');
    expect(out).toMatch(/not managed: qwen, opencode, copilot, cursor: /);
    const claude = JSON.parse(
      readFileSync(path.join(etc('claude-code'), 'managed-settings.json'), 'utf8'),
    );
    expect(claude.allowManagedHooksOnly).toBe(true);
    const cmd = claude.hooks.PreToolUse[0].hooks[0].command as string;
    expect(cmd).toMatch(/agent-hook\.cjs' claude --managed '.*\.git'$/);
    const codex = readFileSync(path.join(etc('codex'), 'requirements.toml'), 'utf8');
    expect(codex).toContain('[features]\nhooks = true\n');
    expect(codex).toContain('[[hooks.PreToolUse]]\nmatcher = "apply_patch"');
    const gemini = JSON.parse(readFileSync(path.join(etc('gemini-cli'), 'settings.json'), 'utf8'));
    expect(gemini.hooksConfig).toEqual({ enabled: true });
    expect(gemini.hooks.BeforeTool[0].hooks[0].command).toContain(' gemini --managed ');
    // Idempotent: a second run writes the same bytes.
    install();
    expect(
      JSON.parse(readFileSync(path.join(etc('claude-code'), 'managed-settings.json'), 'utf8')),
    ).toEqual(claude);
    const notes = doctorOf(A).worktrees[0]!.notes.join('\n');
    for (const a of ['claude', 'codex']) expect(notes).toContain(`managed mode: ${a} present`);
    // Gemini CLI reads system settings only from root's folders that nobody else can write:
    // under /tmp (this test's image) it would skip them, and both install and doctor say so.
    expect(out).toContain('✖ gemini: Gemini CLI will skip');
    expect(doctorOf(A).worktrees[0]!.problems.join('\n')).toContain(
      `gemini: Gemini CLI skips its system settings "${path.join(etc('gemini-cli'), 'settings.json')}": "/tmp" is writable by group or others`,
    );
  });

  it('doctor: a managed file edited is stale, a deleted one absent, each with the command that writes it again', () => {
    const file = path.join(etc('gemini-cli'), 'settings.json');
    const kept = readFileSync(file, 'utf8');
    writeFileSync(file, JSON.stringify({ hooksConfig: { enabled: false } }));
    const codexFile = path.join(etc('codex'), 'requirements.toml');
    const codexKept = readFileSync(codexFile, 'utf8');
    rmSync(codexFile);
    const d = doctorOf(A).worktrees[0]!;
    const problems = d.problems.join('\n');
    expect(problems).toContain(`gemini: managed settings stale in "${file}"`);
    expect(problems).toContain(`codex: managed settings absent in "${codexFile}"`);
    expect(problems).toContain(`install --agent all --managed --managed-root '${ROOT}'`);
    writeFileSync(file, kept);
    writeFileSync(codexFile, codexKept);
    expect(doctorOf(A).worktrees[0]!.problems.join('\n')).not.toContain('managed settings');
  });

  it('refuses a Codex requirements.toml it did not write, and --managed without --agent; the system paths without root say so (exit 2)', () => {
    const other = path.join(sb.root, 'other-image');
    mkdirSync(path.join(other, 'etc', 'codex'), { recursive: true });
    writeFileSync(
      path.join(other, 'etc', 'codex', 'requirements.toml'),
      'allowed_sandbox_modes = ["read-only"]\n',
    );
    const r = cli(A, 'install', '--agent', 'codex', '--managed', '--managed-root', other);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('exists and was not written by lanes-hooks');
    expect(readFileSync(path.join(other, 'etc', 'codex', 'requirements.toml'), 'utf8')).toBe(
      'allowed_sandbox_modes = ["read-only"]\n',
    );
    expect(cli(A, 'install', '--managed').stderr).toContain('--managed goes with --agent');
    // Where writing is not permitted (the tests run as root: /sys stands in for /etc without
    // root), exit 2 with the command to run as root; nothing is recorded.
    const denied = cli(
      A,
      'install',
      '--agent',
      'claude',
      '--managed',
      '--managed-root',
      '/sys/lanes-hooks-test',
    );
    expect(denied.status).toBe(2);
    expect(denied.stderr).toContain('need root: run `sudo ');
    expect(denied.stderr).toContain(
      'install --agent claude --managed --managed-root /sys/lanes-hooks-test`',
    );
    expect(denied.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe(
  'the hook holds against the user-level switch (real binaries)',
  { timeout: 180_000 },
  () => {
    // The pinned release and the newest side by side: both read the same hard-coded folder, and
    // 2.1.328 also runs the main checkout's entries in a lane (agents/session.ts).
    it.each(Object.keys(CLAUDE_VERSIONS) as (keyof typeof CLAUDE_VERSIONS)[])(
      'Claude Code %s: user settings disableAllHooks: true; with managed settings an out-of-scope Write is still refused and an in-scope one written',
      async (release) => {
        needs('bwrap');
        install();
        writeFileSync(
          path.join(CLAUDE_DIR, 'settings.json'),
          JSON.stringify({ disableAllHooks: true }),
        );
        {
          // Control: the switch works without managed settings (the route this closes).
          const off = await claudeWrites(`off-${release}`, release);
          expect(off.inScope).toBe(true);
          expect(off.outOfScope).toBe(true);
          rmSync(off.outOfScopeFile);
        }
        bins.setWrap(bwrapEtc({ 'claude-code': etc('claude-code') }));
        try {
          const on = await claudeWrites(`managed-${release}`, release);
          expect(on.r.status, on.r.stderr).toBe(0);
          expect(on.inScope).toBe(true);
          expect(on.outOfScope).toBe(false);
          expect(claudeResults(on.r)[1]).toContain("in another lane's worktree");
        } finally {
          bins.setWrap([]);
          rmSync(path.join(CLAUDE_DIR, 'settings.json'));
        }
      },
    );
    it('Codex: [features] hooks = false in the user config.toml (and the project never trusted); with the managed requirements.toml an out-of-scope apply_patch is still refused, an in-scope one applied', async () => {
      needs('bwrap');
      install();
      const patch = (file: string) => `*** Begin Patch\n*** Add File: ${file}\n+x\n*** End Patch\n`;
      bins.setCodexTrust('[features]\nhooks = false\n');
      const run = async (tag: string) => {
        const r = await bins.codex(A, [
          { tool: 'apply_patch', input: patch(`backend/${tag}.ts`) },
          { tool: 'apply_patch', input: patch(`web/${tag}.html`) },
        ]);
        return {
          r,
          inScope: existsSync(path.join(A, 'backend', `${tag}.ts`)),
          outOfScope: existsSync(path.join(A, 'web', `${tag}.html`)),
        };
      };
      try {
        const off = await run('off');
        expect(off.inScope).toBe(true);
        expect(off.outOfScope).toBe(true);
        rmSync(path.join(A, 'web', 'off.html'));
        bins.setWrap(bwrapEtc({ codex: etc('codex') }));
        const on = await run('managed');
        expect(on.r.status, on.r.stderr).toBe(0);
        expect(on.inScope, JSON.stringify(codexResults(on.r))).toBe(true);
        expect(on.outOfScope, on.r.stderr.slice(-2000)).toBe(false);
        expect(codexResults(on.r)[1]).toContain('refused by path-scope');
      } finally {
        bins.setWrap([]);
        bins.setCodexTrust('');
      }
    });

    it('Gemini CLI: hooksConfig.enabled = false in the user settings; with the system settings an out-of-scope write_file is still refused, an in-scope one written', async () => {
      needs('bwrap');
      install();
      const GEMINI = path.resolve('node_modules/@google/gemini-cli/bundle/gemini.js');
      const home = tmpDir('lanes-gemini-home-');
      mkdirSync(path.join(home, '.gemini'));
      writeFileSync(
        path.join(home, '.gemini', 'settings.json'),
        JSON.stringify({
          security: { auth: { selectedType: 'gemini-api-key' } },
          privacy: { usageStatisticsEnabled: false },
          hooksConfig: { enabled: false },
        }),
      );
      const run = async (tag: string, system: string | null) => {
        const inFile = path.join(A, 'backend', `${tag}.ts`);
        const outFile = path.join(A, 'web', `${tag}.html`);
        const model = await mockGemini([
          { name: 'write_file', args: { file_path: inFile, content: 'x' } },
          { name: 'write_file', args: { file_path: outFile, content: 'x' } },
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
          });
          // Never the machine's /etc/gemini-cli: a private /etc holding the test's folder, or
          // (the control run) none. Not GEMINI_CLI_SYSTEM_SETTINGS_PATH: Gemini CLI skips a
          // system file under /tmp (a folder others can write).
          const gemini = [
            GEMINI,
            '-p',
            'write them',
            '--approval-mode',
            'yolo',
            '-m',
            'gemini-2.5-flash',
          ];
          const wrap = bwrapEtc(system ? { 'gemini-cli': system } : {});
          const p = spawn(wrap[0]!, [...wrap.slice(1), process.execPath, ...gemini], {
            cwd: A,
            env,
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let output = '';
          p.stdout.on('data', (d) => (output += d));
          p.stderr.on('data', (d) => (output += d));
          const code = await new Promise((resolve) => p.on('close', resolve));
          return {
            code,
            output,
            sent: JSON.stringify(model.requests.map((r) => r.body)),
            inScope: existsSync(inFile),
            outOfScope: existsSync(outFile),
            outFile,
          };
        } finally {
          await model.close();
        }
      };
      const off = await run('off', null);
      expect(off.inScope, off.output).toBe(true);
      expect(off.outOfScope, off.output).toBe(true);
      rmSync(off.outFile);
      const on = await run('managed', etc('gemini-cli'));
      expect(on.code, on.output).toBe(0);
      expect(on.inScope, on.output).toBe(true);
      expect(on.outOfScope, on.output).toBe(false);
      expect(on.sent).toContain('refused by path-scope');
    });

    it('uninstall takes the managed files away again (install created them)', () => {
      expect(cli(A, 'uninstall').status).toBe(0);
      for (const f of [
        path.join(etc('claude-code'), 'managed-settings.json'),
        path.join(etc('codex'), 'requirements.toml'),
        path.join(etc('gemini-cli'), 'settings.json'),
      ])
        expect(existsSync(f), f).toBe(false);
    });
  },
);
