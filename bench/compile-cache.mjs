// node bench/compile-cache.mjs — does Node's module compile cache (issues 29 and 31) cut the CPU a
// process start costs: our CLI and one hook run under the pinned Node 22 and 24 (and 20, where
// module.enableCompileCache does not exist), and the agent binaries the tests start? Each case
// runs in every variant, interleaved, BENCH_ROUNDS times (default 21); CPU is user + system of
// the child and everything it waited for, from this process's cutime/cstime in /proc/self/stat
// (the kernel adds each reaped child's exact times there; only the printed total is rounded to a
// clock tick, so the mean over the rounds is exact to 10 ms / rounds). Prints a Markdown table
// and writes bench/compile-cache.md. Never asserted in tests.
//
// The compile cache (nodejs.org/api/module.html#module-compile-cache, added in v22.1.0):
// NODE_COMPILE_CACHE=dir or module.enableCompileCache() makes Node keep V8's code cache of every
// CommonJS or ES module it compiles *after* the cache is enabled, in dir/<node version>-<arch>-
// <V8 cache tag>-<uid>/<crc32 of path and module type>; a cached entry is used when its header's
// source size and CRC32 match the module's source (src/compile_cache.cc, ReadCacheFile).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { NODE_VERSIONS, pinnedNode } from '../scripts/node-cache.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21);
const require = createRequire(import.meta.url);
const CLI = path.resolve('dist/lanes-hooks.mjs');
const root = mkdtempSync(path.join(os.tmpdir(), 'lanes-bench-cc-'));
const nodes = {
  20: process.execPath,
  22: pinnedNode(NODE_VERSIONS[22]),
  24: pinnedNode(NODE_VERSIONS[24]),
};
if (!process.version.startsWith('v20.')) throw new Error('run this under Node 20 (the floor)');

// The product change under test, as a copy of the bundle: `module.enableCompileCache?.()` as the
// first statement of dist/lanes-hooks.mjs (after the banner), and the same call in the CommonJS
// light entry before it imports the full CLI (agents/fast.ts).
const withCall = path.join(root, 'dist-call');
mkdirSync(withCall);
// A default import: a named import of enableCompileCache would be a SyntaxError on Node 20.
const CALL = "import __lanesModule from 'node:module'; __lanesModule.enableCompileCache?.();";
const bundle = readFileSync(CLI, 'utf8').split('\n');
bundle.splice(2, 0, CALL);
writeFileSync(path.join(withCall, 'lanes-hooks.mjs'), bundle.join('\n'));
writeFileSync(
  path.join(withCall, 'agent-hook.cjs'),
  "require('node:module').enableCompileCache?.();\n" +
    readFileSync(path.resolve('dist/agent-hook.cjs'), 'utf8'),
);

// A lane to run the hook in: the CLI's own setup, as bench/agent-hook.mjs makes it.
const gitconfig = path.join(root, '.gitconfig');
writeFileSync(
  gitconfig,
  '[user]\n\tname = Bench\n\temail = b@example.com\n[init]\n\tdefaultBranch = master\n',
);
const env = { ...process.env, GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1' };
delete env.NODE_COMPILE_CACHE;
delete env.NODE_DISABLE_COMPILE_CACHE;
const must = (cwd, cmd, ...args) => {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const coord = path.join(root, 'coordinator');
must(root, 'git', 'init', '-q', '--bare', path.join(root, 'remote.git'));
must(root, 'git', 'clone', '-q', path.join(root, 'remote.git'), coord);
writeFileSync(path.join(coord, 'README.md'), 'x\n');
must(coord, process.execPath, CLI, 'init');
must(coord, 'git', 'add', '-A');
must(coord, 'git', 'commit', '-q', '-m', 'init');
must(coord, 'git', 'push', '-q', 'origin', 'master');
must(coord, process.execPath, CLI, 'setup');
const lane = path.join(root, 'coordinator-A-backend');
const refused = JSON.stringify({
  session_id: 'bench',
  transcript_path: '/dev/null',
  cwd: lane,
  permission_mode: 'default',
  hook_event_name: 'PreToolUse',
  tool_name: 'Edit',
  tool_input: { file_path: path.join(lane, 'web/app.tsx'), old_string: 'a', new_string: 'b' },
  tool_use_id: 'toolu_bench',
});

const QWEN = path.join(
  path.dirname(require.resolve('@qwen-code/qwen-code/package.json')),
  'cli.js',
);
const GEMINI = path.resolve('node_modules/@google/gemini-cli/bundle/gemini.js');

/** The variants: how the cache is (not) enabled; `dir` a fresh cache directory each. */
const off = { name: 'off', env: {} };
const envVar = () => ({
  name: 'NODE_COMPILE_CACHE',
  env: { NODE_COMPILE_CACHE: mkdtempSync(path.join(root, 'cc-')) },
});

/** [label, variants: [name, argv, env, input][]] */
const cases = [];
for (const v of [20, 22, 24]) {
  const n = nodes[v];
  const cc = envVar();
  // The in-bundle call writes to Node's default, os.tmpdir()/node-compile-cache: a TMPDIR of its
  // own keeps this run out of the machine's.
  const tmp = mkdtempSync(path.join(root, 'tmp-'));
  const call = { TMPDIR: tmp };
  cases.push([
    `Node ${v}: lanes-hooks --version`,
    [
      ['off', [n, CLI, '--version'], off.env],
      ['NODE_COMPILE_CACHE', [n, CLI, '--version'], cc.env],
      [
        'enableCompileCache() in the bundle',
        [n, path.join(withCall, 'lanes-hooks.mjs'), '--version'],
        call,
      ],
    ],
  ]);
  // The light entry loads the full CLI for a refusal: the call in the light entry comes before.
  cases.push([
    `Node ${v}: agent-hook, refused edit (light entry, then the full CLI)`,
    [
      ['off', [n, path.resolve('dist/agent-hook.cjs'), 'claude'], off.env, refused],
      ['NODE_COMPILE_CACHE', [n, path.resolve('dist/agent-hook.cjs'), 'claude'], cc.env, refused],
      [
        'enableCompileCache() in the bundle',
        [n, path.join(withCall, 'agent-hook.cjs'), 'claude'],
        call,
        refused,
      ],
    ],
  ]);
}
// The agent binaries that are JavaScript run by Node (Claude Code, Codex's, Copilot's and
// OpenCode's real work is native): Qwen Code under Node 22 as agent-bins.ts runs it, Gemini CLI
// under the machine's Node 20 (a control: there the variable does nothing). `--help` loads the CLI; GEMINI_CLI_NO_RELAUNCH
// skips the relaunch into a second Node process.
const gem = { GEMINI_CLI_NO_RELAUNCH: 'true', HOME: mkdtempSync(path.join(root, 'home-')) };
for (const [label, argv, extra] of [
  ['Qwen Code --help (Node 22)', [nodes[22], QWEN, '--help'], {}],
  ['Gemini CLI --help (Node 20)', [nodes[20], GEMINI, '--help'], gem],
]) {
  const cc = envVar();
  cases.push([
    label,
    [
      ['off', argv, extra],
      ['NODE_COMPILE_CACHE', argv, { ...extra, ...cc.env }],
    ],
  ]);
}

const childCpu = () => {
  // /proc/self/stat: fields after the command's closing parenthesis; cutime and cstime are the
  // 16th and 17th fields of the line (14th and 15th after it), in clock ticks (100 per second).
  const after = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(after[13]) + Number(after[14])) * 10;
};
const runOnce = ([, argv, extra, input]) => {
  const before = childCpu();
  const r = spawnSync(argv[0], argv.slice(1), {
    cwd: lane,
    env: { ...env, ...extra },
    input: input ?? '',
    encoding: 'utf8',
  });
  const ms = childCpu() - before;
  return { ms, status: r.status, out: r.stdout + r.stderr };
};

// One warm-up run of each variant fills its cache (and checks that every variant gives the same
// exit code as the uncached run).
for (const [label, variants] of cases) {
  const codes = variants.map((v) => runOnce(v).status);
  if (new Set(codes).size !== 1) throw new Error(`${label}: exit codes differ: ${codes}`);
}
const cpu = cases.map(([, vs]) => vs.map(() => []));
for (let r = 0; r < ROUNDS; r++)
  cases.forEach(([, vs], i) => vs.forEach((v, j) => cpu[i][j].push(runOnce(v).ms)));

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
cases.forEach(([label, vs], i) =>
  vs.forEach(([name], j) => {
    const m = mean(cpu[i][j]);
    const base = mean(cpu[i][0]);
    rows.push(
      `| ${j ? '' : label} | ${name} | ${m.toFixed(0)} ms | ${median(cpu[i][j]).toFixed(0)} ms | ${j ? `${(((m - base) / base) * 100).toFixed(0)} %` : ''} |`,
    );
  }),
);
const table = [
  `| process (CPU: user + system, ${ROUNDS} interleaved rounds) | compile cache | mean | median | vs. off |`,
  '|---|---|---|---|---|',
  ...rows,
].join('\n');
const load = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
const text = `# Node's compile cache (${new Date().toISOString().slice(0, 16)} UTC, ${os.cpus().length} cores, load ${load} at the end)\n\nWhat the numbers decided: docs/speed.md, "Node's compile cache: measured, not used".\n\n${table}\n`;
console.log(text);
writeFileSync('bench/compile-cache.md', text);
rmSync(root, { recursive: true, force: true });
