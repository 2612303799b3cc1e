// The thread that runs the built CLI in process for test/helpers/in-process.ts. It loads the
// bundle once (with __lanesEmbedded set, the bundle only exports run() instead of running its
// own command line) and then runs one command per message: the environment is the message's,
// stdout and stderr (process.stdout/stderr.write and console) are captured, and the exit code
// is run()'s return value (what main() makes the process's exit code). The cwd is the process's:
// the caller chdirs before it posts, and a worker's process.cwd() follows the main thread's.
// It answers on the message's port and wakes the caller, which waits with Atomics.wait.
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

globalThis.__lanesEmbedded = true;
const { run } = await import(pathToFileURL(workerData.bundle).href);

const realStdout = process.stdout.write;
const realStderr = process.stderr.write;
const realConsole = globalThis.console;

/**
 * A sink for console (which wants a real stream) and for the CLI's own write() calls; it keeps
 * the bytes, decoded at the end. Its _write answers at once, so every write lands synchronously.
 */
const sink = (chunks) =>
  new Writable({
    decodeStrings: true,
    write(chunk, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });

let current = null;
const answer = (result) => {
  const { port, flag } = current;
  current = null;
  port.postMessage(result);
  port.close();
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
};

// A throw that escapes run() would end the thread and leave the caller waiting: answer instead.
process.on('uncaughtException', (e) => {
  if (current)
    answer({ status: 1, stdout: '', stderr: `in-process CLI: uncaught ${e?.stack ?? e}\n` });
});

parentPort.on('message', async (msg) => {
  current = msg;
  const out = [];
  const err = [];
  for (const k of Object.keys(process.env)) delete process.env[k];
  for (const [k, v] of Object.entries(msg.env)) if (v !== undefined) process.env[k] = v;
  const stdout = sink(out);
  const stderr = sink(err);
  process.stdout.write = stdout.write.bind(stdout);
  process.stderr.write = stderr.write.bind(stderr);
  globalThis.console = new Console({ stdout, stderr });
  let status;
  try {
    status = await run(msg.argv);
  } catch (e) {
    // run() turns every error into a message: this is a bug in it, reported as the process would.
    err.push(Buffer.from(`in-process CLI: run() threw ${e?.stack ?? e}\n`));
    status = 1;
  } finally {
    process.stdout.write = realStdout;
    process.stderr.write = realStderr;
    globalThis.console = realConsole;
  }
  answer({
    status,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  });
});
