// `lanes-hooks status` time with 5 and with 30 lanes (medians), and with the conflict radar at work:
// 30 lanes that each committed in their own paths, 6 of them also on one shared file (15 lane
// pairs to merge, each conflicting), integration moved on that file (every lane behind, 6 in
// conflict with it). "cold" deletes the radar's cache before each run (every merge-tree and diff
// computed); "warm" is a repeated status (all from the cache). And `lanes-hooks land` over 5 and 30
// lanes that are each claimed and pushed, one commit ahead in their own paths (the first in queue
// order lands, every other one is asked to rebase): `--dry-run`, and a real land (integration
// pushed) whose refs, here and on the hub, are put back after each run. Prints a Markdown table.
// With --base <dist/lanes-hooks.mjs of another build>, every measurement alternates the two builds
// in the same worlds (a loaded machine's noise falls on both alike) and the table shows both.
// Usage: npm run build && node bench/status.mjs [rounds] [--base <cli>]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const argv = process.argv.slice(2);
const baseAt = argv.indexOf('--base');
const base = baseAt >= 0 ? path.resolve(argv.splice(baseAt, 2)[1]) : null;
const rounds = Number(argv[0] ?? 7);
const cli = path.resolve('dist/lanes-hooks.mjs');
const builds = base ? { base, new: cli } : { new: cli };

function world(lanes, { radar = false, land = false } = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'lanes-bench-status-'));
  const gitconfig = path.join(root, '.gitconfig');
  writeFileSync(
    gitconfig,
    '[user]\n\tname = Bench\n\temail = bench@example.com\n[init]\n\tdefaultBranch = master\n',
  );
  const env = { ...process.env, GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1' };
  const run = (cwd, cmd, ...args) =>
    execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
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
  if (land) {
    // Each delivery lane claimed, one commit ahead in its own paths, pushed (hooks off: the
    // setup is not what is measured; the claim is what land's readiness asks for).
    for (let i = 0; i < lanes; i++) {
      if (i % 5 === 4) continue;
      const dir = path.join(root, `gpuas-L${i}`);
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
      execFileSync('mkdir', ['-p', path.join(dir, `area${i}`)]);
      writeFileSync(path.join(dir, `area${i}`, 'work.ts'), `lane ${i}\n`);
      run(dir, 'git', 'add', '-A');
      run(dir, 'git', '-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', `lane ${i}`);
      run(dir, 'git', '-c', 'core.hooksPath=/dev/null', 'push', '-q', 'origin', 'HEAD');
    }
    run(coord, 'git', 'fetch', '-q', 'origin');
  }
  const refs = (dir) => run(dir, 'git', 'for-each-ref', '--format=%(objectname) %(refname)');
  const saved = land && {
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
  const timed = (bin, ...args) => {
    const t = process.hrtime.bigint();
    const out = run(coord, process.execPath, bin, ...args);
    return { ms: Number(process.hrtime.bigint() - t) / 1e6, out: JSON.parse(out) };
  };
  const once = (bin) => {
    const r = timed(bin, 'status', '--json');
    return { ms: r.ms, radar: r.out.radar };
  };
  return {
    time: (bin) => once(bin).ms,
    cold: (bin) => {
      rmSync(cache, { force: true });
      return once(bin);
    },
    warm: (bin) => once(bin),
    dryRun: (bin) => timed(bin, 'land', '--dry-run', '--json'),
    land: (bin) => {
      const r = timed(bin, 'land', '--json');
      restore();
      return r;
    },
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const worlds = {
  5: world(5),
  30: world(30),
  radar: world(30, { radar: true }),
  land5: world(5, { land: true }),
  land30: world(30, { land: true }),
};
const rows = [
  ['5 lanes, no work in them', (b) => worlds[5].time(b)],
  ['30 lanes, no work in them', (b) => worlds[30].time(b)],
  ['30 lanes, radar cold (cache deleted)', (b) => worlds.radar.cold(b)],
  ['30 lanes, radar warm (a repeated status)', (b) => worlds.radar.warm(b)],
];
const landRows = [5, 30].flatMap((n) => [
  [`land --dry-run, ${n} lanes`, (b) => worlds[`land${n}`].dryRun(b)],
  [`land, ${n} lanes`, (b) => worlds[`land${n}`].land(b)],
]);
const times = new Map([...rows, ...landRows].map(([name]) => [name, {}]));
const notes = new Map();
for (let i = 0; i < rounds; i++) {
  for (const [name, f] of [...rows, ...landRows])
    for (const [b, bin] of i % 2 ? Object.entries(builds).reverse() : Object.entries(builds)) {
      const r = f(bin);
      const ms = typeof r === 'number' ? r : r.ms;
      (times.get(name)[b] ??= []).push(ms);
      if (r.radar)
        notes.set(
          `${name} ${b}`,
          `${r.radar.mergeTrees} merge-tree, ${r.radar.diffs} diffs, ${r.radar.cached} cached`,
        );
      if (r.out?.landed)
        notes.set(`${name} ${b}`, `${r.out.landed.length} landed, ${r.out.waiting.length} waiting`);
    }
}
console.log(
  `lanes-hooks status and land benchmark (${rounds} rounds, medians, ${os.cpus().length} cores, node ${process.version}, load ${os.loadavg()[0].toFixed(1)})\n`,
);
const names = Object.keys(builds);
console.log(
  `| \`lanes-hooks …\` | ${names.map((n) => `${n} build`).join(' | ')} | work (${names.at(-1)}) |`,
);
console.log(`|---|${names.map(() => '---|').join('')}---|`);
for (const [name] of [...rows, ...landRows])
  console.log(
    `| ${name} | ${names.map((b) => `${median(times.get(name)[b]).toFixed(0)} ms`).join(' | ')} | ${notes.get(`${name} ${names.at(-1)}`) ?? 'none'} |`,
  );
