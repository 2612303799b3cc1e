// Cost of the lanes hooks against git with no hooks, in a delivery lane: one commit, and a
// 30-commit rebase. Runs the two interleaved and prints a Markdown table of medians.
// Usage: npm run build && node bench/core.mjs [rounds]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const rounds = Number(process.argv[2] ?? 9);
const cli = path.resolve('dist/lanes-hooks.mjs');
const root = mkdtempSync(path.join(os.tmpdir(), 'lanes-bench-'));
const gitconfig = path.join(root, '.gitconfig');
writeFileSync(
  gitconfig,
  '[user]\n\tname = Bench\n\temail = bench@example.com\n[init]\n\tdefaultBranch = master\n',
);
const env = { ...process.env, GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1' };
for (const k of Object.keys(env)) if (/^GIT_(DIR|INDEX_FILE|WORK_TREE)$/.test(k)) delete env[k];

const git = (cwd, ...args) => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
const write = (dir, f) => (
  mkdirSync(path.dirname(path.join(dir, f)), { recursive: true }),
  writeFileSync(path.join(dir, f), `${f} ${Math.random()}\n`)
);
const NO_HOOKS = ['-c', 'core.hooksPath=/dev/null'];

// World: coordinator with hooks, lane A-backend.
const coord = path.join(root, 'coordinator');
git(root, 'init', '-q', coord);
execFileSync(process.execPath, [cli, 'init'], { cwd: coord, env });
write(coord, 'backend/app.ts');
git(coord, 'add', '-A');
git(coord, 'commit', '-q', '-m', 'initial');
execFileSync(process.execPath, [cli, 'install'], { cwd: coord, env });
const lane = path.join(root, 'gpuas-A-backend');
git(coord, 'worktree', 'add', '-q', '-b', 'agent/A-backend', lane);
execFileSync(process.execPath, [cli, 'install', '--role', 'A-backend'], { cwd: lane, env });

function time(fn) {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function commitOnce(extra) {
  write(lane, 'backend/bench.ts');
  git(lane, 'add', 'backend/bench.ts');
  return time(() => {
    const r = spawnSync('git', [...extra, 'commit', '-q', '-m', 'bench'], { cwd: lane, env });
    if (r.status !== 0) throw new Error(r.stderr.toString());
  });
}

// 30 lane commits on top of master~; each round moves master and rebases the lane onto it.
let n = 0;
function rebaseOnce(extra) {
  git(lane, ...NO_HOOKS, 'reset', '-q', '--hard', 'master');
  for (let i = 0; i < 30; i++) {
    write(lane, `backend/r${i}.ts`);
    git(lane, ...NO_HOOKS, 'add', '-A');
    git(lane, ...NO_HOOKS, 'commit', '-q', '-m', `r${i}`);
  }
  write(coord, `docs/move-${n++}.md`);
  git(coord, ...NO_HOOKS, 'add', '-A');
  git(coord, ...NO_HOOKS, 'commit', '-q', '-m', 'move master');
  return time(() => {
    const r = spawnSync('git', [...extra, 'rebase', '-q', 'master'], { cwd: lane, env });
    if (r.status !== 0) throw new Error(r.stderr.toString());
  });
}

const results = { commit: { none: [], lanes: [] }, rebase: { none: [], lanes: [] } };
for (let i = 0; i < rounds; i++) {
  results.commit.none.push(commitOnce(NO_HOOKS));
  results.commit.lanes.push(commitOnce([]));
}
for (let i = 0; i < Math.max(3, Math.ceil(rounds / 2)); i++) {
  results.rebase.none.push(rebaseOnce(NO_HOOKS));
  results.rebase.lanes.push(rebaseOnce([]));
}

const row = (name, r) => {
  const [a, b] = [median(r.none), median(r.lanes)];
  return `| ${name} | ${a.toFixed(1)} ms | ${b.toFixed(1)} ms | ${(b / a).toFixed(1)}× |`;
};
console.log(
  `lanes-hooks core benchmark (${rounds} rounds, medians, ${os.cpus().length} cores, node ${process.version})\n`,
);
console.log('| operation in a delivery lane | no hooks | lanes-hooks | ratio |');
console.log('|---|---|---|---|');
console.log(row('git commit, one in-scope file', results.commit));
console.log(row('git rebase of 30 commits', results.rebase));
