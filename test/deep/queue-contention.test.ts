// The queue under contention (deep tier, issue 29; moved from test/queue.test.ts): concurrent
// claimers and adders that are real processes (the point is the concurrency), and writers
// SIGKILLed at random moments. The queue's commands stay in the fast tier (test/queue.test.ts),
// claim-required at pre-push and sync's main path are the demo tour's (test/demo.test.ts); 30
// claimers across 3 tasks are test/deep/chaos/store.test.ts's.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/demo/sandbox.js';
import { CLI, world } from '../helpers/world.js';
import { useInProcessCli } from '../helpers/in-process.js';
import { rounds } from '../helpers/tier.js';

// The queue list runs in this process (helpers/in-process.ts); the contenders are processes.
useInProcessCli();

interface Done {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Start the CLI without waiting (for contention); optionally SIGKILL it after `killAfterMs`. */
function start(sb: Sandbox, cwd: string, args: string[], killAfterMs?: number): Promise<Done> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd, env: sb.env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    if (killAfterMs !== undefined) setTimeout(() => p.kill('SIGKILL'), killAfterMs);
    p.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

const list = (sb: Sandbox, dir: string) => JSON.parse(sb.mustCli(dir, 'queue', 'list', '--json'));

// Contended processes per test: enough to collide on the compare-and-swap (retries grow with the
// square of it), few enough for the fast tier on a 2-core machine. The deep tier's
// test/deep/chaos/store.test.ts runs 30 claimers across 3 tasks; LANES_CONTENDERS pushes this one.
const CONTENDERS = Number(process.env.LANES_CONTENDERS ?? 4);
// Processes started and SIGKILLed at random moments: 24 in the deep tier, 8 when this file is run
// on its own outside it; LANES_KILLED sets it.
const KILLED = rounds('LANES_KILLED', { fast: 8, deep: 24 });

describe('contention', () => {
  it(`${CONTENDERS} processes claiming one task: exactly one winner, the others conflicts, and the store agrees`, async () => {
    const w = world();
    const task = w.mustCli(w.coordinator, 'queue', 'add', 'contended').trim();
    const t0 = Date.now();
    const runs = await Promise.all(
      Array.from({ length: CONTENDERS }, (_, i) =>
        start(w, w.coordinator, [
          'queue',
          'claim',
          '--role',
          'A-backend',
          '--owner',
          `agent-${i}`,
          '--branch',
          'agent/A-backend',
          '--task',
          task,
        ]),
      ),
    );
    const ms = Date.now() - t0;
    const winners = runs.filter((r) => r.status === 0);
    expect(winners).toHaveLength(1);
    expect(runs.filter((r) => r.status === 3)).toHaveLength(CONTENDERS - 1);
    const active = list(w, w.coordinator).claims.filter(
      (c: { state: string }) => c.state === 'active',
    );
    expect(active).toHaveLength(1);
    expect(winners[0]!.stdout).toContain(active[0].owner);
    console.log(`${CONTENDERS} contended claims: ${ms} ms`);
  });

  it(`${CONTENDERS} concurrent adds keep every task with a distinct id`, async () => {
    const w = world();
    const runs = await Promise.all(
      Array.from({ length: CONTENDERS }, (_, i) =>
        start(w, w.coordinator, ['queue', 'add', `task ${i}`]),
      ),
    );
    expect(runs.every((r) => r.status === 0)).toBe(true);
    const ids = runs.map((r) => r.stdout.trim());
    expect(new Set(ids).size).toBe(CONTENDERS);
    const q = list(w, w.coordinator);
    expect(q.tasks.map((t: { id: string }) => t.id).sort()).toEqual([...ids].sort());
    expect(q.tasks.map((t: { title: string }) => t.title).sort()).toEqual(
      Array.from({ length: CONTENDERS }, (_, i) => `task ${i}`).sort(),
    );
  });

  it('processes killed with SIGKILL at random moments leave a readable store, no lost task, no duplicate claim', async () => {
    const w = world();
    const runs = await Promise.all(
      Array.from({ length: KILLED }, (_, i) =>
        start(
          w,
          w.coordinator,
          i % 2
            ? ['queue', 'add', `k${i}`]
            : [
                'queue',
                'claim',
                '--role',
                ['A-backend', 'B-ui', 'C-ops'][i % 3]!,
                '--owner',
                `o${i % 3}`,
                '--branch',
                `agent/${['A-backend', 'B-ui', 'C-ops'][i % 3]}`,
              ],
          Math.floor(Math.random() * 400),
        ),
      ),
    );
    const q = list(w, w.coordinator);
    const added = runs.filter((r, i) => i % 2 && r.status === 0).map((r) => r.stdout.trim());
    for (const id of added) expect(q.tasks.map((t: { id: string }) => t.id)).toContain(id);
    expect(new Set(q.tasks.map((t: { id: string }) => t.id)).size).toBe(q.tasks.length);
    const active = q.claims
      .filter((c: { state: string }) => c.state === 'active')
      .map((c: { branch: string }) => c.branch);
    expect(new Set(active).size).toBe(active.length);
    expect(runs.some((r) => r.signal === 'SIGKILL')).toBe(true);
    // And it still takes writes.
    expect(w.cli(w.coordinator, 'queue', 'add', 'after the kills').status).toBe(0);
  });
});
