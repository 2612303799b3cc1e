// A lane whose commits run with LANES_HOOKS_TRACE (each Node start logged): the world of the
// pre-commit fast path cases in test/fast-path.test.ts and test/deep/fast-path.test.ts.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { commit, world } from './world.js';

/**
 * The hooks that started Node, one per line of a LANES_HOOKS_TRACE file (its first word: the
 * hook); none when the file is absent (no Node started).
 */
export function nodeStartsIn(trace: string): string[] {
  return existsSync(trace)
    ? readFileSync(trace, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ')[0]!)
    : [];
}

/** Call inside a describe: the world, its A-backend lane, the Node starts, a traced commit. */
export function tracedLane() {
  const w = world(['A-backend']);
  const A = () => w.lanes['A-backend']!;
  const trace = path.join(w.root, 'trace');
  const nodeStarts = () =>
    existsSync(trace) ? readFileSync(trace, 'utf8').trim().split('\n').filter(Boolean) : [];
  const tracedCommit = (files: string[]) => {
    rmSync(trace, { force: true });
    return commit(w, A(), files, { env: { LANES_HOOKS_TRACE: trace } });
  };
  return { w, A, nodeStarts, tracedCommit };
}
