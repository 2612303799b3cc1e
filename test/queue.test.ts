// The queue in git: its commands, the authority for pushes, and shared between machines by sync.
//
// Tiers (issue 29): the queue commands run in this process (helpers/in-process.ts). Contention
// (concurrent claimers, writers SIGKILLed at random moments) is the deep tier's:
// test/deep/queue-contention.test.ts, and 30 claimers across 3 tasks in test/deep/chaos/store.test.ts.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/demo/sandbox.js';
import { commit, world } from './helpers/world.js';
import { coordinatorSandbox } from './helpers/template.js';
import { useInProcessCli } from './helpers/in-process.js';
import { hub, SLOW } from './attacks/hub.js';

// The CLI steps run in this process (helpers/in-process.ts); hooks and pushes stay real processes.
useInProcessCli();

const list = (sb: Sandbox, dir: string) => JSON.parse(sb.mustCli(dir, 'queue', 'list', '--json'));

describe('queue commands', () => {
  const w = world(['A-backend']);
  const C = () => w.coordinator;

  it('add prints the id alone; titles are data, stored faithfully', () => {
    // Control characters are refused (route 9: the table below); everything else is kept.
    const title = "Quote \" and 'single', a `tick`, $(rm -rf /) and ünïcødé <b>bold</b>";
    const id = w.mustCli(C(), 'queue', 'add', title, '--role', 'A-backend');
    expect(id).toMatch(/^T\d+\n$/);
    const q = list(w, C());
    expect(q.tasks).toEqual([
      expect.objectContaining({ id: id.trim(), title, role: 'A-backend', state: 'open' }),
    ]);
  });

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

  it('claims, refuses a second claimant of task or branch with exit 3, releases and finishes', () => {
    const task = w.mustCli(C(), 'queue', 'add', 'claim me').trim();
    const tryClaim = (owner: string, branch: string, forTask?: string) =>
      w.cli(
        C(),
        'queue',
        'claim',
        '--role',
        branch.replace('agent/', ''), // the branch decides the role
        '--owner',
        owner,
        '--branch',
        branch,
        ...(forTask ? ['--task', forTask] : []),
      );
    expect(tryClaim('agent-a', 'agent/A-backend', task).status).toBe(0);
    expect(tryClaim('agent-a', 'agent/A-backend', task).status).toBe(0); // again: no-op
    const other = tryClaim('agent-b', 'agent/B-ui', task);
    expect(other.status).toBe(3);
    expect(other.stderr).toContain('already claimed by agent-a');
    expect(tryClaim('agent-b', 'agent/A-backend').status).toBe(3);
    expect(w.cli(C(), 'queue', 'release', '--task', task).status).toBe(0);
    expect(w.cli(C(), 'queue', 'release', '--task', task).status).toBe(3);
    expect(tryClaim('agent-b', 'agent/A-backend', task).status).toBe(0);
    expect(w.cli(C(), 'queue', 'done', '--branch', 'agent/A-backend').status).toBe(0);
    const q = list(w, C());
    expect(q.tasks.find((t: { id: string }) => t.id === task).state).toBe('done');
    expect(
      q.claims.map((c: { owner: string; state: string; task: string }) => [
        c.owner,
        c.state,
        c.task,
      ]),
    ).toEqual([
      ['agent-a', 'released', task],
      ['agent-b', 'done', task],
    ]);
  });

  it('keeps a history that git log shows to a person', () => {
    const log = w.must(C(), 'log', '--format=%s', 'refs/lanes/queue');
    expect(log).toContain('claim');
    expect(log).toContain('by agent-b (A-backend) on agent/A-backend');
    expect(log.split('\n').length).toBeGreaterThanOrEqual(6);
  });
});

describe('claim-required', () => {
  const w = world(['A-backend']);
  const A = () => w.lanes['A-backend']!;
  const push = () => w.git(A(), 'push', '-q', 'origin', 'agent/A-backend');
  const claim = (owner: string) =>
    w.mustCli(
      A(),
      'queue',
      'claim',
      '--role',
      'A-backend',
      '--owner',
      owner,
      '--branch',
      'agent/A-backend',
    );

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
