// The process budget (docs/speed.md, "Process budget"): how many programs each hook may start in
// the common cases, counted with strace over real git commands in a real lane. A change that adds
// a process fails here until the budget (and the doc's table) says so. One case per hook here;
// the policy read after integration moves, a fetch and a rebase: test/deep/process-budget.test.ts.
import { describe, expect, it } from 'vitest';
import { BUDGET, budgetWorld } from './helpers/process-budget.js';
import type { HookCount } from './helpers/proc-count.js';
import { needs, STRACE_PKG } from './helpers/system-deps.js';
import { useInProcessCli } from './helpers/in-process.js';

// The world's and the tests' own lanes-hooks steps (queue, claim, sync) run in this process
// (helpers/in-process.ts): what is counted is the hooks git starts, under strace, which stay
// processes.
useInProcessCli();

describe.runIf(needs('the process budget', STRACE_PKG))('the process budget of each hook', () => {
  const { sb, C, A, count, commit } = budgetWorld();

  it('an in-scope commit in a lane: git’s own processes only, no Node', () => {
    commit('backend/warm.ts'); // the first run after setup may read the policy once
    expect(commit('backend/one.ts')).toEqual(BUDGET['in-scope commit']);
    expect(sb.must(A, 'log', '-1', '--format=%(trailers:key=Task,valueonly)')).toBe('T1');
  });

  it('a push of the lane branch under its claim', () => {
    sb.mustCli(C, 'sync');
    // A warm-up: the first push may compile in Node what the next ones read (in the deep tier,
    // after the policy went back, it recompiles it).
    count(A, 'push', '-q', 'origin', 'agent/A-backend');
    const prePush = (git: number): HookCount => ({ runs: 1, git, node: 0, other: [] });
    // The warm-up noted the claims index: a push lists the range and nothing else…
    commit('backend/five.ts');
    expect(count(A, 'push', '-q', 'origin', 'agent/A-backend')).toEqual(
      BUDGET['push of the lane branch'],
    );
    // …until the queue moves: the claims index is read once more (a second git), and noted.
    sb.mustCli(C, 'queue', 'add', 'yet more work', '--role', 'A-backend');
    commit('backend/six.ts');
    expect(count(A, 'push', '-q', 'origin', 'agent/A-backend')['pre-push']).toEqual(prePush(2));
    commit('backend/seven.ts');
    expect(count(A, 'push', '-q', 'origin', 'agent/A-backend')).toEqual(
      BUDGET['push of the lane branch'],
    );
  });
});
