// The dashboard at 30 lanes (issue 30), in a real headless Chromium: a sandbox whose config names
// 27 delivery roles and two review roles (setup makes their worktrees), in the states a
// coordinator meets (landed, ready, waiting for review, working, stuck, idle), served by the
// built CLI. At 1280×800 the lanes are a table, one row per lane no taller than 40 px, most urgent
// first, and the summary, lanes and queue fit in 800 + 30×40 px; at 390×844 nothing is wider than
// the screen. A copy button copies the lane's command exactly. Screenshots go to
// test-artifacts/dashboard/ (kept as CI artifacts).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { Sandbox } from '../../src/demo/sandbox.js';
import { CHROMIUM, needs } from '../helpers/system-deps.js';
import { CLI, tmpDir } from '../helpers/world.js';

const hasChromium = needs(
  'the dashboard at 30 lanes (test/deep/dashboard-scale.test.ts)',
  CHROMIUM,
);
const ARTIFACTS = path.resolve('test-artifacts/dashboard');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const GROUPS = ['stuck', 'ready', 'waiting', 'working', 'idle'];
const DELIVERY = Array.from({ length: 27 }, (_, i) => `L${String(i + 1).padStart(2, '0')}-mod`);
const ROW_PX = 40;
const pexec = promisify(execFile);

async function run(sb: Sandbox, cwd: string, cmd: string, args: string[]) {
  return (await pexec(cmd, args, { cwd, env: sb.env, encoding: 'utf8' })).stdout;
}
const git = (sb: Sandbox, cwd: string, ...args: string[]) => run(sb, cwd, 'git', args);
const cli = (sb: Sandbox, cwd: string, ...args: string[]) =>
  run(sb, cwd, process.execPath, [CLI, ...args]);

/** Claim the lane's branch (with a task), commit one file of its own, push. */
async function deliver(sb: Sandbox, role: string, n: number) {
  const dir = sb.lane(role);
  await git(sb, dir, 'merge', '-q', '--ff-only', 'origin/master');
  const task = (await cli(sb, dir, 'queue', 'add', `work of ${role}`, '--role', role)).trim();
  await cli(
    sb,
    dir,
    'queue',
    'claim',
    '--role',
    role,
    '--owner',
    `agent-${n}`,
    '--branch',
    `agent/${role}`,
    '--task',
    task,
  );
  sb.write(dir, `mod${n}/src/feature/${role}.ts`, `export const n = ${n};\n`);
  await git(sb, dir, 'add', '-A');
  await git(sb, dir, 'commit', '-q', '-m', `${role}: feature`);
  await git(sb, dir, 'push', '-q', 'origin', `agent/${role}`);
}

async function signoff(sb: Sandbox, role: string) {
  const D = sb.lane('D-arch');
  await cli(sb, D, 'review', 'refresh', role);
  await cli(sb, D, 'review', 'signoff', role);
  // land counts only the hub's copy of the store.
  await cli(sb, D, 'sync');
}

async function world(): Promise<Sandbox> {
  const sb = new Sandbox(tmpDir('lanes-dash30-'), CLI);
  sb.createCoordinator();
  const file = path.join(sb.coordinator, '.lanesrc.json');
  const cfg = JSON.parse(readFileSync(file, 'utf8'));
  cfg.roles = Object.fromEntries([
    ...DELIVERY.map((r, i) => [r, { kind: 'delivery', paths: [`mod${i + 1}/**`] }]),
    ['D-arch', { kind: 'review' }],
    ['E-governance', { kind: 'review' }],
  ]);
  cfg.reviews.required = ['D-arch'];
  sb.write(sb.coordinator, '.lanesrc.json', JSON.stringify(cfg, null, 2) + '\n');
  sb.must(sb.coordinator, 'add', '-A');
  sb.must(sb.coordinator, 'commit', '-q', '-m', '27 delivery lanes, two review lanes');
  sb.must(sb.coordinator, 'push', '-q', 'origin', 'master');
  sb.mustCli(sb.coordinator, 'setup');
  // Two lanes ready; land lands the first and asks the second to rebase (land's audit entries;
  // integration moves ahead of release). The store's writers take turns: one lane at a time.
  for (const [i, r] of DELIVERY.slice(0, 2).entries()) await deliver(sb, r, i + 1);
  for (const r of DELIVERY.slice(0, 2)) await signoff(sb, r);
  const land = sb.cli(sb.coordinator, 'land');
  expect(land.stdout + land.stderr).toContain(`landed ${DELIVERY[0]}`);
  // Ten more pushed under claims from the new integration: three signed off (ready), seven wait.
  for (let i = 2; i < 12; i++) await deliver(sb, DELIVERY[i]!, i + 1);
  for (const r of DELIVERY.slice(2, 5)) await signoff(sb, r);
  // Two at work (uncommitted files), one with commits and no claim (stuck).
  for (const r of DELIVERY.slice(12, 14)) sb.write(sb.lane(r), 'draft.txt', 'draft\n');
  const noClaim = sb.lane(DELIVERY[14]!);
  sb.write(noClaim, 'mod15/x.ts', 'x\n');
  sb.must(noClaim, 'add', '-A');
  sb.must(noClaim, 'commit', '-q', '-m', 'no claim yet');
  return sb;
}

interface Running {
  proc: ChildProcess;
  url: string;
}

function startDashboard(sb: Sandbox): Promise<Running> {
  const proc = spawn(process.execPath, [CLI, 'dashboard', '--no-open', '--interval', '0.5'], {
    cwd: sb.coordinator,
    env: sb.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dashboard did not start: ${out}`)), 60_000);
    const take = (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[1]! });
      }
    };
    proc.stdout!.on('data', take);
    proc.stderr!.on('data', take);
    proc.once('exit', (code) => reject(new Error(`dashboard exited ${code}: ${out}`)));
  });
}

describe.skipIf(!hasChromium)('the dashboard at 30 lanes, in Chromium', () => {
  let sb: Sandbox;
  let dash: Running;
  let context: BrowserContext;
  let page: Page;
  type Model = {
    summary: Record<string, number>;
    lanes: { role: string; group: string; command: { text: string } | null; lastLand: unknown }[];
    release: { lag: { commits: number } | null };
    status: { lanes: unknown[] };
  };
  let model: Model;

  beforeAll(async () => {
    sb = await world();
    dash = await startDashboard(sb);
    mkdirSync(ARTIFACTS, { recursive: true });
    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(
      mkdtempSync(path.join(os.tmpdir(), 'lanes-chromium-')),
      {
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1280, height: 800 },
        reducedMotion: 'reduce',
      },
    );
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(dash.url).origin,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    await page.goto(dash.url);
    await page.waitForSelector('#lanes tr.lane');
    model = await page.evaluate(async (u) => {
      const r = await fetch(u.replace('/?', '/api/model?'));
      return r.json();
    }, dash.url);
  }, 900_000);

  afterAll(async () => {
    await context?.close();
    if (dash && dash.proc.exitCode === null) dash.proc.kill('SIGKILL');
  });

  it('the model: 30 lanes in every group, summary counts, land recorded, release lags', () => {
    expect(model.status.lanes).toHaveLength(30);
    expect(model.lanes).toHaveLength(30);
    const count = (g: string) => model.lanes.filter((l) => l.group === g).length;
    expect(model.summary).toEqual(Object.fromEntries(GROUPS.map((g) => [g, count(g)])));
    expect(model.summary.ready).toBe(3);
    expect(model.summary.waiting).toBe(7);
    expect(model.summary.stuck).toBeGreaterThanOrEqual(1);
    expect(model.summary.working).toBeGreaterThanOrEqual(2);
    const byRole = Object.fromEntries(model.lanes.map((l) => [l.role, l]));
    expect(byRole[DELIVERY[0]!]!.lastLand).toMatchObject({ kind: 'landed' });
    expect(byRole[DELIVERY[1]!]!.lastLand).toMatchObject({ kind: 'rebase asked' });
    expect(byRole[DELIVERY[1]!]!.group).toBe('stuck');
    expect(byRole[DELIVERY[14]!]!.group).toBe('stuck');
    expect(model.release.lag!.commits).toBeGreaterThanOrEqual(2);
  });

  it('at 1280×800: one row per lane (≤ 40 px), most urgent first, and it fits the budget', async () => {
    expect(await page.locator('#lanes').getAttribute('data-view')).toBe('table');
    const rows = page.locator('#lanes tr.lane');
    expect(await rows.count()).toBe(30);
    // Queried and measured in one task of the page: locator.evaluateAll queries, then evaluates
    // in a second round trip, and a live update between the two detaches the rows it found
    // (a detached element measures 0 — a check that could not fail).
    const heights = await page.evaluate(() =>
      [...document.querySelectorAll('#lanes tr.lane')].map(
        (tr) => tr.getBoundingClientRect().height,
      ),
    );
    expect(heights).toHaveLength(30);
    expect(Math.min(...heights)).toBeGreaterThan(0);
    expect(Math.max(...heights)).toBeLessThanOrEqual(ROW_PX);
    // The page's order is the model's: by group, worst first.
    const groups = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-group')));
    expect(groups).toEqual(model.lanes.map((l) => l.group));
    const ranks = groups.map((g) => GROUPS.indexOf(g!));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    // The summary strip says the model's counts.
    for (const g of GROUPS)
      expect(
        await page.locator(`#summary [data-group="${g}"] [data-field="count"]`).innerText(),
      ).toBe(String(model.summary[g]));
    expect(await page.locator('#summary [data-field="release-lag"]').innerText()).toMatch(
      /\d+ commits? not released/,
    );
    // Summary, lanes and the queue: within one screen plus 40 px per lane.
    const bottom = await page.evaluate(() => {
      const q = document.getElementById('queue')!.getBoundingClientRect();
      return q.bottom + window.scrollY;
    });
    expect(bottom).toBeLessThanOrEqual(800 + 30 * ROW_PX);
    // Nothing wider than the window on a desktop either.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      1280,
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'desktop-30.png'), fullPage: true });
  });

  it('copies the exact command of a lane with one click', async () => {
    const ready = model.lanes.find((l) => l.group === 'ready')!;
    const button = page.locator(`#lanes tr.lane[data-role="${ready.role}"] button.copy`);
    await button.click();
    await expect.poll(() => button.getAttribute('data-label')).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(ready.command!.text);
    // The click copied; it did not open the lane's detail.
    expect(await page.locator('#detail').evaluate((d: HTMLDialogElement) => d.open)).toBe(false);
    // Without the Clipboard API the fallback (a selected textarea, execCommand) still copies.
    const stuck = model.lanes.find((l) => l.group === 'stuck' && l.command)!;
    await page.evaluate(() => Object.defineProperty(navigator, 'clipboard', { value: undefined }));
    const other = page.locator(`#lanes tr.lane[data-role="${stuck.role}"] button.copy`);
    await other.click();
    await expect.poll(() => other.getAttribute('data-copied')).toBe('yes');
  });

  it('the toggle shows cards, each only as tall as its content; and back', async () => {
    await page.locator('#lanes-view').click();
    expect(await page.locator('#lanes').getAttribute('data-view')).toBe('cards');
    const cards = page.locator('#lanes .card');
    expect(await cards.count()).toBe(30);
    // One task of the page (see above): a live update re-renders the cards every time the model
    // moves, and cards found before it and measured after it are detached (all 0).
    const heights = await page.evaluate(() =>
      [...document.querySelectorAll('#lanes .card')].map((c) => c.getBoundingClientRect().height),
    );
    expect(heights).toHaveLength(30);
    expect(Math.min(...heights)).toBeGreaterThan(0);
    // An idle review lane's card is shorter than a waiting delivery lane's (no stretching).
    expect(Math.min(...heights)).toBeLessThan(Math.max(...heights) - 40);
    await page.screenshot({ path: path.join(ARTIFACTS, 'desktop-30-cards.png'), fullPage: true });
    await page.locator('#lanes-view').click();
    expect(await page.locator('#lanes').getAttribute('data-view')).toBe('table');
  });

  it('at 390×844 (a phone): no horizontal overflow, tables become stacked rows', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.waitForSelector('#lanes tr.lane');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    // Stacked: a lane row's cells are no table cells any more, its command on a line of its own.
    const displays = await page
      .locator('#lanes tr.lane')
      .first()
      .locator('td')
      .evaluateAll((tds) => tds.map((td) => getComputedStyle(td).display));
    expect(displays).not.toContain('table-cell');
    expect(displays.at(-1)).toBe('block');
    await page.screenshot({ path: path.join(ARTIFACTS, 'phone-30-top.png') });
    // Paths may break after a slash: the claims' branch names carry <wbr> there.
    expect(await page.locator('#queue td wbr').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'phone-30.png'), fullPage: true });
    // The cards too.
    await page.locator('#lanes-view').click();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'phone-30-cards.png'), fullPage: true });
  });
});
