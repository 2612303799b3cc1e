// The built CLI run in the test's own process (issue 29: fewer processes per test). Starting Node
// and loading the bundle for every `lanes-hooks` step costs a few hundred milliseconds of CPU
// (seconds on a loaded machine); where a step's subject is not the process boundary, a test file
// runs its steps here instead: `useInProcessCli()` at the top of the file, and every
// `sb.cli` / `sb.mustCli` of the sandboxes the helpers make runs in process.
//
// The same bundle runs (dist/lanes-hooks.mjs, imported once into a worker thread by the runner
// the demo tour uses, src/demo/in-process.ts), with the sandbox's environment, in the directory
// given, stdout and stderr captured and the exit code main() would give the process. The call
// stays synchronous, as Sandbox.cli is: the runner chdirs, posts the command and blocks until the
// worker answers. vitest's `pool: 'forks'` runs one file per process and a file's tests one after
// another, so the chdir (restored after each command) races with nothing.
//
// What stays a process (needsProcess, src/demo/in-process.ts): git hooks always do (git starts
// them); commands that read stdin (hook, agent-hook, guard pre-receive), that keep running
// (dashboard, status --watch, launch), that chdir themselves (hub, verify: a worker may not), and
// the demo. LANES_TEST_IN_PROCESS=0 turns it all off. test/deep/in-process.test.ts checks that
// both ways give the same exit code, stdout and stderr.
import { inProcessCli, needsProcess, type InProcessCli } from '../../src/demo/in-process.js';
import { Sandbox, type RunResult } from '../../src/demo/sandbox.js';

export { needsProcess };

let runner: InProcessCli | undefined;
let runnerBundle: string | undefined;
let enabled = false;

/** From here on, this test file's sandboxes run the CLI in process where they can. */
export function useInProcessCli(on = true): void {
  // LANES_TEST_IN_PROCESS=0 runs every step as a process again: to rule the runner out.
  enabled = on && process.env.LANES_TEST_IN_PROCESS !== '0';
}

/** `lanes-hooks <args>` from `bundle`, run in this process in `cwd` with exactly `env`. */
export function runInProcess(
  bundle: string,
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): RunResult {
  if (runner && runnerBundle !== bundle)
    throw new Error(`the in-process CLI runs ${runnerBundle}, not ${bundle}`);
  runner ??= inProcessCli(bundle);
  runnerBundle = bundle;
  return runner.run(cwd, args, env);
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
