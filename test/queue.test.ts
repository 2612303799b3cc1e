// The queue in git: its commands, the authority for pushes, and shared between machines by sync.
//
// Tiers (issue 29): the queue commands run in this process (helpers/in-process.ts). Contention
// (concurrent claimers, writers SIGKILLed at random moments) is the deep tier's:
// test/deep/queue-contention.test.ts, and 30 claimers across 3 tasks in test/deep/chaos/store.test.ts.
// Here each command's main path and claim-required at pre-push; the refusals beyond them, a damaged
// store, the other sync cases and route a: test/deep/queue.test.ts.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/demo/sandbox.js';
import { commit, world } from './helpers/world.js';
import { coordinatorSandbox } from './helpers/template.js';
import { useInProcessCli } from './helpers/in-process.js';
import { claimRequiredWorld } from './helpers/setups.js';

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
});
