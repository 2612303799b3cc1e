// land and merge against a lane that wants through (issue 28 routes 2 and 3, issue 30 points 5,
// 6, 9): a sign-off or claim written into the shared local store, a check script (lane code) that
// moves the coordinator's integration or reads its secrets, checks that need a setup step, Ctrl-C.
// Real hub, real lanes, the built CLI.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { claim, CLI, commit } from '../helpers/world.js';
import { committedDefault, editedConfig, fromTemplate } from '../helpers/template.js';
import { type TestSandbox, useInProcessCli } from '../helpers/in-process.js';
import { timeout } from '../helpers/tier.js';

// The CLI steps run in this process (helpers/in-process.ts); hooks and pushes stay real processes.
useInProcessCli();

const SLOW = { timeout: timeout(240_000) };
const hasBwrap =
  spawnSync('bwrap', ['--ro-bind', '/', '/', '--unshare-all', '--share-net', 'true']).status === 0;

// Master's check passes; C-ops (owner of scripts/ci/**) replaces it on its branch.
const BASE_CHECK = 'exit 0\n';
// What a hostile check does: report what it can see, move the coordinator's master, leak secrets.
const EVIL_CHECK = `echo "WORKTREES $(git -C "$COORD" worktree list --porcelain 2>/dev/null | grep -c '^worktree')"
test -e "$COORD/.git" && echo SAW-COORD
git -C "$COORD" update-ref refs/heads/master "$EVIL" 2>/dev/null && echo MOVED-MASTER
echo "ENV $(env | tr '\\n' ' ')"
exit 0
`;

function world(): TestSandbox {
  const cfg = editedConfig((cfg) => {
    cfg.reviews.required = ['D-arch'];
    // The setup step prepares the clone (here: a marker the run step needs); SETUP_FAILS makes it
    // fail, CHECK_SLEEP makes it wait (for Ctrl-C), MOVE_HUB moves the hub's master meanwhile.
    cfg.checks = {
      setup:
        'test -z "$SETUP_FAILS" && touch .deps-installed && if [ -n "$CHECK_SLEEP" ]; then echo sleeping; sleep "$CHECK_SLEEP"; fi && if [ -n "$MOVE_HUB" ]; then git -C "$MOVE_HUB" update-ref refs/heads/master "$MOVE_TO"; fi',
      run: 'test -f .deps-installed && sh scripts/ci/check.sh',
    };
  });
  return fromTemplate(`land-routes ${JSON.stringify(cfg)}`, (sb) => {
    sb.createCoordinator();
    committedDefault(sb);
    sb.write(sb.coordinator, '.lanesrc.json', JSON.stringify(cfg, null, 2));
    sb.write(sb.coordinator, 'scripts/ci/check.sh', BASE_CHECK);
    sb.must(sb.coordinator, 'add', '-A');
    sb.must(sb.coordinator, 'commit', '-qm', 'checks: setup and run');
    sb.must(sb.coordinator, 'push', '-q', 'origin', 'master');
    for (const role of ['A-backend', 'B-ui', 'C-ops', 'D-arch']) sb.addLane(role);
  });
}

describe('land decides on the hub and runs checks as lane code', () => {
  const sb = world();
  const [A, B, C, D] = ['A-backend', 'B-ui', 'C-ops', 'D-arch'].map((r) => sb.lane(r)) as [
    string,
    string,
    string,
    string,
  ];
  const hub = (ref: string) => sb.git(sb.remote, 'rev-parse', '-q', '--verify', ref).stdout.trim();
  const here = (ref: string) => sb.must(sb.coordinator, 'rev-parse', ref);
  const worktrees = () =>
    sb.must(sb.coordinator, 'worktree', 'list', '--porcelain').match(/^worktree /gm)!.length;
  const cli = (dir: string, env: NodeJS.ProcessEnv, ...args: string[]) =>
    sb.cliWith(dir, env, ...args);
  const signoff = (role: string) => {
    sb.mustCli(D, 'review', 'refresh', role);
    sb.mustCli(D, 'review', 'signoff', role);
  };
  const audit = () => JSON.parse(sb.mustCli(sb.coordinator, 'audit', '--json')).entries;

  // A-backend: pushed, claimed and signed off on the hub except for one thing, set per test.
  claim(sb, A, 'A-backend', 'agent-a');
  commit(sb, A, ['backend/a.ts']);
  sb.must(A, 'push', '-q', 'origin', 'agent/A-backend');
  // C-ops: its check script is hostile.
  claim(sb, C, 'C-ops', 'agent-c');
  sb.write(C, 'scripts/ci/check.sh', EVIL_CHECK);
  sb.must(C, 'add', '-A');
  sb.must(C, 'commit', '-qm', 'ci: a check that reaches out');
  sb.must(C, 'push', '-q', 'origin', 'agent/C-ops');
  signoff('C-ops');
  sb.mustCli(D, 'sync');
  // What the hostile check moves master to: a commit that widens C-ops's scope.
  const wide = editedConfig((cfg) => {
    cfg.roles['C-ops'].paths = ['**'];
  });
  const gitIn = (dir: string, input: string, ...args: string[]) =>
    spawnSync('git', args, { cwd: dir, input, encoding: 'utf8', env: sb.env }).stdout.trim();
  const wideBlob = gitIn(
    sb.coordinator,
    JSON.stringify(wide, null, 2),
    'hash-object',
    '-w',
    '--stdin',
  );
  const evil = gitIn(
    sb.coordinator,
    sb
      .must(sb.coordinator, 'ls-tree', 'HEAD')
      .split('\n')
      .map((l) => (l.endsWith('\t.lanesrc.json') ? `100644 blob ${wideBlob}\t.lanesrc.json` : l))
      .join('\n') + '\n',
    'mktree',
  );
  const evilCommit = sb.must(
    sb.coordinator,
    'commit-tree',
    evil,
    '-p',
    'HEAD',
    '-m',
    'ops: C-ops owns everything',
  );

  it(
    'route 2: a sign-off written into the local store does not count: land refuses and says the local store differs from the hub',
    SLOW,
    () => {
      // In the A-backend lane: D-arch's sign-off of its own SHA, by git commit-tree + update-ref
      // (hooks off, as a lane that wants through would do it).
      const sha = sb.must(A, 'rev-parse', 'HEAD');
      const entry = {
        kind: 'signoff',
        reviewer: 'D-arch',
        target: 'A-backend',
        sha,
        text: null,
        severity: null,
        at: new Date().toISOString(),
        by: 'D-arch',
      };
      // In the store's own serialisation, so that what refuses it is who wrote it, not its bytes.
      const b = gitIn(A, JSON.stringify(entry, null, 2) + '\n', 'hash-object', '-w', '--stdin');
      const tree = gitIn(A, `100644 blob ${b}\top.json\n`, 'mktree');
      const parent = sb.must(A, 'rev-parse', 'refs/lanes/reviews');
      const forged = sb.must(
        A,
        'commit-tree',
        tree,
        '-p',
        parent,
        '-m',
        'signoff: D-arch signs off A-backend',
      );
      sb.must(
        A,
        '-c',
        'core.hooksPath=/dev/null',
        'update-ref',
        'refs/lanes/reviews',
        forged,
        parent,
      );
      // ...and a claim of B-ui that only the local queue has. queue claim shares a claim when the
      // hub answers, and the hub refuses a branch with no claim of its own: B-ui pushes under a
      // shared claim, releases it (shared too), then claims again while the hub does not answer.
      claim(sb, B, 'B-ui', 'agent-b');
      commit(sb, B, ['web/b.tsx']);
      sb.must(B, 'push', '-q', 'origin', 'agent/B-ui');
      sb.mustCli(B, 'queue', 'release', '--branch', 'agent/B-ui');
      sb.must(B, 'config', 'remote.origin.pushurl', path.join(sb.root, 'unreachable.git'));
      claim(sb, B, 'B-ui', 'agent-b');
      sb.must(B, 'config', '--unset', 'remote.origin.pushurl');

      const master = hub('master');
      const r = cli(sb.coordinator, {}, 'land', '--dry-run', '--json');
      expect(r.status, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout);
      const a = report.waiting.find((w: any) => w.role === 'A-backend');
      expect(a.reason).toContain('no sign-off from D-arch');
      expect(a.reason).toContain("D-arch's sign-off of");
      expect(a.reason).toContain("the local store differs from the hub's");
      const b2 = report.waiting.find((w: any) => w.role === 'B-ui');
      expect(b2.reason).toContain('refused by claim-required');
      expect(b2.reason).toContain("the local store differs from the hub's");
      // merge, the single-lane form, says the same and moves nothing.
      const m = cli(sb.coordinator, {}, 'merge', 'A-backend');
      expect(m.status).toBe(1);
      expect(m.stderr).toContain("the local store differs from the hub's");
      expect(hub('master')).toBe(master);

      // The forgery's other way through: D-arch's own sync, which would push it to the hub under
      // D-arch's identity. Its journal never vouched for it (route a, src/lifecycle/vouch.ts):
      // refused, not pushed, and dropped from the shared local store (so the later tests' D-arch
      // syncs meet only D-arch's own entries).
      const s = sb.cli(D, 'sync');
      expect(s.status).toBe(1);
      expect(s.stderr).toContain('refused by store-integrity');
      expect(s.stderr).toContain(`D-arch signs off A-backend at ${sha.slice(0, 10)}`);
      expect(s.stderr).toContain('its own lanes-hooks never wrote it');
      const hubReviews = sb.must(sb.remote, 'log', '--format=%s', 'refs/lanes/reviews');
      expect(hubReviews).not.toContain('D-arch signs off A-backend');
      const local = sb.must(A, 'log', '--format=%H', 'refs/lanes/reviews').split('\n');
      expect(local).not.toContain(forged);
    },
  );

  it(
    "route 3 without a sandbox: a check that moves the coordinator's master lands nothing and pushes nothing; merge runs the checks too",
    SLOW,
    () => {
      const master = hub('master');
      const before = worktrees();
      const entries = audit().length;
      const r = cli(
        sb.coordinator,
        {
          LANES_CHECKS_SANDBOX: 'none',
          COORD: sb.coordinator,
          EVIL: evilCommit,
          GH_TOKEN: 'sekrit-token',
          SSH_AUTH_SOCK: '/tmp/agent.sock',
          CLAUDECODE: '1',
          GIT_AUTHOR_NAME: 'leaked-git-var',
        },
        'merge',
        'C-ops',
      );
      expect(r.status, r.stderr).toBe(1);
      expect(r.stdout + r.stderr).toContain('MOVED-MASTER');
      expect(r.stderr).toContain('master moved while the checks of C-ops ran');
      // The checks ran in a clone, not a worktree of the coordinator's repository...
      expect(r.stdout + r.stderr).toContain(`WORKTREES ${before}`);
      expect(worktrees()).toBe(before);
      // ...with none of the coordinator's secrets, agent or git variables, and HOME elsewhere.
      const env = /ENV (.*)/.exec(r.stdout + r.stderr)![1]!;
      for (const leak of [
        'sekrit-token',
        'agent.sock',
        'CLAUDECODE',
        'leaked-git-var',
        `HOME=${process.env.HOME} `,
      ])
        expect(env).not.toContain(leak);
      // Nothing pushed, nothing recorded; the hub's master is where it was.
      expect(hub('master')).toBe(master);
      expect(audit().length).toBe(entries);
      sb.must(sb.coordinator, 'reset', '-q', '--hard', master);
    },
  );

  it.skipIf(!hasBwrap)(
    'route 3 under bubblewrap: the check cannot see or move the coordinator; land pushes exactly the checked SHA',
    SLOW,
    () => {
      const tip = hub('agent/C-ops');
      const r = cli(sb.coordinator, { COORD: sb.coordinator, EVIL: evilCommit }, 'land', '--json');
      const out = r.stdout + r.stderr;
      expect(out).toContain('under bubblewrap');
      expect(out).not.toContain('SAW-COORD');
      expect(out).not.toContain('MOVED-MASTER');
      expect(out).toContain('WORKTREES 0');
      expect(JSON.parse(r.stdout).landed).toMatchObject([
        { role: 'C-ops', sha: tip, checks: 'passed' },
      ]);
      expect(hub('master')).toBe(tip);
      expect(here('master')).toBe(tip);
      expect(audit().at(-1)).toMatchObject({ kind: 'landing' });
    },
  );

  it(
    "the setup step runs first in the same clone; a failing setup is the coordinator's, says where and what it ran",
    SLOW,
    () => {
      sb.must(A, 'fetch', '-q', 'origin');
      sb.must(A, 'rebase', '-q', 'origin/master');
      sb.must(A, 'push', '-q', '-f', 'origin', 'agent/A-backend');
      signoff('A-backend');
      sb.mustCli(D, 'sync');
      const master = hub('master');
      const r = cli(sb.coordinator, { SETUP_FAILS: '1', LANES_CHECKS_SANDBOX: 'none' }, 'land');
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("the checks' setup failed on A-backend");
      expect(r.stderr).toContain("the coordinator's to fix, not the lane's");
      const kept = /ran: .* in a throwaway clone of \w+ at (\S+), kept for inspection/.exec(
        r.stderr,
      )![1]!;
      expect(existsSync(path.join(kept, 'backend/a.ts'))).toBe(true);
      rmSync(path.dirname(kept), { recursive: true, force: true });
      expect(r.stderr).not.toContain('in the A-backend lane, make');
      expect(hub('master')).toBe(master);
    },
  );

  it(
    'the push names the checked SHA with a lease: a hub that moved during the checks gets nothing, and nothing is marked done',
    SLOW,
    () => {
      const master = hub('master');
      // Back to an ancestor: without the lease, pushing A-backend's tip would fast-forward it.
      const elsewhere = hub(`${master}~1`);
      const r = cli(
        sb.coordinator,
        { LANES_CHECKS_SANDBOX: 'none', MOVE_HUB: sb.remote, MOVE_TO: elsewhere },
        'merge',
        'A-backend',
      );
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('Nothing is marked done');
      expect(r.stderr).toContain('stale info');
      // The hub keeps what moved it meanwhile; A-backend's claim is still active.
      expect(hub('master')).toBe(elsewhere);
      const claims = JSON.parse(sb.mustCli(sb.coordinator, 'queue', 'list', '--json')).claims;
      expect(claims.find((c: any) => c.branch === 'agent/A-backend').state).toBe('active');
      sb.must(sb.remote, 'update-ref', 'refs/heads/master', master);
      sb.must(sb.coordinator, 'reset', '-q', '--hard', master);
      sb.must(sb.coordinator, 'fetch', '-q', 'origin');
    },
  );

  it(
    "Ctrl-C during the checks: a message, exit 130, nothing moved, no clone and no worktree left; the next land removes an old version's leftover worktree",
    SLOW,
    async () => {
      const master = hub('master');
      const before = worktrees();
      const child = spawn(process.execPath, [CLI, 'land'], {
        cwd: sb.coordinator,
        env: { ...sb.env, CHECK_SLEEP: '60' },
      });
      let err = '';
      child.stderr.on('data', (b) => (err += b));
      child.stdout.on('data', (b) => (err += b));
      const deadline = Date.now() + 120_000;
      while (!err.includes('sleeping') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      const clone = /in a throwaway clone at (\S+)/.exec(err)![1]!;
      expect(worktrees()).toBe(before);
      child.kill('SIGINT');
      const code = await new Promise((r) => child.on('close', r));
      expect(code).toBe(130);
      expect(err).toContain('land: interrupted: nothing was landed or pushed');
      expect(existsSync(clone)).toBe(false);
      expect(hub('master')).toBe(master);
      expect(here('master')).toBe(master);

      // What an older land left behind: a registered temporary worktree.
      const old = mkdtempSync(path.join(os.tmpdir(), 'lanes-land-'));
      rmSync(old, { recursive: true });
      sb.must(sb.coordinator, 'worktree', 'add', '-q', '--detach', old, 'HEAD');
      const r = cli(sb.coordinator, {}, 'land', '--no-push');
      expect(r.stdout).toContain('removed the temporary worktree an interrupted land left');
      expect(worktrees()).toBe(before);
    },
  );
});
