// The queue beyond each command's main path (the deep tier, issue 29; the main paths are
// test/queue.test.ts and the demo tour's, test/demo.test.ts): claim-required at pre-push before a
// claim and after release and done, what cannot be a task or claim, a claim held by someone other
// than the lane's owner, a damaged store, queues merged without common history, the audit log
// shared by sync, two clones that claimed the same task offline, and a claim on a task the
// coordinator has not shared (route a).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/demo/sandbox.js';
import { commit, world } from '../helpers/world.js';
import { coordinatorSandbox } from '../helpers/template.js';
import { useInProcessCli } from '../helpers/in-process.js';
import { claimRequiredWorld } from '../helpers/setups.js';
import { hub, SLOW } from '../attacks/hub.js';

// The CLI steps run in this process (helpers/in-process.ts); hooks and pushes stay real processes.
useInProcessCli();

const list = (sb: Sandbox, dir: string) => JSON.parse(sb.mustCli(dir, 'queue', 'list', '--json'));

describe('queue commands', () => {
  const w = world(['A-backend']);
  const C = () => w.coordinator;

  it('refuses what cannot be a task or claim with exit 2', () => {
    const bad: string[][] = [
      ['add', ''],
      ['add', 'x'.repeat(10_001)],
      ['add', 'fine', '--role', 'Z-nobody'],
      ['add', 'a first line\na second line'],
      ['add', 'erase \u001b[2K the line above'],
      [
        'claim',
        '--role',
        'A-backend',
        '--owner',
        'agent\nwith newline',
        '--branch',
        'agent/A-backend',
      ],
      ['claim', '--role', 'A-backend', '--owner', 'a', '--branch', 'bad..branch'],
      [
        'claim',
        '--role',
        'A-backend',
        '--owner',
        'a',
        '--branch',
        'agent/A-backend',
        '--task',
        'T999',
      ],
      ['release'],
      ['release', '--task', 'T1', '--branch', 'agent/A-backend'],
    ];
    for (const args of bad) {
      const r = w.cli(C(), 'queue', ...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
  });
});

// claim-required's refusal at pre-push and its allowing with a claim, moved whole from
// test/queue.test.ts once the demo tour held that cell (test/demo.test.ts, issue 29); its own world, as there.
describe('claim-required', () => {
  const { w, A, push, claim } = claimRequiredWorld();

  it('refuses a push without a claim', () => {
    commit(w, A(), ['backend/a.ts']);
    const r = push();
    expect(r.stderr).toContain('refused by claim-required');
    // Printed as it runs in the lane: the shim beside the hooks (a lane has no node_modules).
    expect(r.stderr).toMatch(/bin\/lanes-hooks' queue claim --role A-backend/);
  });

  it('allows it with an active claim, refuses it after release and after done', () => {
    claim('agent-a');
    expect(push().status).toBe(0);
    w.mustCli(A(), 'queue', 'release', '--branch', 'agent/A-backend');
    commit(w, A(), ['backend/b.ts']);
    expect(push().stderr).toContain('refused by claim-required');
    claim('agent-a');
    w.mustCli(A(), 'queue', 'done', '--branch', 'agent/A-backend');
    expect(push().stderr).toContain('refused by claim-required');
  });
});

describe('claim-required', () => {
  const { w, A, push, claim } = claimRequiredWorld();
  // Where the claim-required describe above leaves the lane: a commit not yet pushed.
  commit(w, A(), ['backend/a.ts']);

  it("refuses a claim held by someone other than the lane's owner", () => {
    w.must(A(), 'config', '--worktree', 'lanes.owner', 'agent-a');
    // The coordinator claims for anyone; the lane itself claims only as its owner.
    w.mustCli(
      w.coordinator,
      'queue',
      'claim',
      '--role',
      'A-backend',
      '--owner',
      'agent-z',
      '--branch',
      'agent/A-backend',
    );
    const r = push();
    expect(r.stderr).toContain('refused by claim-required');
    expect(r.stderr).toContain("not by this lane's owner agent-a");
    // Nor does the lane end agent-z's claim: the claim's owner or the coordinator does.
    expect(w.cli(A(), 'queue', 'release', '--branch', 'agent/A-backend').status).toBe(1);
    w.mustCli(w.coordinator, 'queue', 'release', '--branch', 'agent/A-backend');
    claim('agent-a');
    expect(push().status).toBe(0);
  });

  it('fails closed when the store is damaged', () => {
    const good = w.must(A(), 'rev-parse', 'refs/lanes/queue');
    const blob =
      w.run(A(), 'git', ['hash-object', '-w', '--stdin']).stdout.trim() ||
      w.must(A(), 'hash-object', '-w', 'backend/a.ts');
    // Damaged from the coordinator: a lane's own hooks refuse rewriting the store (store-integrity).
    w.must(w.coordinator, 'update-ref', 'refs/lanes/queue', blob);
    commit(w, A(), ['backend/c.ts']);
    const r = push();
    expect(r.stderr).toContain('refused by claim-required');
    expect(r.stderr).toContain('cannot be read');
    const l = w.cli(A(), 'queue', 'list');
    expect(l.status).toBe(2);
    expect(l.stderr).toContain('refs/lanes/queue is damaged');
    // The tip's type is checked in the same batch as state.json's size (store.ts readBlobs).
    expect(l.stderr).toContain(`${blob} is not a commit`);
    expect(l.stderr).not.toMatch(/^\s+at /m);
    w.must(w.coordinator, 'update-ref', 'refs/lanes/queue', good);
    expect(push().status).toBe(0);
  });
});

describe('sync', () => {
  // sync's conflict path, moved from test/queue.test.ts once the demo tour held sync's main path
  // (test/demo.test.ts, issue 29).
  it('two clones that claim the same task offline agree on a single winner after sync on both', () => {
    const sb = coordinatorSandbox();
    const one = sb.coordinator;
    const two = path.join(sb.root, 'second-machine');
    sb.must(sb.root, 'clone', '-q', sb.remote, two);
    const task = sb.mustCli(one, 'queue', 'add', 'shared work').trim();
    expect(sb.mustCli(one, 'sync')).toContain('refs/lanes/queue: pushed');
    expect(sb.mustCli(two, 'sync')).toContain('refs/lanes/queue: fetched');

    // Offline (the remote unreachable from both, so queue claim cannot share the claim at once):
    // both claim the task, and each adds a task of its own.
    const offline = path.join(sb.root, 'unreachable.git');
    for (const dir of [one, two]) sb.must(dir, 'config', 'remote.origin.url', offline);
    sb.mustCli(
      one,
      'queue',
      'claim',
      '--role',
      'A-backend',
      '--owner',
      'agent-1',
      '--branch',
      'agent/A-backend',
      '--task',
      task,
    );
    sb.mustCli(
      two,
      'queue',
      'claim',
      '--role',
      'A-backend',
      '--owner',
      'agent-2',
      '--branch',
      'agent/A-backend',
      '--task',
      task,
    );
    const onOne = sb.mustCli(one, 'queue', 'add', 'made on one').trim();
    const onTwo = sb.mustCli(two, 'queue', 'add', 'made on two').trim();
    expect(onOne).toBe(onTwo); // the same number, given out on two machines
    for (const dir of [one, two]) sb.must(dir, 'config', 'remote.origin.url', sb.remote);

    expect(sb.cli(one, 'sync').status).toBe(0);
    const second = sb.cli(two, 'sync');
    expect(second.status).toBe(3);
    expect(second.stdout).toContain('LOST');
    expect(second.stdout).toContain('already claimed by agent-1');
    expect(second.stdout).toContain(`task ${onTwo} added here is`);
    expect(sb.cli(one, 'sync').status).toBe(0);

    const a = JSON.parse(sb.mustCli(one, 'queue', 'list', '--json'));
    const b = JSON.parse(sb.mustCli(two, 'queue', 'list', '--json'));
    expect(a).toEqual(b);
    const active = a.claims.filter((c: { state: string }) => c.state === 'active');
    expect(active.map((c: { owner: string }) => c.owner)).toEqual(['agent-1']);
    expect(a.tasks.map((t: { title: string }) => t.title)).toEqual([
      'shared work',
      'made on one',
      'made on two',
    ]);
    expect(new Set(a.tasks.map((t: { id: string }) => t.id)).size).toBe(3);
    expect(sb.must(two, 'rev-parse', 'refs/lanes/queue')).toBe(
      sb.must(sb.remote, 'rev-parse', 'refs/lanes/queue'),
    );
  });

  it('merges two queues started on two machines before either synced (no common history)', () => {
    const sb = coordinatorSandbox();
    const two = path.join(sb.root, 'second-machine');
    sb.must(sb.root, 'clone', '-q', sb.remote, two);
    sb.mustCli(sb.coordinator, 'queue', 'add', 'first on one');
    sb.mustCli(two, 'queue', 'add', 'first on two');
    expect(sb.mustCli(sb.coordinator, 'sync')).toContain('refs/lanes/queue: pushed');
    const merged = sb.cli(two, 'sync');
    expect(merged.status).toBe(0);
    expect(merged.stdout).toContain('refs/lanes/queue: merged');
    expect(merged.stdout).toContain('task T1 added here is T2 now');
    sb.mustCli(sb.coordinator, 'sync');
    for (const dir of [sb.coordinator, two])
      expect(
        list(sb, dir).tasks.map((t: { id: string; title: string }) => `${t.id} ${t.title}`),
      ).toEqual(['T1 first on one', 'T2 first on two']);
  });

  it('shares the audit log too', () => {
    const sb = coordinatorSandbox();
    const two = path.join(sb.root, 'second');
    sb.must(sb.root, 'clone', '-q', sb.remote, two);
    sb.mustCli(two, 'install');
    commit(sb, sb.coordinator, ['release-note.md']);
    sb.must(sb.coordinator, 'switch', '-q', 'release/platform-control');
    sb.run(sb.coordinator, 'git', ['commit', '-q', '--allow-empty', '-m', 'x'], {
      LANES_OVERRIDE: 'drill',
    });
    sb.mustCli(sb.coordinator, 'sync');
    sb.mustCli(two, 'sync');
    expect(
      JSON.parse(sb.mustCli(two, 'audit', '--json')).entries.map(
        (e: { reason: string }) => e.reason,
      ),
    ).toEqual(['drill']);
  });
});

describe('a claim on a task the coordinator has not shared (route a)', () => {
  const sb = hub();
  const A = sb.addLane('A-backend');
  const C = sb.coordinator;

  it(
    "the lane's sync carries the coordinator's task (its journal vouches for it), so the claim is on the hub at once",
    SLOW,
    () => {
      const task = sb.mustCli(C, 'queue', 'add', 'Build the API', '--role', 'A-backend').trim();
      const args = ['queue', 'claim', '--role', 'A-backend', '--owner', 'agent-a'];
      const claim = sb.cli(A, ...args, '--branch', 'agent/A-backend', '--task', task);
      expect(claim.status, claim.stderr).toBe(0);
      expect(claim.stderr).toContain('queue: shared with');
      expect(claim.stderr).not.toContain('held back');
      const hubState = sb.must(sb.remote, 'show', 'refs/lanes/queue:state.json');
      expect(hubState).toContain('Build the API');
      expect(hubState).toContain('agent-a');
      sb.write(A, 'backend/api.ts');
      sb.must(A, 'add', '--', 'backend/api.ts');
      sb.must(A, 'commit', '-qm', 'feat: api');
      const r = sb.git(A, 'push', '-q', 'origin', 'agent/A-backend');
      expect(r.status, r.stderr).toBe(0);
    },
  );
});
