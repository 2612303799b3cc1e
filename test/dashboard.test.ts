// lanes-hooks dashboard on a real sandbox of five lanes (setup's default roles), served by the
// built CLI and loaded in a real headless Chromium (the system's /usr/bin/chromium through
// playwright-core): the cards say what `status --json` says, a commit in a lane shows on the open
// page without a reload, hostile names stay text, and the server refuses what has no token.
// One sandbox, one dashboard and one browser for the whole file. Screenshots go to
// test-artifacts/ (git-ignored).
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { Sandbox } from '../src/demo/sandbox.js';
import { reviewSummary } from '../src/dashboard/model.js';
import { pathScope } from '../src/dashboard/detail.js';
import { CHROMIUM, needs } from './helpers/system-deps.js';
import { DEEP, timeout } from './helpers/tier.js';
import { CLI, commit, defaults } from './helpers/world.js';
import { useInProcessCli } from './helpers/in-process.js';
import { coordinatorSandbox } from './helpers/template.js';

// The browser checks run in the deep tier (vitest.deep.config.ts runs this file again); there,
// without the system's Chromium they fail in CI and are noted in the run's summary elsewhere.
const hasChromium = DEEP && needs('the dashboard in Chromium (test/dashboard.test.ts)', CHROMIUM);
const ARTIFACTS = path.resolve('test-artifacts');
/** The flags this machine's closed network needs (no sandbox in a container, no phoning home). */
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
const HOSTILE_TASK = `<script>window.__pwned=1</script> "Build" the API's <b>ünïcode</b>`;
const HOSTILE_FILE = `ops/<img src=x onerror="window.__pwned=2">'q ü.sh`;
const HOSTILE_FINDING = `</li><img src=x onerror="window.__pwned=3"> retry loop & "quotes"`;

type Row = {
  role: string;
  kind: string;
  branch: string | null;
  head: string | null;
  ahead: number;
  behind: number;
  dirty: number;
  claim: { owner: string; task: string | null } | null;
  signoffs: { role: string }[];
  hooks: string;
  refusals?: number;
  merge?: string | null;
  conflicts?: { integration: string[]; lanes: Record<string, string[]> };
};
type Status = { integration: { name: string; head: string }; lanes: Row[]; actions: string[] };

const pexec = promisify(execFile);

// The world's CLI steps and status --json run in this process (helpers/in-process.ts); the
// dashboard, the agent hook and git's hooks stay real processes.
useInProcessCli();

/** A command of the sandbox's, without blocking: independent lanes are prepared side by side. */
async function run(
  sb: Sandbox,
  cwd: string,
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string } = {},
) {
  const child = pexec(cmd, args, { cwd, env: { ...sb.env, ...opts.env }, encoding: 'utf8' });
  if (opts.input !== undefined) child.child.stdin!.end(opts.input);
  return (await child).stdout;
}
const git = (sb: Sandbox, cwd: string, ...args: string[]) => run(sb, cwd, 'git', args);
/**
 * A lanes-hooks step of the world's making: in this process (helpers/in-process.ts; the dashboard
 * itself, which keeps running, and every hook git starts stay processes). It blocks while it runs;
 * the git steps of the other lanes started before it go on meanwhile. Fails as pexec would.
 */
async function cli(sb: Sandbox, cwd: string, ...args: string[]): Promise<string> {
  const r = sb.cli(cwd, ...args);
  if (r.status !== 0)
    throw new Error(`lanes-hooks ${args.join(' ')} failed in ${cwd}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Write each file with its content, stage and commit them (the hooks run, as in a lane). */
async function edit(
  sb: Sandbox,
  dir: string,
  files: Record<string, string>,
  env: NodeJS.ProcessEnv = {},
) {
  for (const [f, text] of Object.entries(files)) sb.write(dir, f, text);
  await git(sb, dir, 'add', '--', ...Object.keys(files));
  await run(sb, dir, 'git', ['commit', '-q', '-m', `edit ${Object.keys(files).join(', ')}`], {
    env,
  });
}

/**
 * Five lanes (setup's default roles) in the states a coordinator meets, prepared side by side:
 * A-backend ready to land (claimed for a task, signed off by D-arch at its HEAD, then an open
 * finding); B-ui conflicting with integration and with C-ops on the shared file, an out-of-scope path let
 * through by an override, a dirty file; C-ops ahead without a claim, a hostile file name;
 * D-arch reviewing A-backend; E-governance refused again and again (stuck). Integration moved
 * once and release promoted to it.
 *
 * The coordinator and its lanes are a copy of the run's `setup` template (helpers/template.ts,
 * test/lifecycle.test.ts copies it too); the config commit comes after setup, and each lane that
 * commits under it takes it first (B-ui that commit alone: it must conflict with integration).
 * B-ui's and C-ops's states are what the cards in Chromium show: they are prepared only where the
 * browser tests run (the deep tier), since the fast tier's tests (the token, the model, the port,
 * Ctrl-C) read none of them and they cost some five CPU-seconds of hooks and steps (issue 29).
 */
async function sandbox(): Promise<Sandbox> {
  const sb = coordinatorSandbox({ setup: true });
  const file = path.join(sb.coordinator, '.lanesrc.json');
  const cfg = JSON.parse(readFileSync(file, 'utf8'));
  cfg.shared = ['shared/**'];
  cfg.reviews.required = ['D-arch'];
  sb.write(sb.coordinator, '.lanesrc.json', JSON.stringify(cfg, null, 2) + '\n');
  sb.write(sb.coordinator, 'shared/common.txt', 'one\ntwo\nthree\n');
  sb.must(sb.coordinator, 'add', '-A');
  sb.must(sb.coordinator, 'commit', '-q', '-m', 'shared paths, D-arch signs off');
  sb.must(sb.coordinator, 'push', '-q', 'origin', 'master');
  const configured = sb.must(sb.coordinator, 'rev-parse', 'HEAD');
  // Integration moves on the shared file after the lanes branched.
  await edit(sb, sb.coordinator, { 'shared/common.txt': 'one\nTWO from integration\nthree\n' });
  await git(sb, sb.coordinator, 'push', '-q', 'origin', 'master');
  const [A, B, C, D, E] = ['A-backend', 'B-ui', 'C-ops', 'D-arch', 'E-governance'].map((r) =>
    sb.lane(r),
  ) as [string, string, string, string, string];
  const refuseE = (i: number) =>
    run(sb, E, process.execPath, [path.join(path.dirname(CLI), 'agent-hook.cjs'), 'claude'], {
      input: JSON.stringify({
        session_id: 's',
        transcript_path: '/dev/null',
        cwd: E,
        hook_event_name: 'PreToolUse',
        tool_name: 'Write',
        // The same write, again and again: a loop (distinct refusals are not one).
        tool_input: { file_path: path.join(E, 'web/oops.tsx'), content: `x${i}` },
      }),
    }).then((stdout) => {
      // Claude Code's entry refuses in its JSON decision shape: exit 0 and a "deny".
      const decision = JSON.parse(stdout) as {
        hookSpecificOutput?: { permissionDecision?: string };
      };
      if (decision.hookSpecificOutput?.permissionDecision !== 'deny')
        throw new Error('a write outside the review lane was allowed');
    });
  await Promise.all([
    cli(sb, sb.coordinator, 'promote'),
    (async () => {
      await git(sb, A, 'merge', '-q', '--ff-only', 'origin/master');
      const task = await cli(sb, A, 'queue', 'add', HOSTILE_TASK, '--role', 'A-backend');
      await cli(
        sb,
        A,
        'queue',
        'claim',
        '--role',
        'A-backend',
        '--owner',
        'agent-a',
        '--branch',
        'agent/A-backend',
        '--task',
        task.trim(),
      );
      await edit(sb, A, { 'backend/api.ts': 'api\n', 'backend/db.ts': 'db\n' });
      await git(sb, A, 'push', '-q', 'origin', 'agent/A-backend');
      await cli(sb, D, 'review', 'refresh', 'A-backend');
      await cli(sb, D, 'review', 'signoff', 'A-backend');
      await cli(sb, D, 'review', 'finding', 'A-backend', HOSTILE_FINDING, '--severity', 'major');
    })(),
    (async () => {
      if (!hasChromium) return;
      await git(sb, B, 'merge', '-q', '--ff-only', configured);
      await cli(
        sb,
        B,
        'queue',
        'claim',
        '--role',
        'B-ui',
        '--owner',
        'agent-b',
        '--branch',
        'agent/B-ui',
      );
      await edit(sb, B, {
        'web/page.tsx': 'page\n',
        'shared/common.txt': 'one\nTWO from B\nthree\n',
      });
      await edit(sb, B, { 'ops/hotfix.sh': 'fix\n' }, { LANES_OVERRIDE: 'hotfix approved by ops' });
      sb.write(B, 'web/draft.tsx', 'not yet\n');
    })(),
    (async () => {
      if (!hasChromium) return;
      await git(sb, C, 'merge', '-q', '--ff-only', 'origin/master');
      await edit(sb, C, { [HOSTILE_FILE]: 'x\n', 'shared/common.txt': 'one\nTWO from C\nthree\n' });
    })(),
    ...[0, 1, 2, 3].map(refuseE),
  ]);
  return sb;
}

interface Running {
  proc: ChildProcess;
  url: string;
  port: number;
  output: () => string;
}

/** The built CLI's dashboard, in the coordinator; resolves once it prints its URL. */
function startDashboard(sb: Sandbox): Promise<Running> {
  const proc = spawn(process.execPath, [CLI, 'dashboard', '--no-open', '--interval', '0.2'], {
    cwd: sb.coordinator,
    env: sb.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dashboard did not start: ${out}`)), 30_000);
    const take = (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:(\d+)\/\?token=[0-9a-f]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[1]!, port: Number(m[2]), output: () => out });
      }
    };
    proc.stdout!.on('data', take);
    proc.stderr!.on('data', take);
    proc.once('exit', (code) => reject(new Error(`dashboard exited ${code}: ${out}`)));
  });
}

/** A raw GET, so that the Host header is ours to choose. */
function get(port: number, pathname: string, host = `127.0.0.1:${port}`) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
    (resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port, path: pathname, headers: { host } },
        (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
    },
  );
}

describe('dashboard', () => {
  let sb: Sandbox;
  let dash: Running;
  let token: string;
  let context: BrowserContext | null = null;
  let page: Page;
  const status = (): Status => JSON.parse(sb.mustCli(sb.coordinator, 'status', '--json'));
  /** status --json before anything moved (read once: each run costs seconds on a busy machine). */
  let first: Status;

  beforeAll(async () => {
    sb = await sandbox();
    dash = await startDashboard(sb);
    token = new URL(dash.url).searchParams.get('token')!;
    if (!hasChromium) return;
    mkdirSync(ARTIFACTS, { recursive: true });
    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(
      mkdtempSync(path.join(os.tmpdir(), 'lanes-chromium-')),
      {
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1400, height: 1000 },
        reducedMotion: 'reduce',
      },
    );
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  }, timeout(600_000));

  afterAll(async () => {
    await context?.close();
    if (dash && dash.proc.exitCode === null) dash.proc.kill('SIGKILL');
  });

  it('refuses a request without the token, with a wrong one, or for another Host (403)', async () => {
    for (const p of ['/', '/app.js', '/api/model', '/api/events', '/api/lane?role=A-backend'])
      expect((await get(dash.port, p)).status, p).toBe(403);
    expect((await get(dash.port, `/?token=${'0'.repeat(token.length)}`)).status).toBe(403);
    expect((await get(dash.port, `/?token=${token}x`)).status).toBe(403);
    // DNS rebinding: the right token, a name that is not ours.
    expect((await get(dash.port, `/?token=${token}`, `evil.example:${dash.port}`)).status).toBe(
      403,
    );
    const ok = await get(dash.port, `/?token=${token}`, `localhost:${dash.port}`);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'self'/);
    expect(ok.headers['referrer-policy']).toBe('no-referrer');
    // No inline script: the page's only script is the served asset.
    expect(ok.body).not.toMatch(/<script>|<script [^>]*>[^<]/);
    // Read-only: nothing but GET and HEAD.
    const post = await new Promise<number>((resolve, reject) =>
      http
        .request(
          { host: '127.0.0.1', port: dash.port, path: `/?token=${token}`, method: 'POST' },
          (r) => resolve(r.statusCode!),
        )
        .on('error', reject)
        .end(),
    );
    expect(post).toBe(405);
  });

  it('serves status --json as its model: the same object, field for field', async () => {
    const model = JSON.parse((await get(dash.port, `/api/model?token=${token}`)).body);
    const s = (first = status());
    // The radar's counts say how much this run computed (the cache answers the second run).
    expect({ ...model.status, radar: null }).toEqual({ ...s, radar: null });
    expect(model.release.promotion).toMatchObject({ kind: 'promotion' });
    expect(model.stuck).toEqual(['E-governance']);
    // D-arch signed off A-backend, then found something: the finding stays open.
    expect(model.reviews).toEqual([
      {
        role: 'A-backend',
        open: [
          expect.objectContaining({
            n: 1,
            reviewer: 'D-arch',
            text: HOSTILE_FINDING,
            severity: 'major',
          }),
        ],
        resolved: [],
      },
    ]);
  });

  describe.skipIf(!hasChromium)('in Chromium', () => {
    it('shows one card per lane with the state status --json reports, and its next actions', async () => {
      await page.goto(dash.url);
      await page.waitForSelector('.card');
      const s = first;
      const cards = page.locator('#lanes .card');
      expect(await cards.count()).toBe(s.lanes.length);
      expect(s.lanes.map((l) => l.role).sort()).toEqual(
        ['A-backend', 'B-ui', 'C-ops', 'D-arch', 'E-governance', 'coordinator'].sort(),
      );
      const field = (role: string, f: string) =>
        page.locator(`.card[data-role="${role}"] [data-field="${f}"]`).innerText();
      for (const r of s.lanes) {
        expect(await field(r.role, 'kind')).toBe(r.kind);
        expect(await field(r.role, 'branch')).toBe(r.branch ?? '(detached)');
        expect(await field(r.role, 'head')).toBe(r.head!.slice(0, 7));
        expect(await field(r.role, 'ahead')).toBe(`${r.ahead} ahead`);
        expect(await field(r.role, 'behind')).toBe(`${r.behind} behind`);
        const hooks = await field(r.role, 'hooks');
        expect(hooks).toContain(r.hooks === 'ok' ? 'git hooks ok' : r.hooks);
        const refusals = await field(r.role, 'refusals');
        expect(refusals).toContain(r.refusals ? `${r.refusals} refusal` : 'none');
        if (r.kind === 'delivery') {
          const claimText = await field(r.role, 'claim');
          expect(claimText).toContain(r.claim ? r.claim.owner : 'none');
          const signoffs = await field(r.role, 'signoffs');
          for (const so of r.signoffs) expect(signoffs).toContain(`✓ ${so.role}`);
          if (!r.signoffs.length) expect(signoffs).toContain('none of this HEAD');
          for (const other of Object.keys(r.conflicts?.lanes ?? {}))
            expect(await field(r.role, 'lane-conflicts')).toContain(`conflicts with ${other}`);
        }
      }
      // The states these lanes are in, in words (colour repeats them).
      const state = (role: string) => field(role, 'state');
      expect(await state('A-backend')).toBe('ready to land');
      expect(await state('B-ui')).toBe('conflicts with integration');
      expect(await field('B-ui', 'merge')).toContain(
        'conflicts with origin/master on shared/common.txt',
      );
      expect(await state('E-governance')).toBe('stuck');
      expect(await field('E-governance', 'refusals')).toContain('STUCK');
      expect(await field('A-backend', 'signoffs')).toContain('✓ D-arch');
      // The next actions, as status prints them.
      const actions = await page.locator('#actions li').allInnerTexts();
      expect(actions.map((a) => a.replace(/\s+/g, ' ').trim())).toEqual(
        s.actions.map((a) => a.replace(' → ', ' → ').replace(/\s+/g, ' ')),
      );
      // Release, its promotion, the timeline.
      expect(await page.locator('[data-field="promotion"]').innerText()).toContain('audited');
      expect(await page.locator('#audit li').count()).toBeGreaterThanOrEqual(2);
      // Hostile text is text: shown as written, never run.
      expect(await page.locator('#queue').innerText()).toContain(HOSTILE_TASK);
      expect(await page.locator('#reviews').innerText()).toContain(HOSTILE_FINDING);
      expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
      await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });
      // The actions and the cards alone (the README's picture, docs/dashboard.png, is one of these).
      const lanes = (await page.locator('#lanes').boundingBox())!;
      await page.screenshot({
        path: path.join(ARTIFACTS, 'dashboard-lanes.png'),
        clip: { x: 0, y: 0, width: 1400, height: Math.ceil(lanes.y + lanes.height + 16) },
        fullPage: true,
      });
    });

    it('opens a lane by keyboard: commits with trailers, paths against scope, diff stat; Escape closes', async () => {
      await page.locator('.card[data-role="C-ops"]').focus();
      await page.keyboard.press('Enter');
      const dialog = page.locator('#detail');
      await dialog.locator('table.files').waitFor();
      const text = await dialog.innerText();
      expect(text).toContain('Commits beyond origin/master (1)');
      expect(text).toContain('Lane: C-ops'); // the provenance trailer prepare-commit-msg added
      const rows = dialog.locator('table.files tbody tr');
      const byPath = Object.fromEntries(
        await rows.evaluateAll((trs) =>
          trs.map((tr) => [tr.querySelector('code')!.textContent, tr.getAttribute('data-scope')]),
        ),
      );
      // showName quotes a name with a double quote in it, as git does.
      const shown = `"${HOSTILE_FILE.replace(/"/g, '\\"')}"`;
      expect(byPath).toEqual({ [shown]: 'in scope', 'shared/common.txt': 'shared' });
      expect(await dialog.locator('tfoot').innerText()).toMatch(/2 files changed\s+\+2\s+−1/);
      expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
      await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-detail.png') });
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog.evaluate((d: HTMLDialogElement) => d.open)).toBe(false);
      // Focus goes back to the card it came from.
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-role'))).toBe(
        'C-ops',
      );
      // A path outside the lane's scope (let through by an override) is called refused.
      await page.locator('.card[data-role="B-ui"]').click();
      await dialog.locator('table.files').waitFor();
      expect(await dialog.locator('tr[data-scope="refused"]').innerText()).toMatch(
        /ops\/hotfix\.sh\s+outside scope \(refused\)/,
      );
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog.evaluate((d: HTMLDialogElement) => d.open)).toBe(false);
    });

    it('shows a commit in a lane on the open page, without a reload', async () => {
      await page.evaluate(() => ((window as { __sameDocument?: boolean }).__sameDocument = true));
      // With the page open the dashboard polls every 0.2 s, but recomputes only when a ref moved:
      // a new branch makes it recompute once, then 1.5 s of polls recompute nothing (its 15-s
      // refresh for uncommitted edits cannot fall in that window, right after a recompute).
      const counts = async () => {
        const { headers } = await get(dash.port, `/api/model?token=${token}`);
        return {
          polls: Number(headers['x-lanes-polls']),
          computes: Number(headers['x-lanes-computes']),
        };
      };
      const start = await counts();
      sb.must(sb.coordinator, 'branch', 'idle-probe');
      await expect
        .poll(async () => (await counts()).computes, { timeout: timeout(20_000) })
        .toBeGreaterThan(start.computes);
      const idle = await counts();
      await new Promise((r) => setTimeout(r, 1500));
      const later = await counts();
      expect(later.polls - idle.polls).toBeGreaterThanOrEqual(3);
      expect(later.computes).toBe(idle.computes);
      const before = await page
        .locator('.card[data-role="A-backend"] [data-field="head"]')
        .innerText();
      commit(sb, sb.lane('A-backend'), ['backend/more.ts']);
      const head = sb.must(sb.lane('A-backend'), 'rev-parse', 'HEAD');
      expect(head.slice(0, 7)).not.toBe(before);
      await page.waitForFunction(
        (h) =>
          document.querySelector('.card[data-role="A-backend"] [data-field="head"]')
            ?.textContent === h,
        head.slice(0, 7),
        { timeout: timeout(20_000) },
      );
      expect((await counts()).computes).toBeGreaterThan(later.computes);
      // Same document (no navigation happened), and the card agrees with status --json again.
      expect(
        await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument),
      ).toBe(true);
      const a = status().lanes.find((l) => l.role === 'A-backend')!;
      expect(a.head).toBe(head);
      expect(
        await page.locator('.card[data-role="A-backend"] [data-field="ahead"]').innerText(),
      ).toBe(`${a.ahead} ahead`);
      // Its sign-off was of the old HEAD: no longer shown for the new one.
      expect(
        await page.locator('.card[data-role="A-backend"] [data-field="state"]').innerText(),
      ).toBe('awaiting sign-off');
      await page.evaluate(() => window.scrollTo(0, 0)); // the sticky header at the top
      await page.screenshot({
        path: path.join(ARTIFACTS, 'dashboard-after-commit.png'),
        fullPage: true,
      });
    });
  });

  it('--port names the port: one in use is an error that names it, and nothing keeps running', () => {
    const r = spawnSync(
      process.execPath,
      [CLI, 'dashboard', '--no-open', '--port', String(dash.port)],
      {
        cwd: sb.coordinator,
        env: sb.env,
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`cannot listen on 127.0.0.1:${dash.port} (EADDRINUSE)`);
  });

  it('stops cleanly on Ctrl-C (SIGINT): exit 0', async () => {
    // 'close', not 'exit': Node may emit 'exit' before the child's stdout is drained, and the
    // last line is the one asserted (https://nodejs.org/api/child_process.html#event-close).
    const exited = new Promise<number | null>((resolve) => dash.proc.once('close', resolve));
    dash.proc.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(dash.output()).toContain('lanes-hooks dashboard: stopped');
  });
});

describe('dashboard model pieces', () => {
  const entry = (kind: 'finding' | 'signoff', reviewer: string, target: string, at: string) => ({
    kind,
    reviewer,
    target,
    sha: `${at}`.padEnd(40, '0'),
    text: kind === 'finding' ? `${reviewer} on ${target}` : null,
    severity: kind === 'finding' ? ('minor' as const) : null,
    at,
    by: 'x',
  });

  it("a finding stays open through sign-offs, its own reviewer's too (test/dashboard-model.test.ts: resolve)", () => {
    const s = reviewSummary([
      entry('finding', 'D-arch', 'A-backend', '1'),
      entry('finding', 'E-governance', 'A-backend', '2'),
      entry('signoff', 'D-arch', 'A-backend', '3'),
      entry('finding', 'D-arch', 'A-backend', '4'),
      entry('signoff', 'D-arch', 'B-ui', '5'),
    ]);
    expect(s.map((r) => r.role)).toEqual(['A-backend', 'B-ui']);
    const a = s[0]!;
    expect(a.resolved).toEqual([]);
    expect(a.open.map((f) => [f.n, f.at])).toEqual([
      [1, '1'],
      [2, '2'],
      [3, '4'],
    ]);
    expect(s[1]).toEqual({ role: 'B-ui', open: [], resolved: [] });
  });

  it('a path is in scope (own paths first), shared, or refused; review lanes own reviews.dir', () => {
    const config = defaults({ shared: ['shared/**', 'backend/common/**'] });
    const a = pathScope(config, { role: 'A-backend', kind: 'delivery' });
    expect(['backend/common/x.ts', 'shared/a', 'web/x.tsx', 'services/s.ts'].map(a.of)).toEqual([
      'in scope',
      'shared',
      'refused',
      'in scope',
    ]);
    const d = pathScope(config, { role: 'D-arch', kind: 'review' });
    expect(['doc/governance/reviews/a.md', 'shared/a'].map(d.of)).toEqual(['in scope', 'refused']);
    expect(pathScope(config, { role: 'coordinator', kind: 'coordinator' }).of('any/thing')).toBe(
      'in scope',
    );
  });
});
