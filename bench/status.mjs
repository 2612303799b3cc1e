// `lanes-hooks status` time with 5 and with 30 lanes (medians). Prints a Markdown table.
// Usage: npm run build && node bench/status.mjs [rounds]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const rounds = Number(process.argv[2] ?? 7);
const cli = path.resolve('dist/lanes-hooks.mjs');

function world(lanes) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'lanes-bench-status-'));
  const gitconfig = path.join(root, '.gitconfig');
  writeFileSync(
    gitconfig,
    '[user]\n\tname = Bench\n\temail = bench@example.com\n[init]\n\tdefaultBranch = master\n',
  );
  const env = { ...process.env, GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1' };
  const run = (cwd, cmd, ...args) => execFileSync(cmd, args, { cwd, env, encoding: 'utf8' });
  const remote = path.join(root, 'remote.git');
  const coord = path.join(root, 'coordinator');
  run(root, 'git', 'init', '-q', '--bare', remote);
  run(root, 'git', 'clone', '-q', remote, coord);
  const roles = Object.fromEntries(
    Array.from({ length: lanes }, (_, i) => [
      `L${i}`,
      {
        kind: i % 5 === 4 ? 'review' : 'delivery',
        paths: i % 5 === 4 ? undefined : [`area${i}/**`],
      },
    ]),
  );
  writeFileSync(path.join(coord, '.lanesrc.json'), JSON.stringify({ roles }, null, 2));
  run(coord, 'git', 'add', '-A');
  run(coord, 'git', 'commit', '-q', '-m', 'init');
  run(coord, 'git', 'push', '-q', 'origin', 'master');
  run(coord, process.execPath, cli, 'setup');
  return {
    time: () => {
      const t = process.hrtime.bigint();
      run(coord, process.execPath, cli, 'status', '--json');
      return Number(process.hrtime.bigint() - t) / 1e6;
    },
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const worlds = { 5: world(5), 30: world(30) };
const times = { 5: [], 30: [] };
for (let i = 0; i < rounds; i++) for (const n of [5, 30]) times[n].push(worlds[n].time());
console.log(
  `lanes-hooks status benchmark (${rounds} rounds, medians, ${os.cpus().length} cores, node ${process.version})\n`,
);
console.log('| lanes | `status --json` |');
console.log('|---|---|');
for (const n of [5, 30]) console.log(`| ${n} | ${median(times[n]).toFixed(0)} ms |`);
