// Deep tier: the process budget's cases beyond one per hook (test/process-budget.test.ts): the
// policy read once after integration moves, and a fetch and a rebase.
import { beforeAll, describe, expect, it } from 'vitest';
import { BUDGET, budgetWorld, none } from '../helpers/process-budget.js';
import { needs, STRACE_PKG } from '../helpers/system-deps.js';
import { countGuardProcesses } from '../helpers/proc-count.js';
import { claim, commit as commitFiles } from '../helpers/world.js';
import { hub } from '../attacks/hub.js';

/**
 * git processes of one guard pre-receive run for a lane branch push, counted from the trace of a
 * real push: the hub's git dir and bareness (one rev-parse) and own config (read once for the
 * pinned policy, the identity source and the override), HEAD, integration's tip and committed
 * config, the refs every push asks about (one for-each-ref), the hub's queue, the pushed range and
 * its net effect. 22 until the hub's queue was read once per push instead of twice
 * (src/guard/server-stores.ts), 19 until its own config was (src/cli/commands/guard.ts), 17 until
 * integration and the stores' refs were listed at once (src/guard/hub-refs.ts) and the bare check
 * joined the git dir's rev-parse.
 */
const GUARD_GIT = 12;

describe.runIf(needs('the process budget', STRACE_PKG))('the process budget of each hook', () => {
  const { sb, C, A, count, commit } = budgetWorld();
  commit('backend/warm.ts'); // the first run after setup may read the policy once

  it('16 staged names are judged in sh with no grep; a 17th starts the one grep for the rest', () => {
    const stage = (tag: string, n: number) => {
      for (let i = 0; i < n; i++) sb.write(A, `backend/${tag}/n${i}.ts`, `${tag} ${i}\n`);
      sb.must(A, 'add', '-A');
    };
    stage('sixteen', 16);
    expect(count(A, 'commit', '-q', '-m', 'sixteen names')).toEqual(BUDGET['in-scope commit']);
    stage('seventeen', 17);
    expect(count(A, 'commit', '-q', '-m', 'seventeen names')['pre-commit']).toEqual({
      runs: 1,
      git: 1,
      node: 0,
      other: ['grep'],
    });
  });

  it('the queue moved: its task is read once (one git), then noted; a new claim is seen at once', () => {
    sb.mustCli(C, 'queue', 'add', 'more work', '--role', 'A-backend');
    const first = commit('backend/queue-moved.ts');
    expect(first['prepare-commit-msg']).toEqual({ runs: 1, git: 1, node: 0, other: [] });
    expect(sb.must(A, 'log', '-1', '--format=%(trailers:key=Task,valueonly)')).toBe('T1');
    expect(commit('backend/queue-same.ts')).toEqual(BUDGET['in-scope commit']);
    // The claim moves to the new task: the very next commit carries it.
    sb.mustCli(C, 'queue', 'release', '--branch', 'agent/A-backend');
    sb.mustCli(
      C,
      'queue',
      'claim',
      '--role',
      'A-backend',
      '--owner',
      'alice',
      '--branch',
      'agent/A-backend',
      '--task',
      'T2',
    );
    expect(commit('backend/queue-claimed.ts')['prepare-commit-msg']!.git).toBe(1);
    expect(sb.must(A, 'log', '-1', '--format=%(trailers:key=Task,valueonly)')).toBe('T2');
  });

  it('integration moved: one policy read (ls-tree), then none; a new policy commit is seen at once', () => {
    sb.must(C, 'commit', '-q', '--allow-empty', '-m', 'integration moves');
    const first = commit('backend/two.ts');
    expect(first['pre-commit']!.git).toBe(2); // diff-index and the one ls-tree of the policy
    expect(commit('backend/three.ts')).toEqual(BUDGET['in-scope commit']);
    // The coordinator narrows A-backend's scope: the lane's very next commit is judged by it.
    const cfg = JSON.parse(sb.must(C, 'show', 'HEAD:.lanesrc.json'));
    cfg.roles['A-backend'].paths = ['services/**'];
    sb.write(C, '.lanesrc.json', JSON.stringify(cfg, null, 2) + '\n');
    sb.must(C, 'commit', '-q', '-am', 'narrow A-backend');
    sb.write(A, 'backend/four.ts', 'four\n');
    sb.must(A, 'add', '--', 'backend/four.ts');
    const refused = sb.run(A, 'git', ['commit', '-q', '-m', 'four']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('refused by path-scope');
    sb.must(A, 'reset', '-q', '--', 'backend/four.ts');
    sb.must(C, 'revert', '--no-edit', 'HEAD');
  });

  // Where the fast tier's push case leaves the lane: the claim synced and the branch pushed, the
  // first hook after the policy went back (the case above) having recompiled it in Node.
  describe('after a push of the lane branch', () => {
    beforeAll(() => {
      sb.mustCli(C, 'sync');
      sb.must(A, 'push', '-q', 'origin', 'agent/A-backend');
    });

    it('a fetch and a rebase: no Node, nothing but the shims (and at most one policy read)', () => {
      sb.must(C, 'commit', '-q', '--allow-empty', '-m', 'integration moves again');
      sb.must(C, 'push', '-q', 'origin', 'master');
      const fetch = count(A, 'fetch', '-q', 'origin');
      for (const [hook, h] of Object.entries(fetch)) expect(h, hook).toEqual(none(h.runs));
      const rebase = count(A, 'rebase', '-q', 'origin/master');
      let git = 0;
      for (const [hook, h] of Object.entries(rebase)) {
        expect({ hook, node: h.node, other: h.other }).toEqual({ hook, node: 0, other: [] });
        git += h.git;
      }
      expect(git).toBeLessThanOrEqual(1);
      expect(rebase['prepare-commit-msg']?.runs).toBeGreaterThan(0); // picks run it, and skip
      expect(rebase['prepare-commit-msg']?.git).toBe(0);
    });
  });
});

// The hub's side of a push (docs/speed.md, "Process budget"): guard pre-receive starts Node once
// per push, and the git processes it reads the hub with are counted here, so that a change that
// adds one says so. A lane branch pushed under its claim, the commonest push a hub takes.
describe.runIf(needs('the process budget', STRACE_PKG))(
  'the process budget of guard pre-receive',
  () => {
    const sb = hub(() => {}, { setup: true });
    const A = sb.lane('A-backend');
    claim(sb, A, 'A-backend', 'agent-a', 'agent/A-backend');
    commitFiles(sb, A, ['backend/first.ts']);
    sb.must(A, 'push', '-q', '--atomic', 'origin', 'agent/A-backend', 'refs/lanes/queue');

    it('a lane branch push under its claim: one Node, GUARD_GIT git processes', () => {
      commitFiles(sb, A, ['backend/second.ts']);
      const r = countGuardProcesses(A, ['push', '-q', 'origin', 'agent/A-backend'], sb.env);
      expect(r.status, r.stderr).toBe(0);
      expect(r.guards).toBe(1);
      expect(r.programs).toEqual({ git: GUARD_GIT });
    });
  },
);
