// `lanes-hooks status` time with 5 and with 30 lanes (medians), and with the conflict radar at work:
// 30 lanes that each committed in their own paths, 6 of them also on one shared file (15 lane
// pairs to merge, each conflicting), integration moved on that file (every lane behind, 6 in
// conflict with it). "cold" deletes the radar's cache before each run (every merge-tree and diff
// computed); "warm" is a repeated status (all from the cache). And `lanes-hooks land` over 5 and 30
// lanes that are each claimed and pushed, one commit ahead in their own paths (the first in queue
// order lands, every other one is asked to rebase): `--dry-run`, and a real land (integration
// pushed) whose refs, here and on the hub, are put back after each run.
// Issue 31's targets ("status and land at 30 lanes"): a world of 30 delivery lanes, each claimed,
// one commit ahead in its own paths and pushed, 6 of them also on one shared file, then
// integration moved on that file and pushed (every lane behind it, the radar cold; the first lane
// in queue order rebased onto it, so land has one lane to land): `status` with the radar's cache
// deleted (≤ 1 s) and `land --dry-run` (≤ 2 s), in the same world.
// Each row has the median wall time and the median CPU time (user + sys of the CLI and every
// process it waited for, from bash's `time`: on a shared machine the figure that compares), and
// the load average when the row was measured.
// With --base <dist/lanes-hooks.mjs of another build>, every measurement alternates the two builds
// in the same worlds (a loaded machine's noise falls on both alike) and the table shows both.
// --only <text> measures only the rows whose name contains it (and builds only their worlds).
// Usage: npm run build && node bench/status.mjs [rounds] [--base <cli>] [--only <text>]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const argv = process.argv.slice(2);
const option = (name) => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv.splice(at, 2)[1] : null;
};
const baseArg = option('--base');
const base = baseArg ? path.resolve(baseArg) : null;
const only = option('--only') ?? '';
const rounds = Number(argv[0] ?? 7);
const cli = path.resolve('dist/lanes-hooks.mjs');
const builds = base ? { base, new: cli } : { new: cli };

/**
 * A bare hub, a coordinator with `lanes` roles set up (worktrees `gpuas-L<i>`) and, as asked:
 * `radar` (commits in every delivery lane, 6 also on shared/common.txt, integration moved on
 * it), `land` (every delivery lane claimed, one commit ahead, pushed), `targets` (both, 30
 * delivery lanes and no review role: issue 31's world).
 */
function world(lanes, { radar = false, land = false, targets = false } = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'lanes-bench-status-'));
  const gitconfig = path.join(root, '.gitconfig');
  writeFileSync(
    gitconfig,
    '[user]\n\tname = Bench\n\temail = bench@example.com\n[init]\n\tdefaultBranch = master\n[gc]\n\tauto = 0\n',
  );
  const env = { ...process.env, GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1' };
  for (const k of Object.keys(env)) if (/^GIT_(DIR|INDEX_FILE|WORK_TREE)$/.test(k)) delete env[k];
  const run = (cwd, cmd, ...args) =>
    execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const remote = path.join(root, 'remote.git');
  const coord = path.join(root, 'coordinator');
  run(root, 'git', 'init', '-q', '--bare', remote);
  run(root, 'git', 'clone', '-q', remote, coord);
  const review = (i) => !targets && i % 5 === 4;
  const roles = Object.fromEntries(
    Array.from({ length: lanes }, (_, i) => [
      `L${i}`,
      { kind: review(i) ? 'review' : 'delivery', paths: review(i) ? undefined : [`area${i}/**`] },
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
  const dirOf = (i) => path.join(root, `gpuas-L${i}`);
  // Commits without the hooks: the setup is not what is measured.
  const quiet = (dir, ...args) => run(dir, 'git', '-c', 'core.hooksPath=/dev/null', ...args);
  const commit = (dir, file, text) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
    quiet(dir, 'add', '--', file);
    quiet(dir, 'commit', '-q', '-m', `edit ${file}`);
  };
  const moveIntegration = () => {
    commit(coord, 'shared/common.txt', 'integration was here\n');
    quiet(coord, 'push', '-q', 'origin', 'master');
  };
  if (radar) {
    let conflicting = 0;
    for (let i = 0; i < lanes; i++) {
      if (review(i)) continue;
      commit(dirOf(i), `area${i}/work.ts`, `lane ${i}\n`);
      if (conflicting < 6) {
        commit(dirOf(i), 'shared/common.txt', `lane ${i} was here\n`);
        conflicting++;
      }
    }
    moveIntegration();
  }
  if (land || targets) {
    // Each delivery lane claimed (land's readiness asks for it), one commit ahead in its own
    // paths, pushed; in the targets' world also lanes 1, 6, 11, 16, 21, 26 on one shared file.
    for (let i = 0; i < lanes; i++) {
      if (review(i)) continue;
      const dir = dirOf(i);
      run(
        dir,
        process.execPath,
        cli,
        'queue',
        'claim',
        '--role',
        `L${i}`,
        '--owner',
        `agent-${i}`,
        '--branch',
        `agent/L${i}`,
      );
      commit(dir, `area${i}/work.ts`, `lane ${i}\n`);
      if (targets && i % 5 === 1) commit(dir, 'shared/common.txt', `lane ${i} was here\n`);
      quiet(dir, 'push', '-q', 'origin', 'HEAD');
    }
    run(coord, process.execPath, cli, 'sync');
    if (targets) {
      // Integration moves on the shared file (every lane behind it, 6 in conflict); the first lane
      // in queue order rebases onto it and pushes again: land has one lane to land.
      moveIntegration();
      quiet(dirOf(0), 'fetch', '-q', 'origin');
      quiet(dirOf(0), 'rebase', '-q', 'origin/master');
      quiet(dirOf(0), 'push', '-q', '-f', 'origin', 'HEAD');
    }
    quiet(coord, 'fetch', '-q', 'origin');
  }
  const refs = (dir) => run(dir, 'git', 'for-each-ref', '--format=%(objectname) %(refname)');
  const saved = (land || targets) && {
    here: refs(coord),
    hub: refs(remote),
    head: run(coord, 'git', 'rev-parse', 'HEAD').trim(),
  };
  // Put every ref back as it was (and the coordinator's checkout): the next land has the same work.
  const restore = () => {
    for (const [dir, before] of [
      [coord, saved.here],
      [remote, saved.hub],
    ]) {
      const had = new Map(
        before
          .trim()
          .split('\n')
          .map((l) => l.split(' ').reverse()),
      );
      const now = refs(dir)
        .trim()
        .split('\n')
        .map((l) => l.split(' ')[1]);
      const stdin = [
        ...now.filter((r) => !had.has(r)).map((r) => `delete ${r}\n`),
        ...[...had].map(([r, sha]) => `update ${r} ${sha}\n`),
      ].join('');
      execFileSync('git', ['-c', 'core.hooksPath=/dev/null', 'update-ref', '--stdin'], {
        cwd: dir,
        env,
        input: stdin,
      });
    }
    run(coord, 'git', 'reset', '-q', '--hard', saved.head);
  };
  const cache = path.join(coord, '.git', 'lanes-hooks', 'radar-cache.json');
  // Wall and CPU time (user + sys of the CLI and every process it waited for: bash's `time`).
  const timed = (bin, ...args) => {
    const r = spawnSync(
      'bash',
      [
        '-c',
        'TIMEFORMAT="%3R %3U %3S"; { time "$@" 2>&3; } 3>&2 2>&1 >&4',
        'bash',
        process.execPath,
        bin,
        ...args,
      ],
      { cwd: coord, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'] },
    );
    const out = r.output[4];
    if (r.status !== 0 && !out) throw new Error(`${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
    const [real, user, sys] = r.stdout.trim().split('\n').at(-1).split(' ').map(Number);
    return { ms: real * 1000, cpu: (user + sys) * 1000, out: JSON.parse(out) };
  };
  const status = (bin) => {
    const r = timed(bin, 'status', '--json');
    return { ...r, radar: r.out.radar };
  };
  return {
    root,
    dir: coord,
    env,
    time: (bin) => status(bin),
    cold: (bin) => {
      rmSync(cache, { force: true });
      return status(bin);
    },
    warm: (bin) => status(bin),
    dryRun: (bin) => timed(bin, 'land', '--dry-run', '--json'),
    land: (bin) => {
      const r = timed(bin, 'land', '--json');
      restore();
      return r;
    },
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// Worlds are built only for the rows measured (setup of 30 lanes takes a while).
const made = {};
const worlds = new Proxy(
  {
    5: () => world(5),
    30: () => world(30),
    radar: () => world(30, { radar: true }),
    land5: () => world(5, { land: true }),
    land30: () => world(30, { land: true }),
    targets: () => world(30, { targets: true }),
  },
  { get: (makers, k) => (made[k] ??= makers[k]()) },
);
const allRows = [
  [
    '30 delivery lanes, integration moved: status, radar cold (target ≤ 1 s)',
    (b) => worlds.targets.cold(b),
  ],
  [
    '30 delivery lanes, integration moved: land --dry-run (target ≤ 2 s)',
    (b) => worlds.targets.dryRun(b),
  ],
  ['5 lanes, no work in them', (b) => worlds[5].time(b)],
  ['30 lanes, no work in them', (b) => worlds[30].time(b)],
  ['30 lanes, radar cold (cache deleted)', (b) => worlds.radar.cold(b)],
  ['30 lanes, radar warm (a repeated status)', (b) => worlds.radar.warm(b)],
  ...[5, 30].flatMap((n) => [
    [`land --dry-run, ${n} lanes`, (b) => worlds[`land${n}`].dryRun(b)],
    [`land, ${n} lanes`, (b) => worlds[`land${n}`].land(b)],
  ]),
];
const rows = allRows.filter(([name]) => name.includes(only));
const times = new Map(rows.map(([name]) => [name, {}]));
const notes = new Map();
const loads = new Map();
for (let i = 0; i < rounds; i++) {
  for (const [name, f] of rows) {
    if (i === 0) {
      f(Object.values(builds)[0]); // untimed: the world's first run (file cache, status cache)
      loads.set(name, [os.loadavg()[0]]);
    }
    for (const [b, bin] of i % 2 ? Object.entries(builds).reverse() : Object.entries(builds)) {
      const r = f(bin);
      const t = (times.get(name)[b] ??= { ms: [], cpu: [] });
      t.ms.push(r.ms);
      t.cpu.push(r.cpu);
      if (r.radar)
        notes.set(
          `${name} ${b}`,
          `${r.radar.mergeTrees} merge-tree, ${r.radar.diffs} diffs, ${r.radar.cached} cached`,
        );
      if (r.out?.landed)
        notes.set(`${name} ${b}`, `${r.out.landed.length} landed, ${r.out.waiting.length} waiting`);
    }
    if (i === rounds - 1) loads.get(name).push(os.loadavg()[0]);
  }
}
console.log(
  `lanes-hooks status and land benchmark (${rounds} rounds, medians, ${os.cpus().length} cores, node ${process.version}, load ${os.loadavg()[0].toFixed(1)})\n`,
);
const names = Object.keys(builds);
console.log(
  `| \`lanes-hooks …\` | ${names.map((n) => `${n} build (cpu)`).join(' | ')} | work (${names.at(-1)}) | load |`,
);
console.log(`|---|${names.map(() => '---|').join('')}---|---|`);
for (const [name] of rows)
  console.log(
    `| ${name} | ${names.map((b) => `${median(times.get(name)[b].ms).toFixed(0)} ms (${median(times.get(name)[b].cpu).toFixed(0)} ms)`).join(' | ')} | ${notes.get(`${name} ${names.at(-1)}`) ?? 'none'} | ${loads
      .get(name)
      .map((l) => l.toFixed(1))
      .join(' → ')} |`,
  );
// BENCH_KEEP=1 keeps the worlds to look into (strace, perf) and prints where they are.
for (const [k, w] of Object.entries(made))
  if (process.env.BENCH_KEEP) console.log(`${k}: ${w.dir}`);
  else rmSync(w.root, { recursive: true, force: true });
