// Scope-aware claims: a task may name the paths it touches; no two active claims of tasks whose
// paths may overlap, whatever their branches — refused by `queue claim` (exit 3, naming the other
// claim and its owner) and by the hub replaying the same rule on a pushed queue operation.
// (The overlap itself, pure, is a table in test/glob-overlap.test.ts: "globsOverlap".)
import { describe, expect, it } from 'vitest';
import { forge, hub, refusedBy, SLOW, tip } from '../attacks/hub.js';

describe('claims of tasks with overlapping paths', () => {
  // A claim's paths lie within its role's scope: B-ui and C-ops may change these here, so the
  // overlap, not the scope, is what refuses their claims below.
  const sb = hub((cfg) => {
    cfg.roles['B-ui'].paths.push('backend/api/**');
    cfg.roles['C-ops'].paths.push('contracts/**');
  });
  const C = sb.coordinator;
  const q = (...args: string[]) => sb.cli(C, 'queue', ...args);
  const add = (title: string, ...paths: string[]) =>
    sb.mustCli(C, 'queue', 'add', title, ...paths.flatMap((p) => ['--paths', p])).trim();
  const claim = (task: string, role: string, owner: string) =>
    q('claim', '--task', task, '--role', role, '--owner', owner, '--branch', `agent/${role}`);
  const T1 = add('API', 'backend/**', 'contracts/api.json');
  const T2 = add('API tests', 'backend/api/**');
  const T3 = add('UI', 'web/**');
  const T4 = add('Contracts', 'contracts/*.json');
  const T5 = add('Everything', '**');

  it(
    'stores the paths, claims a task, and refuses an overlapping one on another branch (exit 3, naming claim and owner)',
    SLOW,
    () => {
      const tasks = JSON.parse(sb.mustCli(C, 'queue', 'list', '--json')).tasks;
      expect(tasks.find((t: any) => t.id === T1).paths).toEqual([
        'backend/**',
        'contracts/api.json',
      ]);
      expect(claim(T1, 'A-backend', 'alice').status).toBe(0);
      const before = sb.must(C, 'rev-parse', 'refs/lanes/queue');
      for (const [task, role] of [
        [T2, 'B-ui'],
        [T4, 'C-ops'],
      ] as const) {
        const r = claim(task, role, 'bob');
        expect(r.status, r.stderr).toBe(3);
        expect(r.stderr).toContain('refused by claim-required');
        expect(r.stderr).toContain(`claimed by alice on agent/A-backend (claim C1)`);
        expect(r.stderr).toContain(`${task} touches paths that ${T1} may touch too`);
      }
      expect(sb.must(C, 'rev-parse', 'refs/lanes/queue')).toBe(before);
      // Route 6: a task that names everything blocks every claim: its claim must lie in scope.
      const all = claim(T5, 'B-ui', 'bob');
      expect(all.status, all.stderr).toBe(1);
      expect(all.stderr).toContain('not proven to lie within the B-ui role');
      expect(sb.must(C, 'rev-parse', 'refs/lanes/queue')).toBe(before);
      // Disjoint paths are claimed; once alice is done, the overlapping task is free.
      expect(claim(T3, 'B-ui', 'bob').status).toBe(0);
      expect(sb.cli(C, 'queue', 'done', '--task', T1).status).toBe(0);
      expect(claim(T4, 'C-ops', 'carol').status).toBe(0);
      expect(sb.cli(C, 'sync').status).toBe(0);
    },
  );

  it('the hub refuses the same claim pushed by hand, and takes a disjoint one', SLOW, () => {
    // The hub's queue: T4 (contracts/*.json) claimed by carol on agent/C-ops.
    sb.must(C, 'fetch', '-q', 'origin', '+refs/lanes/queue:refs/forge/queue');
    const parent = sb.must(C, 'rev-parse', 'refs/forge/queue');
    const state = JSON.parse(sb.must(C, 'show', `${parent}:state.json`));
    const at = new Date().toISOString();
    const forged = (task: string, role: string, owner: string) => {
      const id = `C${state.nextClaim}`;
      const next = {
        ...state,
        nextClaim: state.nextClaim + 1,
        tasks: state.tasks.map((t: any) => (t.id === task ? { ...t, state: 'claimed' } : t)),
        claims: [
          ...state.claims,
          {
            id,
            task,
            role,
            owner,
            branch: `agent/${role}`,
            state: 'active',
            at,
            by: 'x',
            lane: 'coordinator',
            endedAt: null,
          },
        ],
      };
      const claims = next.claims
        .filter((c: any) => c.state === 'active')
        .map((c: any) => `${c.branch}\t${c.owner}\n`)
        .join('');
      const op = {
        op: 'claim',
        role,
        owner,
        branch: `agent/${role}`,
        task,
        at,
        by: 'x',
        lane: 'coordinator',
      };
      return forge(sb, C, parent, {
        // The bytes the store writes (route 12: the hub takes no other serialisation).
        'op.json': JSON.stringify(op, null, 2) + '\n',
        'state.json': JSON.stringify(next, null, 2) + '\n',
        'claims.txt': claims,
      });
    };
    // Route 6 at the hub: a claim of the task that names '**', pushed by hand, is refused by
    // the scope rule before any overlap is judged.
    const everything = sb.git(
      C,
      'push',
      '-q',
      '--no-verify',
      'origin',
      `${forged(T5, 'A-backend', 'mallory')}:refs/lanes/queue`,
    );
    expect(refusedBy(everything, 'store-integrity', 'hub')).toBe(null);
    expect(everything.stderr).toContain('not proven to lie within the A-backend role');
    expect(tip(sb, 'refs/lanes/queue')).toBe(parent);
    // T1 (contracts/api.json) overlaps carol's T4, via agent/A-backend: refused at the hub.
    let r = sb.git(
      C,
      'push',
      '-q',
      '--no-verify',
      'origin',
      `${forged(T1, 'A-backend', 'mallory')}:refs/lanes/queue`,
    );
    expect(refusedBy(r, 'store-integrity', 'hub')).toBe(null);
    expect(r.stderr).toContain(`claimed by carol on agent/C-ops`);
    expect(tip(sb, 'refs/lanes/queue')).toBe(parent);
    // The same forgery for T2 (backend/api/**, nothing active overlaps it now) goes through: the
    // refusal above was the overlap, not the forging.
    r = sb.git(
      C,
      'push',
      '-q',
      '--no-verify',
      'origin',
      `${forged(T2, 'A-backend', 'mallory')}:refs/lanes/queue`,
    );
    expect(r.status, r.stderr).toBe(0);
  });
});
