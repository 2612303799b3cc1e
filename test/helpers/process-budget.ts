// The world of the process budget (docs/speed.md, "Process budget"), shared by its fast cases
// (test/process-budget.test.ts: one per hook) and its deep ones (test/deep/process-budget.test.ts):
// a hub, a coordinator and its lanes by setup, A-backend claimed under a task, and the budget
// itself.
import { expect } from 'vitest';
import { hubWorld } from '../attacks/hub.js';
import { countHookProcesses, STRACE, type HookCount } from './proc-count.js';

export const none = (runs: number): HookCount => ({ runs, git: 0, node: 0, other: [] });
/** The budget: per case, per hook, the shim runs and the programs started under it. */
export const BUDGET = {
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

/** Call inside a describe: the world, `count` (the hooks' processes of one git command) and `commit`. */
export function budgetWorld() {
  // The hub with every lane by setup, no hook: a copy of the template test/server.test.ts and
  // test/attacks/local-refs.test.ts start from too (helpers/template.ts), not a setup of its own.
  const sb = hubWorld(() => {}, { setup: true });
  const C = sb.coordinator;
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
  return { sb, C, A, count, commit };
}
