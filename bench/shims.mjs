// npm run bench:shims — what each lanes-hooks shim costs per call in its common no-op cases,
// against an `exit 0` script (the least git can pay for running a hook at all). Each case runs
// the installed shim N times from one sh loop, as git would call it (same argv, stdin, GIT_DIR
// and working directory), so Node's own start-up is not in the numbers. Medians of rounds.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CALLS = Number(process.env.BENCH_CALLS ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CLI = path.resolve('dist/lanes-hooks.mjs');
const root = mkdtempSync(path.join(os.tmpdir(), 'lanes-bench-shims-'));
const gitconfig = path.join(root, '.gitconfig');
writeFileSync(gitconfig, '[user]\n\tname = B\n\temail = b@e\n[init]\n\tdefaultBranch = master\n');
const env = { ...process.env, GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1' };
const run = (cwd, cmd, ...args) => execFileSync(cmd, args, { cwd, env, encoding: 'utf8' }).trim();
const remote = path.join(root, 'remote.git');
const coord = path.join(root, 'coordinator');
run(root, 'git', 'init', '-q', '--bare', remote);
run(root, 'git', 'clone', '-q', remote, coord);
run(coord, process.execPath, CLI, 'init');
run(coord, 'git', 'add', '-A');
run(coord, 'git', 'commit', '-q', '-m', 'init');
run(coord, 'git', 'push', '-q', 'origin', 'master');
run(coord, process.execPath, CLI, 'install');
run(coord, process.execPath, CLI, 'setup');
// init names the lanes after the repository (`../coordinator-{role}`): ask git where setup put it.
const lane = run(coord, 'git', 'worktree', 'list', '--porcelain')
  .split('\n')
  .filter((l) => l.startsWith('worktree ') && l.endsWith('-A-backend'))
  .map((l) => l.slice('worktree '.length))[0];
const gitDir = run(lane, 'git', 'rev-parse', '--absolute-git-dir');
const hooks = path.join(
  run(coord, 'git', 'rev-parse', '--absolute-git-dir'),
  'lanes-hooks',
  'hooks',
);
const sha = run(lane, 'git', 'rev-parse', 'HEAD');
const old = run(lane, 'git', 'rev-parse', 'HEAD');
const floor = path.join(root, 'exit0');
writeFileSync(floor, '#!/bin/sh\nexit 0\n');
chmodSync(floor, 0o755);
const zero = '0'.repeat(40);
const cases = [
  [
    'reference-transaction committed (a commit)',
    'reference-transaction',
    ['committed'],
    `${old} ${sha} HEAD\n${old} ${sha} refs/heads/agent/A-backend\n`,
  ],
  [
    'reference-transaction aborted',
    'reference-transaction',
    ['aborted'],
    `${zero} ${zero} ORIG_HEAD\n`,
  ],
  [
    'reference-transaction prepared, fetch (remote-tracking ref)',
    'reference-transaction',
    ['prepared'],
    `${zero} ${sha} refs/remotes/origin/topic\n`,
  ],
  [
    'reference-transaction prepared, HEAD-only move in a rebase',
    'reference-transaction',
    ['prepared'],
    `${old} ${sha} HEAD\n`,
    'rebase',
  ],
  [
    'reference-transaction prepared, commit on the lane branch',
    'reference-transaction',
    ['prepared'],
    `${old} ${sha} HEAD\n${old} ${sha} refs/heads/agent/A-backend\n`,
  ],
  ['post-checkout, switching branches', 'post-checkout', [old, sha, '1'], ''],
  ['post-checkout, file checkout', 'post-checkout', [old, sha, '0'], ''],
];
function time(script, args, input, state) {
  const inputFile = path.join(root, 'input');
  writeFileSync(inputFile, input);
  if (state === 'rebase') mkdirSync(path.join(gitDir, 'rebase-merge'), { recursive: true });
  const argv = args.map((a) => `'${a}'`).join(' ');
  const loop = `i=0; while [ $i -lt ${CALLS} ]; do '${script}' ${argv} < '${inputFile}' >/dev/null; i=$((i+1)); done`;
  const t = process.hrtime.bigint();
  execFileSync('sh', ['-c', loop], { cwd: lane, env: { ...env, GIT_DIR: gitDir } });
  const ms = Number(process.hrtime.bigint() - t) / 1e6 / CALLS;
  if (state === 'rebase') rmSync(path.join(gitDir, 'rebase-merge'), { recursive: true });
  return ms;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = cases.map(([name, hook, args, input, state]) => {
  const ours = [];
  const base = [];
  for (let r = 0; r < ROUNDS; r++) {
    base.push(time(floor, args, input, state));
    ours.push(time(path.join(hooks, hook), args, input, state));
  }
  return [name, median(base), median(ours)];
});
const table = [
  `| call (median of ${ROUNDS} × ${CALLS} calls) | exit 0 | lanes-hooks | extra per call | ÷ exit 0 |`,
  '|---|---|---|---|---|',
  ...rows.map(
    ([n, b, o]) =>
      `| ${n} | ${b.toFixed(2)} ms | ${o.toFixed(2)} ms | ${(o - b).toFixed(2)} ms | ${(o / b).toFixed(2)}× |`,
  ),
].join('\n');
console.log(table);
writeFileSync(
  'bench/shims.md',
  `# lanes-hooks shims per call (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores)\n\n${table}\n`,
);
