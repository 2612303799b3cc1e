// The built CLI run in the test's own process (issue 29: fewer processes per test). Starting Node
// and loading the bundle for every `lanes-hooks` step costs a few hundred milliseconds of CPU
// (seconds on a loaded machine); where a step's subject is not the process boundary, a test file
// runs its steps here instead: `useInProcessCli()` at the top of the file, and every
// `sb.cli` / `sb.mustCli` of the sandboxes the helpers make runs in process.
//
// The same bundle runs (dist/lanes-hooks.mjs, imported once into a worker thread: see
// cli-worker.mjs), with the sandbox's environment, in the directory given, stdout and stderr
// captured and the exit code main() would give the process. The call stays synchronous, as
// Sandbox.cli is: this thread chdirs, posts the command and blocks in Atomics.wait until the
// worker answers (commands are async inside; the worker has its own event loop). vitest's
// `pool: 'forks'` runs one file per process and a file's tests one after another, so the chdir
// (restored after each command) races with nothing.
//
// What stays a process (needsProcess): git hooks always do (git starts them); commands that read
// stdin (hook, agent-hook, guard pre-receive, verify --stdin), that keep running (dashboard,
// status --watch, launch), that chdir themselves (hub, verify: a worker may not), and the demo
// (its subject is the whole tour as a user runs it). LANES_TEST_IN_PROCESS=0 turns it all off. test/deep/in-process.test.ts checks that both
// ways give the same exit code, stdout and stderr.
import path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { Sandbox, type RunResult } from '../../src/demo/sandbox.js';

const WORKER = path.resolve('test/helpers/cli-worker.mjs');
/** Longer than any single command in the suite: past it the worker is taken to hang. */
const WAIT_MS = 10 * 60_000;

let worker: Worker | undefined;
let workerBundle: string | undefined;
let enabled = false;

/** From here on, this test file's sandboxes run the CLI in process where they can. */
export function useInProcessCli(on = true): void {
  // LANES_TEST_IN_PROCESS=0 runs every step as a process again: to rule the runner out.
  enabled = on && process.env.LANES_TEST_IN_PROCESS !== '0';
}

/** Why `args` must run as its own process, or null when it may run in process. */
export function needsProcess(args: readonly string[]): string | null {
  const [cmd, sub] = args;
  if (cmd === 'hook' || cmd === 'agent-hook') return 'reads its input from stdin';
  if (cmd === 'guard' && sub === 'pre-receive') return 'reads its input from stdin';
  if (cmd === 'hub' || cmd === 'verify') return 'changes directory (a worker thread may not)';
  if (cmd === 'dashboard' || cmd === 'launch' || args.includes('--watch')) return 'keeps running';
  if (cmd === 'demo') return 'the tour is run as a user runs it';
  return null;
}

/** `lanes-hooks <args>` from `bundle`, run in this process in `cwd` with exactly `env`. */
export function runInProcess(
  bundle: string,
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): RunResult {
  const why = needsProcess(args);
  if (why) throw new Error(`lanes-hooks ${args.join(' ')} cannot run in process: it ${why}`);
  if (worker && workerBundle !== bundle)
    throw new Error(`the in-process CLI runs ${workerBundle}, not ${bundle}`);
  if (!worker) {
    worker = new Worker(WORKER, { workerData: { bundle } });
    // The worker must not keep the test process alive after its last test.
    worker.unref();
    workerBundle = bundle;
  }
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const back = process.cwd();
  process.chdir(cwd);
  try {
    worker.postMessage({ port: port2, flag, argv: [...args], env: { ...env } }, [port2]);
    if (Atomics.wait(flag, 0, 0, WAIT_MS) === 'timed-out')
      throw new Error(`in-process lanes-hooks ${args.join(' ')}: no answer in ${WAIT_MS} ms`);
    const answer = receiveMessageOnPort(port1);
    if (!answer) throw new Error(`in-process lanes-hooks ${args.join(' ')}: woken without answer`);
    return answer.message as RunResult;
  } finally {
    port1.close();
    process.chdir(back);
  }
}

/**
 * A Sandbox whose cli() runs in process when the file chose so (useInProcessCli) and the command
 * allows it; cliProcess() is always a process, cliInProcess() never.
 */
export class TestSandbox extends Sandbox {
  override cli(cwd: string, ...args: string[]): RunResult {
    return enabled && !needsProcess(args)
      ? runInProcess(this.cliFile, cwd, args, this.env)
      : super.cli(cwd, ...args);
  }

  /** cli() with `env` over the sandbox's environment (as Sandbox.run takes it). */
  cliWith(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): RunResult {
    return enabled && !needsProcess(args)
      ? runInProcess(this.cliFile, cwd, args, { ...this.env, ...env })
      : this.run(cwd, process.execPath, [this.cliFile, ...args], env);
  }

  cliProcess(cwd: string, ...args: string[]): RunResult {
    return super.cli(cwd, ...args);
  }

  cliInProcess(cwd: string, ...args: string[]): RunResult {
    return runInProcess(this.cliFile, cwd, args, this.env);
  }
}
