// The demo's step machinery: a step runs real git or lanes-hooks in one worktree, says what the
// policy should do, and is judged on the exit code, the rule named in the refusal and a check.
import type { RunResult, Sandbox } from './sandbox.js';

export type Expect =
  | { allowed: true }
  | { refused: string }
  | { undone: string }
  | { conflict: string }
  | { fails: string };

export interface Step {
  lane: string;
  title: string;
  expect: Expect;
  act: (sb: Sandbox, dir: string) => RunResult;
  /** Extra check after the step (`r`: what its act gave): a problem description, or null. */
  check?: (sb: Sandbox, dir: string, r: RunResult) => string | null;
  /** What to print of the step's output beyond its outcome. */
  show?: (r: RunResult) => string;
}

export const commitFile =
  (file: string, env: NodeJS.ProcessEnv = {}, ...flags: string[]) =>
  (sb: Sandbox, dir: string) => {
    sb.write(dir, file);
    sb.must(dir, 'add', '--', file);
    return sb.run(dir, 'git', ['commit', '-q', ...flags, '-m', `change ${file}`], env);
  };

/** Run several git commands; the first failure is the step's result. */
export const seq =
  (...cmds: string[][]) =>
  (sb: Sandbox, dir: string) => {
    let last: RunResult = { status: 0, stdout: '', stderr: '' };
    for (const c of cmds) {
      last = sb.git(dir, ...c);
      if (last.status !== 0) return last;
    }
    return last;
  };

/** Run several lanes-hooks commands; the first failure is the step's result. */
export const cliSeq =
  (...cmds: string[][]) =>
  (sb: Sandbox, dir: string) => {
    let last: RunResult = { status: 0, stdout: '', stderr: '' };
    for (const c of cmds) {
      last = sb.cli(dir, ...c);
      if (last.status !== 0) return last;
    }
    return last;
  };

function expected(e: Expect): string {
  if ('allowed' in e) return 'allowed';
  if ('refused' in e) return `refused by ${e.refused}`;
  if ('conflict' in e) return 'conflict (exit 3)';
  if ('fails' in e) return `refused: ${e.fails}`;
  return `undone by ${e.undone}`;
}

function outcome(expect: Expect, r: RunResult): string | null {
  if ('allowed' in expect)
    return r.status === 0
      ? null
      : `expected it to be allowed, got exit ${r.status}: ${r.stderr.trim()}`;
  if ('refused' in expect) {
    if (r.status === 0) return `expected ${expect.refused} to refuse it, but it went through`;
    return r.stderr.includes(`refused by ${expect.refused}`)
      ? null
      : `refused, but not by ${expect.refused}: ${r.stderr.trim()}`;
  }
  if ('fails' in expect) {
    return r.status !== 0 && r.stderr.includes(expect.fails)
      ? null
      : `expected it to fail saying "${expect.fails}", got exit ${r.status}: ${r.stderr.trim()}`;
  }
  if ('conflict' in expect) {
    return r.status === 3 && r.stderr.includes(expect.conflict)
      ? null
      : `expected a conflict (exit 3), got exit ${r.status}: ${r.stderr.trim()}`;
  }
  return r.stderr.includes(expect.undone)
    ? null
    : `expected ${expect.undone} to undo it, got: ${r.stderr.trim() || '(no message)'}`;
}

/** Walk the steps in order, printing each verdict; true when every step behaved. */
export function runSteps(
  sb: Sandbox,
  lanes: Record<string, string>,
  steps: Step[],
  log: (s: string) => void,
): boolean {
  let ok = true;
  for (const s of steps) {
    const dirOf = lanes[s.lane]!;
    const r = s.act(sb, dirOf);
    const problem = outcome(s.expect, r) ?? s.check?.(sb, dirOf, r) ?? null;
    log(`${problem ? '✘' : '✔'} [${s.lane}] ${s.title}\n    → ${problem ?? expected(s.expect)}`);
    const first = r.stderr
      .split('\n')
      .find((l) => l.startsWith('lanes-hooks') || l.startsWith('queue'));
    if (first && !problem) log(`      ${first}`);
    if (s.show && !problem) log(s.show(r).replace(/^/gm, '      '));
    if (problem) ok = false;
  }
  return ok;
}
