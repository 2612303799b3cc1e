// The process budget (docs/speed.md, "Process budget"): how many programs each hook may start in
// the common cases, counted with strace over real git commands in a real lane. A change that adds
// a process fails here until the budget (and the doc's table) says so.
import { describe, expect, it } from 'vitest';
import { hub } from './attacks/hub.js';
import { countHookProcesses, STRACE, type HookCount } from './helpers/proc-count.js';
import { needs, STRACE_PKG } from './helpers/system-deps.js';

const none = (runs: number): HookCount => ({ runs, git: 0, node: 0, other: [] });
/** The budget: per case, per hook, the shim runs and the programs started under it. */
const BUDGET = {
  'in-scope commit': {
    'pre-commit': { runs: 1, git: 1, node: 0, other: [] }, // diff-index of the staged names
    // The claim's task, noted per value of the queue ref: read once after the queue moves.
    'prepare-commit-msg': { runs: 1, git: 0, node: 0, other: [] },
    'reference-transaction': none(2),
  },
  'push of the lane branch': {
    // One git log of the range with its names; the claim is noted per value of the queue ref.
    'pre-push': { runs: 1, git: 1, node: 0, other: [] },
    'reference-transaction': none(2),
  },
} satisfies Record<string, Record<string, HookCount>>;

describe.runIf(needs('the process budget', STRACE_PKG))('the process budget of each hook', () => {
  const sb = hub(() => {}, { hook: false });
  const C = sb.coordinator;
  sb.mustCli(C, 'setup');
  const A = sb.lane('A-backend');
  const count = (dir: string, ...args: string[]) => {
    if (!STRACE) throw new Error('the process budget needs strace: apt-get install -y strace');
    const r = countHookProcesses(dir, 'git', args, sb.env);
    expect(r.status, r.stderr).toBe(0);
    return r.hooks;
  };
  const commit = (file: string) => {
    sb.write(A, file, `${file} ${Math.random()}\n`);
    sb.must(A, 'add', '--', file);
    return count(A, 'commit', '-q', '-m', `add ${file}`);
  };
  sb.mustCli(C, 'queue', 'add', 'work', '--role', 'A-backend');
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
    'T1',
  );

  it('an in-scope commit in a lane: git’s own processes only, no Node', () => {
    commit('backend/warm.ts'); // the first run after setup may read the policy once
    expect(commit('backend/one.ts')).toEqual(BUDGET['in-scope commit']);
    expect(sb.must(A, 'log', '-1', '--format=%(trailers:key=Task,valueonly)')).toBe('T1');
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

  it('a push of the lane branch under its claim', () => {
    sb.mustCli(C, 'sync');
    // The first hook after the policy went back (the previous test) recompiles it in Node.
    count(A, 'push', '-q', 'origin', 'agent/A-backend');
    const prePush = (git: number): HookCount => ({ runs: 1, git, node: 0, other: [] });
    // The first push the shell decides reads the claims index (a second git) and notes it…
    commit('backend/five.ts');
    expect(count(A, 'push', '-q', 'origin', 'agent/A-backend')['pre-push']).toEqual(prePush(2));
    // …the next ones only list the range.
    commit('backend/six.ts');
    expect(count(A, 'push', '-q', 'origin', 'agent/A-backend')).toEqual(
      BUDGET['push of the lane branch'],
    );
    // The queue moves: the claims index is read once more.
    sb.mustCli(C, 'queue', 'add', 'yet more work', '--role', 'A-backend');
    commit('backend/seven.ts');
    expect(count(A, 'push', '-q', 'origin', 'agent/A-backend')['pre-push']).toEqual(prePush(2));
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
