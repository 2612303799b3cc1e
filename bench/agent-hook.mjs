// npm run bench:agent — what agent-hook costs a coding agent per file write, against the floor of
// starting Node once (`node -e 0`) and of loading the bundle (`--version`), then inside the real
// Claude Code binary (the last section). Interleaved rounds, medians; prints Markdown tables and
// writes bench/agent-hook.md. Never asserted in tests.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import http from 'node:http';
import { existsSync as exists, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const CLI = path.resolve('dist/lanes-hooks.mjs');
const root = mkdtempSync(path.join(os.tmpdir(), 'lanes-bench-agent-'));
const gitconfig = path.join(root, '.gitconfig');
writeFileSync(
  gitconfig,
  '[user]\n\tname = Bench\n\temail = b@example.com\n[init]\n\tdefaultBranch = master\n',
);
const env = { ...process.env, GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1' };
const run = (cwd, cmd, ...args) => execFileSync(cmd, args, { cwd, env, encoding: 'utf8' });

// A sandbox with lanes, through the CLI's own demo world.
const coord = path.join(root, 'coordinator');
const remote = path.join(root, 'remote.git');
run(root, 'git', 'init', '-q', '--bare', remote);
run(root, 'git', 'clone', '-q', remote, coord);
writeFileSync(path.join(coord, 'README.md'), 'x\n');
run(coord, node(), CLI, 'init');
run(coord, 'git', 'add', '-A');
run(coord, 'git', 'commit', '-q', '-m', 'init');
run(coord, 'git', 'push', '-q', 'origin', 'master');
run(coord, node(), CLI, 'install');
run(coord, node(), CLI, 'setup');
// setup names each lane's worktree <repository folder>-<role>, beside the coordinator.
const lane = path.join(root, 'coordinator-A-backend');

function node() {
  return process.execPath;
}
const payload = (file) =>
  JSON.stringify({
    session_id: 'bench',
    transcript_path: '/dev/null',
    cwd: lane,
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name: 'Edit',
    tool_input: { file_path: path.join(lane, file), old_string: 'a', new_string: 'b' },
    tool_use_id: 'toolu_bench',
  });
// What install --agent writes: the light entry beside the hooks (agents/fast.ts).
const LIGHT = path.join(
  run(coord, 'git', 'rev-parse', '--absolute-git-dir').trim(),
  'lanes-hooks',
  'agent-hook.cjs',
);
const cases = [
  ['node -e 0 (starting Node once)', [node(), '-e', '0'], ''],
  ['lanes-hooks --version (loading the whole CLI)', [node(), CLI, '--version'], ''],
  [
    'agent-hook: allowed edit (backend/api.ts)',
    [node(), LIGHT, 'claude'],
    payload('backend/api.ts'),
  ],
  [
    'agent-hook: a tool that writes no file (Bash)',
    [node(), LIGHT, 'claude'],
    JSON.stringify({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: {}, cwd: lane }),
  ],
  [
    'agent-hook: refused edit (web/app.tsx; the full policy)',
    [node(), LIGHT, 'claude'],
    payload('web/app.tsx'),
  ],
  [
    'agent-hook: after a Bash command, nothing out of scope (PostToolUse; light entry and git)',
    [node(), LIGHT, 'claude', '--lane', lane],
    JSON.stringify({
      session_id: 'bench',
      cwd: lane,
      hook_event_name: 'PostToolUse',
      tool_name: 'Bash',
      tool_input: { command: 'ls' },
      tool_response: {},
    }),
  ],
  [
    'agent-hook: session start (the brief; the full CLI)',
    [node(), LIGHT, 'claude'],
    JSON.stringify({
      session_id: 'bench',
      cwd: lane,
      hook_event_name: 'SessionStart',
      source: 'startup',
    }),
  ],
];
const times = cases.map(() => []);
for (let r = 0; r < ROUNDS; r++)
  cases.forEach(([, argv, input], i) => {
    const t = process.hrtime.bigint();
    spawnSync(argv[0], argv.slice(1), { cwd: lane, env, input });
    times[i].push(Number(process.hrtime.bigint() - t) / 1e6);
  });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const floor = median(times[0]);
const lines = [
  `| operation (median of ${ROUNDS}) | time | ÷ node -e 0 |`,
  '|---|---|---|',
  ...cases.map(
    ([name], i) =>
      `| ${name} | ${median(times[i]).toFixed(1)} ms | ${(median(times[i]) / floor).toFixed(2)}× |`,
  ),
];
const table = lines.join('\n');
console.log(table);

// --- The real client: Claude Code between two model requests, with and without the hook --------
// The newest Claude Code (devDependency alias claude-code-latest) in the lane, driven by a loopback
// Messages API mock that answers the first request with one in-scope Write and the second with
// text. What the hook costs the agent is the time from the end of the first answer to the arrival
// of the second request (Claude Code runs the PreToolUse hook, writes the file, asks again), with
// lanes-hooks' hook and with every hook off (`--settings '{"disableAllHooks":true}'`), interleaved,
// median of CLAUDE_ROUNDS sessions each.

const CLAUDE_ROUNDS = Number(process.env.BENCH_CLAUDE_ROUNDS ?? 7);
const require = createRequire(import.meta.url);
const latestPkg = path.dirname(require.resolve('claude-code-latest/package.json'));
const claudeBin = path.join(
  latestPkg,
  'node_modules',
  '@anthropic-ai',
  `claude-code-${process.platform}-${process.arch}`,
  'claude',
);
const claudeVersion = require('claude-code-latest/package.json').version;
run(lane, node(), CLI, 'install', '--agent', 'claude');

function mock() {
  const gaps = [];
  let answered = 0;
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const now = performance.now();
      if (!req.url.startsWith('/v1/messages') || req.url.includes('count_tokens')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"input_tokens":10}');
      }
      const body = JSON.parse(data || '{}');
      const turns = (body.messages ?? []).filter((m) => m.role === 'assistant').length;
      const tools = Array.isArray(body.tools) && body.tools.length;
      if (tools && turns === 1 && answered) gaps.push(now - answered);
      const write = tools && turns === 0;
      const block = write
        ? { type: 'tool_use', id: 'toolu_1', name: 'Write', input: {} }
        : { type: 'text', text: '' };
      const delta = write
        ? {
            type: 'input_json_delta',
            partial_json: JSON.stringify({
              file_path: path.join(lane, 'backend', 'bench.ts'),
              content: 'export const b = 1;\n',
            }),
          }
        : { type: 'text_delta', text: 'done' };
      const events = [
        [
          'message_start',
          {
            type: 'message_start',
            message: {
              id: 'm',
              type: 'message',
              role: 'assistant',
              model: 'claude-sonnet-4-5',
              content: [],
              stop_reason: null,
              stop_sequence: null,
              usage: { input_tokens: 10, output_tokens: 1 },
            },
          },
        ],
        ['content_block_start', { type: 'content_block_start', index: 0, content_block: block }],
        ['content_block_delta', { type: 'content_block_delta', index: 0, delta }],
        ['content_block_stop', { type: 'content_block_stop', index: 0 }],
        [
          'message_delta',
          {
            type: 'message_delta',
            delta: { stop_reason: write ? 'tool_use' : 'end_turn', stop_sequence: null },
            usage: { output_tokens: 5 },
          },
        ],
        ['message_stop', { type: 'message_stop' }],
      ];
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const [e, d] of events) res.write(`event: ${e}\ndata: ${JSON.stringify(d)}\n\n`);
      res.end(() => {
        if (write) answered = performance.now();
      });
    });
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () =>
      ok({ server, gaps, url: `http://127.0.0.1:${server.address().port}` }),
    ),
  );
}

async function session(hooks) {
  const m = await mock();
  const home = mkdtempSync(path.join(root, 'home-'));
  const args = [
    '-p',
    'go',
    '--output-format',
    'json',
    '--model',
    'claude-sonnet-4-5',
    '--allowedTools',
    'Write',
  ];
  if (!hooks) args.push('--settings', '{"disableAllHooks":true}');
  await new Promise((done) => {
    const p = spawn(claudeBin, args, {
      cwd: lane,
      stdio: 'ignore',
      env: {
        ...env,
        HOME: home,
        CLAUDE_CONFIG_DIR: path.join(home, '.claude'),
        ANTHROPIC_BASE_URL: m.url,
        ANTHROPIC_API_KEY: 'sk-bench',
        DISABLE_AUTOUPDATER: '1',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      },
    });
    p.on('close', done);
  });
  m.server.close();
  const file = path.join(lane, 'backend', 'bench.ts');
  if (!exists(file)) throw new Error(`the ${hooks ? 'hooked' : 'unhooked'} session wrote no file`);
  rmSync(file);
  if (m.gaps.length !== 1) throw new Error(`expected one gap, got ${m.gaps.length}`);
  return m.gaps[0];
}

const withHook = [];
const without = [];
for (let r = 0; r < CLAUDE_ROUNDS; r++) {
  without.push(await session(false));
  withHook.push(await session(true));
}
const nodeFloor = floor;
const hooked = median(withHook);
const bare = median(without);
const real = [
  `| Claude Code ${claudeVersion}, one allowed Write (median of ${CLAUDE_ROUNDS}, interleaved) | time | |`,
  '|---|---|---|',
  `| between the two model requests, every hook off | ${bare.toFixed(1)} ms | |`,
  `| between the two model requests, with lanes-hooks' hook | ${hooked.toFixed(1)} ms | |`,
  `| the hook's cost (difference) | ${(hooked - bare).toFixed(1)} ms | ${((hooked - bare) / nodeFloor).toFixed(2)}× node -e 0 |`,
].join('\n');
console.log(real);
writeFileSync(
  'bench/agent-hook.md',
  `# agent-hook cost (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')})\n\n${table}\n\n${real}\n`,
);
