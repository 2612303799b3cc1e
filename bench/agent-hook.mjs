// npm run bench:agent — what agent-hook costs a coding agent per file write, against the floor of
// starting Node once (`node -e 0`) and of loading the bundle (`--version`). Interleaved rounds,
// medians; prints a Markdown table and writes bench/agent-hook.md. Never asserted in tests.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
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
const lane = path.join(root, 'gpuas-A-backend');

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
  'agent-hook.mjs',
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
writeFileSync(
  'bench/agent-hook.md',
  `# agent-hook cost (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores)\n\n${table}\n`,
);
