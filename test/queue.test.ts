// The queue in git: its commands, the authority for pushes, and shared between machines by sync.
//
// Tiers (issue 29): the queue commands run in this process (helpers/in-process.ts). Contention
// (concurrent claimers, writers SIGKILLed at random moments) is the deep tier's:
// test/deep/queue-contention.test.ts, and 30 claimers across 3 tasks in test/deep/chaos/store.test.ts.
// Here the queue commands' main path. claim-required at pre-push and sync's main path are the demo
// tour's (test/demo.test.ts); claim-required after release and done, the refusals beyond them, a
// damaged store, the sync cases and route a: test/deep/queue.test.ts.
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/demo/sandbox.js';
import { world } from './helpers/world.js';
import { useInProcessCli } from './helpers/in-process.js';

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
