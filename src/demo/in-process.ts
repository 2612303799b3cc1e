// The tour's own `lanes-hooks …` steps, run inside the tour's process (issue 29). The tour
// narrates what a user types; starting Node and loading the bundle for each of those ~50 steps
// cost more CPU than everything the steps themselves do. Where the process boundary is not what
// a step shows, the same command code runs here instead, with the step's directory, the
// sandbox's environment, stdout and stderr captured and the exit code main() would give the
// process. Git's hooks stay real processes (git starts them: that is what the tour shows), and
// so do the commands in needsProcess().
//
// The bundle is loaded once into a worker thread (with __lanesEmbedded set it only exports run(),
// see cli/main.ts), so that each command has an environment of its own (a worker's process.env is
// its own copy) and the tour's steps stay synchronous: this thread chdirs, posts the command and
// blocks in Atomics.wait until the worker answers (commands are async inside; the worker has its
// own event loop). The tests' runner (test/helpers/in-process.ts) is this one, and
// test/deep/in-process.test.ts checks that a command in process and as a process give the same exit
// code, stdout and stderr. A worker's stdout and stderr are no terminal, as a pipe was not: the
// commands print no colour and no progress, exactly as when the tour captured a child's pipes.
import { pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { RunResult } from './sandbox.js';

/** Longer than any single step of the tour: past it the worker is taken to hang. */
const WAIT_MS = 10 * 60_000;

/** Why `args` must run as its own process, or null when the tour may run it in process. */
export function needsProcess(args: readonly string[]): string | null {
  const [cmd, sub] = args;
  if (cmd === 'hook' || cmd === 'agent-hook') return 'reads its input from stdin';
  if (cmd === 'guard' && sub === 'pre-receive') return 'reads its input from stdin';
  if (cmd === 'hub' || cmd === 'verify') return 'changes directory (a worker thread may not)';
  if (cmd === 'dashboard' || cmd === 'launch' || args.includes('--watch')) return 'keeps running';
  if (cmd === 'demo') return 'starts a tour of its own';
  return null;
}

// The worker (CommonJS, run by eval): load the bundle, then one command per message. A throw
// that escapes run() would end the thread and leave the caller waiting: it is answered instead.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { Console } = require('node:console');
const { Writable } = require('node:stream');
globalThis.__lanesEmbedded = true;
const loaded = import(workerData.url);
const realStdout = process.stdout.write;
const realStderr = process.stderr.write;
const realConsole = globalThis.console;
const sink = (chunks) => new Writable({ write(chunk, _enc, done) { chunks.push(chunk); done(); } });
let current = null;
const answer = (result) => {
  const { port, flag } = current;
  current = null;
  port.postMessage(result);
  port.close();
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
};
process.on('uncaughtException', (e) => {
  if (current) answer({ status: 1, stdout: '', stderr: 'in-process lanes-hooks: uncaught ' + (e && e.stack || e) + '\\n' });
});
parentPort.on('message', async (msg) => {
  current = msg;
  const out = [];
  const err = [];
  let status;
  try {
    const { run } = await loaded;
    for (const k of Object.keys(process.env)) delete process.env[k];
    for (const [k, v] of Object.entries(msg.env)) if (v !== undefined) process.env[k] = v;
    const stdout = sink(out);
    const stderr = sink(err);
    process.stdout.write = stdout.write.bind(stdout);
    process.stderr.write = stderr.write.bind(stderr);
    globalThis.console = new Console({ stdout, stderr });
    status = await run(msg.argv);
  } catch (e) {
    err.push(Buffer.from('in-process lanes-hooks: ' + (e && e.stack || e) + '\\n'));
    status = 1;
  } finally {
    process.stdout.write = realStdout;
    process.stderr.write = realStderr;
    globalThis.console = realConsole;
  }
  answer({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
});
`;

export interface InProcessCli {
  /** `lanes-hooks <args>` in `cwd` with exactly `env`, as a process would give it. */
  run(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv): RunResult;
  /** End the worker (the tour's last step is done). */
  close(): void;
}

/** A runner for the commands of the bundle at `bundle` (its worker starts on the first command). */
export function inProcessCli(bundle: string): InProcessCli {
  let worker: Worker | undefined;
  return {
    run(cwd, args, env) {
      const why = needsProcess(args);
      if (why) throw new Error(`lanes-hooks ${args.join(' ')} cannot run in process: it ${why}`);
      if (!worker) {
        worker = new Worker(WORKER, {
          eval: true,
          workerData: { url: pathToFileURL(bundle).href },
        });
        // It must not keep the tour's process alive after its last step.
        worker.unref();
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
        if (!answer)
          throw new Error(`in-process lanes-hooks ${args.join(' ')}: woken without an answer`);
        return answer.message as RunResult;
      } finally {
        port1.close();
        process.chdir(back);
      }
    },
    close() {
      void worker?.terminate();
      worker = undefined;
    },
  };
}
