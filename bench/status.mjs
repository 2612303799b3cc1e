// `lanes-hooks status` time with 5 and with 30 lanes (medians), and with the conflict radar at work:
// 30 lanes that each committed in their own paths, 6 of them also on one shared file (15 lane
// pairs to merge, each conflicting), integration moved on that file (every lane behind, 6 in
// conflict with it). "cold" deletes the radar's cache before each run (every merge-tree and diff
// computed); "warm" is a repeated status (all from the cache). Prints a Markdown table.
// Usage: npm run build && node bench/status.mjs [rounds]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const rounds = Number(process.argv[2] ?? 7);
const cli = path.resolve('dist/lanes-hooks.mjs');

function world(lanes, { radar = false } = {}) {
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
  writeFileSync(
    path.join(coord, '.lanesrc.json'),
    JSON.stringify({ roles, shared: ['shared/**'] }, null, 2),
  );
  writeFileSync(path.join(coord, 'common.txt'), 'x\n');
  run(coord, 'git', 'add', '-A');
  run(coord, 'git', 'commit', '-q', '-m', 'init');
  run(coord, 'git', 'push', '-q', 'origin', 'master');
  run(coord, process.execPath, cli, 'setup');
  let conflicting = 0;
  if (radar) {
    // Commits without the hooks: the setup is not what is measured.
    const commit = (dir, file, text) => {
      execFileSync('mkdir', ['-p', path.dirname(path.join(dir, file))]);
      writeFileSync(path.join(dir, file), text);
      run(dir, 'git', 'add', '--', file);
      run(dir, 'git', '-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', `edit ${file}`);
    };
    for (let i = 0; i < lanes; i++) {
      if (i % 5 === 4) continue;
      const dir = path.join(root, `gpuas-L${i}`);
      commit(dir, `area${i}/work.ts`, `lane ${i}\n`);
      if (conflicting < 6) {
        commit(dir, 'shared/common.txt', `lane ${i} was here\n`);
        conflicting++;
      }
    }
    commit(coord, 'shared/common.txt', 'integration was here\n');
    run(coord, 'git', 'push', '-q', 'origin', 'master');
  }
  const cache = path.join(coord, '.git', 'lanes-hooks', 'radar-cache.json');
  const once = () => {
    const t = process.hrtime.bigint();
    const out = run(coord, process.execPath, cli, 'status', '--json');
    return { ms: Number(process.hrtime.bigint() - t) / 1e6, radar: JSON.parse(out).radar };
  };
  return {
    time: () => once().ms,
    cold: () => {
      rmSync(cache, { force: true });
      return once();
    },
    warm: () => once(),
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const worlds = { 5: world(5), 30: world(30), radar: world(30, { radar: true }) };
const times = { 5: [], 30: [], cold: [], warm: [] };
let coldWork, warmWork;
for (let i = 0; i < rounds; i++) {
  for (const n of [5, 30]) times[n].push(worlds[n].time());
  const c = worlds.radar.cold();
  times.cold.push(c.ms);
  coldWork = c.radar;
  const w = worlds.radar.warm();
  times.warm.push(w.ms);
  warmWork = w.radar;
}
const work = (r) => `${r.mergeTrees} merge-tree, ${r.diffs} diffs, ${r.cached} cached`;
console.log(
  `lanes-hooks status benchmark (${rounds} rounds, medians, ${os.cpus().length} cores, node ${process.version}, load ${os.loadavg()[0].toFixed(1)})\n`,
);
console.log('| `lanes-hooks status --json` | time | radar work |');
console.log('|---|---|---|');
for (const n of [5, 30])
  console.log(`| ${n} lanes, no work in them | ${median(times[n]).toFixed(0)} ms | none |`);
console.log(
  `| 30 lanes, radar cold (cache deleted) | ${median(times.cold).toFixed(0)} ms | ${work(coldWork)} |`,
);
console.log(
  `| 30 lanes, radar warm (a repeated status) | ${median(times.warm).toFixed(0)} ms | ${work(warmWork)} |`,
);
