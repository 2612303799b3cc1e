// `lanes-hooks dashboard` in a real headless Chromium, with 5 and with 30 lanes (a review lane in
// every five, each delivery lane one commit ahead): first paint (navigation start to the cards on
// the page, from the page's own `lanes:cards` performance mark; median of the rounds) and update
// latency (a commit in a lane, timed from when git has moved the ref, until the open page shows
// the new HEAD; median of the rounds). The dashboard polls at its default interval (1 s), so the
// latency includes up to one interval of waiting. `status --json` is timed alongside as the
// baseline of the moment (the machine may be busy). Prints a Markdown table.
// Writes bench/dashboard.md too.
// Usage: npm run bench:dashboard -- [rounds], or node bench/dashboard.mjs   (needs /usr/bin/chromium)
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const rounds = Number(process.argv[2] ?? 5);
const cli = path.resolve('dist/lanes-hooks.mjs');
const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} is missing: apt-get install chromium`);
  process.exit(2);
}

function world(lanes) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'lanes-bench-dash-'));
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
      i % 5 === 4 ? { kind: 'review' } : { kind: 'delivery', paths: [`area${i}/**`] },
    ]),
  );
  writeFileSync(path.join(coord, '.lanesrc.json'), JSON.stringify({ roles }, null, 2));
  writeFileSync(path.join(coord, 'common.txt'), 'x\n');
  run(coord, 'git', 'add', '-A');
  run(coord, 'git', 'commit', '-q', '-m', 'init');
  run(coord, 'git', 'push', '-q', 'origin', 'master');
  run(coord, process.execPath, cli, 'setup');
  // Commits without the hooks: the setup is not what is measured.
  let n = 0;
  const commit = (dir, file) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), `${n++}\n`);
    run(dir, 'git', 'add', '--', file);
    run(dir, 'git', '-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', `edit ${file}`);
    return run(dir, 'git', 'rev-parse', 'HEAD').trim();
  };
  for (let i = 0; i < lanes; i++)
    if (i % 5 !== 4) commit(path.join(root, `gpuas-L${i}`), `area${i}/work.ts`);
  return { root, coord, env, run, commit, lane: (i) => path.join(root, `gpuas-L${i}`) };
}

function startDashboard(w) {
  const proc = spawn(process.execPath, [cli, 'dashboard', '--no-open'], {
    cwd: w.coord,
    env: w.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(out);
      if (m) resolve({ proc, url: m[1] });
    });
    proc.once('exit', (code) => reject(new Error(`dashboard exited ${code}: ${out}`)));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(lanes, browser) {
  const w = world(lanes);
  const dash = await startDashboard(w);
  const cards = lanes + 1; // and the coordinator's
  const paints = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const page = await browser.newPage();
      await page.goto(dash.url);
      await page.waitForFunction(
        (n) => document.querySelectorAll('#lanes [data-role]').length === n,
        cards,
      );
      paints.push(
        await page.evaluate(() => performance.getEntriesByName('lanes:cards')[0].startTime),
      );
      await page.close();
    }
    const page = await browser.newPage();
    await page.goto(dash.url);
    await page.waitForFunction(
      (n) => document.querySelectorAll('#lanes [data-role]').length === n,
      cards,
    );
    const updates = [];
    for (let i = 0; i < rounds; i++) {
      const dir = w.lane(i % 5 === 4 ? 0 : i % lanes);
      const role = path.basename(dir).replace('gpuas-', '');
      const head = w.commit(dir, `area${role.slice(1)}/more${i}.ts`);
      const t0 = performance.now();
      await page.waitForFunction(
        ([r, h]) =>
          document.querySelector(`#lanes [data-role="${r}"] [data-field="head"]`)?.textContent ===
          h,
        [role, head.slice(0, 7)],
        { timeout: 60_000, polling: 'raf' },
      );
      updates.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 700)); // not in step with the poll
    }
    await page.close();
    const statusMs = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      w.run(w.coord, process.execPath, cli, 'status', '--json');
      statusMs.push(performance.now() - t);
    }
    return { lanes, paint: median(paints), update: median(updates), status: median(statusMs) };
  } finally {
    dash.proc.kill('SIGINT');
  }
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const rows = [];
try {
  for (const lanes of [5, 30]) rows.push(await measure(lanes, browser));
} finally {
  await browser.close();
}
const lines = [
  `# dashboard (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)})`,
  '',
  `Median of ${rounds} rounds; the dashboard polls at its default interval (1 s), so an update waits up to one interval before the model is recomputed. \`status --json\` is the baseline of the same moment.`,
  '',
  '| lanes | first paint (navigation → cards) | update latency (commit → new HEAD on the page) | status --json (CLI, baseline) |',
  '| ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.lanes} | ${r.paint.toFixed(0)} ms | ${r.update.toFixed(0)} ms | ${r.status.toFixed(0)} ms |`,
  ),
];
console.log(lines.join('\n'));
writeFileSync('bench/dashboard.md', lines.join('\n') + '\n');
