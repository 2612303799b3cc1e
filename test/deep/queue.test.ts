// The queue beyond each command's main path (the deep tier, issue 29; the main paths are
// test/queue.test.ts): what cannot be a task or claim, a claim held by someone other than the
// lane's owner, a damaged store, queues merged without common history, the audit log shared by
// sync, and a claim on a task the coordinator has not shared (route a).
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

describe('claim-required', () => {
  const { w, A, push, claim } = claimRequiredWorld();
  // Where the main path (test/queue.test.ts) leaves the lane: a commit not yet pushed.
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
