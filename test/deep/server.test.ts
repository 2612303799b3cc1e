// Deep tier: the server routes that no coverage-map cell names (test/server.test.ts holds those),
// each against a bare hub running guard pre-receive: a second claim, laundering through another
// lane's branch, a plain-push promotion, a claim synced by someone who is not its owner, marking a
// claim done, a push with no identity where the hub names pushers, and a concurrent
// claim through the hub. Each describe first brings its hub to where the fast file's earlier tests
// leave it.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { claim, CLI, commit } from '../helpers/world.js';
import { forge, hub as attackHub, tip } from '../attacks/hub.js';
import { useInProcessCli } from '../helpers/in-process.js';

// The CLI steps run in this process (helpers/in-process.ts); hooks and pushes stay real processes.
useInProcessCli();

/** A hub with guard pre-receive, a coordinator and every lane by setup; `edit` changes the config. */
const hub = (edit?: (cfg: Record<string, any>) => void) => attackHub(edit, { setup: true });

describe('the hub without identities: claims, laundering, the store', () => {
  const sb = hub();
  const A = sb.lane('A-backend');
  const C = sb.coordinator;
  const push = (dir: string, ...args: string[]) => sb.git(dir, 'push', '-q', ...args);
  // A-backend claimed, its commit on the hub with the claim (one atomic push).
  claim(sb, A, 'A-backend', 'agent-a', 'agent/A-backend');
  commit(sb, A, ['backend/feature.ts']);
  sb.must(A, 'push', '-q', '--atomic', 'origin', 'agent/A-backend', 'refs/lanes/queue');

  it('refuses a second claim of a claimed branch, as the local compare-and-swap would', () => {
    sb.must(C, 'fetch', '-q', 'origin', '+refs/lanes/queue:refs/forge/queue');
    const parent = sb.must(C, 'rev-parse', 'refs/forge/queue');
    const op = {
      op: 'claim',
      role: 'A-backend',
      owner: 'mallory',
      branch: 'agent/A-backend',
      task: null,
      at: 'now',
      by: 'mallory',
      lane: 'A-backend',
    };
    const forged = forge(sb, C, parent, {
      'op.json': JSON.stringify(op),
      'state.json': sb.must(C, 'show', `${parent}:state.json`),
      'claims.txt': sb.git(C, 'show', `${parent}:claims.txt`).stdout,
    });
    const r = push(C, '--no-verify', 'origin', `${forged}:refs/lanes/queue`);
    expect(r.stderr).toContain('already claimed by agent-a');
  });

  it('refuses laundering: A-backend commits already on the hub, pushed to agent/C-ops', () => {
    claim(sb, C, 'C-ops', 'agent-c', 'agent/C-ops');
    sb.mustCli(C, 'sync');
    // With its hooks, the lane is stopped at once: it pushes only its own branch.
    const local = push(A, 'origin', 'agent/A-backend:agent/C-ops');
    expect(local.status).not.toBe(0);
    expect(local.stderr).toMatch(/^lanes-hooks: refused by lane-branch/m);
    // Without them, the hub judges what agent/C-ops would gain beyond integration.
    const before = tip(sb, 'agent/C-ops');
    const r = push(A, '--no-verify', 'origin', 'agent/A-backend:agent/C-ops');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('remote: lanes-hooks: refused by path-scope');
    expect(r.stderr).toContain('backend/feature.ts');
    expect(tip(sb, 'agent/C-ops')).toBe(before);
  });
});

describe('promotion is audited however it is pushed', () => {
  const sb = hub();
  const C = sb.coordinator;
  commit(sb, C, ['docs/next.md']);
  sb.must(C, 'push', '-q', 'origin', 'master');

  it('records a plain `git push` of release from the coordinator, and the hub accepts it', () => {
    const sha = sb.must(C, 'rev-parse', 'origin/master');
    const r = sb.git(C, 'push', 'origin', `${sha}:refs/heads/release/platform-control`);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('recorded in the audit log');
    expect(tip(sb, 'release/platform-control')).toBe(sha);
    const entries = sb.must(sb.remote, 'log', '--format=%s', 'refs/lanes/audit');
    expect(entries).toContain('promotion');
    const audit = JSON.parse(sb.mustCli(C, 'audit', '--json')).entries;
    expect(audit.filter((e: { kind: string }) => e.kind === 'promotion')).toHaveLength(1);
  });
});

describe('who may push what, where the hub names the pusher', () => {
  const sb = hub((cfg) => {
    cfg.server.coordinators = ['coord'];
    cfg.roles['A-backend'].owners = ['alice'];
    cfg.queue.requireClaim = true;
  });
  const A = sb.lane('A-backend');
  const C = sb.coordinator;
  const as = (user: string | null, dir: string, ...args: string[]) =>
    sb.run(dir, 'git', ['push', '-q', '--no-verify', ...args], user ? { GL_USERNAME: user } : {});
  claim(sb, C, 'A-backend', 'alice', 'agent/A-backend');
  commit(sb, A, ['backend/owned.ts']);

  it('refuses the queue claim synced by someone who is not the lane’s owner', () => {
    const r = as('mallory', C, 'origin', 'refs/lanes/queue');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('a claim for A-backend is made by its owners (alice)');
    expect(as('alice', C, 'origin', 'refs/lanes/queue').status).toBe(0);
  });

  describe('with the claim synced (above) and the branch pushed by their owner', () => {
    beforeAll(() => {
      expect(as('alice', A, 'origin', 'agent/A-backend').status).toBe(0);
    });

    it('refuses marking a claim done by a non-coordinator', () => {
      sb.mustCli(A, 'queue', 'done', '--branch', 'agent/A-backend');
      const r = as('alice', A, 'origin', 'refs/lanes/queue');
      expect(r.stderr).toContain('marking a claim done needs a coordinator');
      expect(as('coord', A, 'origin', 'refs/lanes/queue').status).toBe(0);
    });

    it('refuses a push that carries no identity where the hub names pushers (route 9)', () => {
      claim(sb, C, 'A-backend', 'alice', 'agent/A-backend');
      commit(sb, A, ['backend/second.ts']);
      const r = as(null, A, '--atomic', 'origin', 'agent/A-backend', 'refs/lanes/queue');
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('the hosting layer must name the pusher');
      expect(
        as('alice', A, '--atomic', 'origin', 'agent/A-backend', 'refs/lanes/queue').status,
      ).toBe(0);
    });
  });
});

describe('concurrent claims through the hub', () => {
  it('two machines claim the same task and push at once: exactly one wins, nothing is lost', async () => {
    const sb = hub();
    const C = sb.coordinator;
    const id = sb.mustCli(C, 'queue', 'add', 'the one task', '--role', 'A-backend').trim();
    sb.mustCli(C, 'sync');
    const machines = ['m1', 'm2'].map((m) => {
      const dir = path.join(sb.root, m);
      sb.must(sb.root, 'clone', '-q', sb.remote, dir);
      sb.must(dir, 'fetch', '-q', 'origin', 'refs/lanes/queue:refs/lanes/queue');
      sb.must(dir, 'switch', '-q', '-c', 'agent/A-backend', 'origin/master');
      commit(sb, dir, [`backend/${m}.ts`]);
      return dir;
    });
    const run = (dir: string, owner: string) =>
      new Promise<number>((resolve) => {
        const script = `node ${JSON.stringify(CLI)} queue claim --role A-backend --owner ${owner} --branch agent/A-backend --task ${id} && git push -q --no-verify --atomic origin agent/A-backend refs/lanes/queue`;
        const p = spawn('sh', ['-c', script], { cwd: dir, env: sb.env, stdio: 'ignore' });
        p.on('exit', (code) => resolve(code ?? 1));
      });
    const codes = await Promise.all([run(machines[0]!, 'agent-1'), run(machines[1]!, 'agent-2')]);
    expect(codes.filter((c) => c === 0)).toHaveLength(1);
    const state = JSON.parse(sb.must(sb.remote, 'show', 'refs/lanes/queue:state.json'));
    expect(state.claims.filter((c: { state: string }) => c.state === 'active')).toHaveLength(1);
    expect(state.tasks.map((t: { id: string }) => t.id)).toEqual([id]);
    const winner = codes[0] === 0 ? machines[0]! : machines[1]!;
    expect(tip(sb, 'agent/A-backend')).toBe(sb.must(winner, 'rev-parse', 'HEAD'));
  });
});
