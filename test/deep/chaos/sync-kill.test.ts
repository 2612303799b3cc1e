// sync killed mid-flight on two machines at once: nothing added is lost, no branch is claimed
// twice, and once a sync completes on both, both machines and the remote hold the same queue.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { timeout } from '../../helpers/tier.js';
import { Sandbox } from '../../../src/demo/sandbox.js';
import { CLI } from '../../helpers/world.js';
import { coordinatorSandbox } from '../../helpers/template.js';

interface Ended {
  status: number | null;
  signal: NodeJS.Signals | null;
}

function syncKilledAfter(sb: Sandbox, cwd: string, ms: number): Promise<Ended> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, 'sync'], { cwd, env: sb.env, stdio: 'ignore' });
    const timer = setTimeout(() => p.kill('SIGKILL'), ms);
    p.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal });
    });
  });
}

interface Queue {
  tasks: { id: string; title: string }[];
  claims: { branch: string; owner: string; state: string }[];
}

const ROUNDS = 3;

describe('sync under SIGKILL', () => {
  it(
    'loses no task and grants no branch twice, whenever the two machines are killed',
    async () => {
      const sb = coordinatorSandbox();
      // One lane role per round (a claim of agent/<role> is made for that role).
      const cfg = JSON.parse(sb.must(sb.coordinator, 'show', 'HEAD:.lanesrc.json'));
      for (let r = 0; r < ROUNDS; r++)
        cfg.roles[`shared-${r}`] = { kind: 'delivery', paths: [`shared-${r}/**`] };
      sb.write(sb.coordinator, '.lanesrc.json', JSON.stringify(cfg, null, 2));
      sb.must(sb.coordinator, 'commit', '-qam', 'a role per round');
      sb.must(sb.coordinator, 'push', '-q', 'origin', 'master');
      const machines = [sb.coordinator, path.join(sb.root, 'second-machine')];
      sb.must(sb.root, 'clone', '-q', sb.remote, machines[1]!);
      const list = (dir: string): Queue => JSON.parse(sb.mustCli(dir, 'queue', 'list', '--json'));
      const titles: string[] = [];
      const ends: Ended[] = [];
      let seed = 11;
      const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;

      for (let round = 0; round < ROUNDS; round++) {
        for (const [m, dir] of machines.entries()) {
          const title = `r${round} m${m}`;
          sb.mustCli(dir, 'queue', 'add', title);
          titles.push(title);
          // Both machines claim the same branch offline: sync must leave one holder.
          const r = sb.cli(
            dir,
            'queue',
            'claim',
            '--role',
            `shared-${round}`,
            '--owner',
            `m${m}`,
            '--branch',
            `agent/shared-${round}`,
          );
          expect([0, 3]).toContain(r.status);
        }
        ends.push(
          ...(await Promise.all(
            machines.map((dir) => syncKilledAfter(sb, dir, 50 + Math.floor(rand() * 2500))),
          )),
        );
        for (const dir of machines) list(dir); // readable after every kill
      }

      // Finish: sync until both machines report nothing left to do.
      for (let i = 0; i < 4; i++) for (const dir of machines) sb.cli(dir, 'sync');
      const [one, two] = machines.map(list) as [Queue, Queue];
      expect(two).toEqual(one);
      expect(sb.must(machines[1]!, 'rev-parse', 'refs/lanes/queue')).toBe(
        sb.must(sb.remote, 'rev-parse', 'refs/lanes/queue'),
      );
      expect(one.tasks.map((t) => t.title).sort()).toEqual([...titles].sort());
      expect(new Set(one.tasks.map((t) => t.id)).size).toBe(titles.length);
      const active = one.claims.filter((c) => c.state === 'active').map((c) => c.branch);
      expect(new Set(active).size).toBe(active.length);
      expect(active.sort()).toEqual(Array.from({ length: ROUNDS }, (_, r) => `agent/shared-${r}`));
      const killed = ends.filter((e) => e.signal === 'SIGKILL').length;
      expect(killed).toBeGreaterThan(0);
      console.log(`sync under SIGKILL: ${killed} of ${ends.length} syncs killed mid-flight`);
    },
    timeout(240_000),
  ); // a few dozen CLI runs: slow on a loaded 2-core machine, never a hang
});
