// `npm test` after the build: the typecheck and the fast tier's vitest run side by side (issue 29:
// the tier's 2 minutes include the typecheck). tsc keeps one core busy for ~15 s; vitest's two
// workers leave a core idle while vitest starts and while the last files finish, so the two
// together take less wall time than one after the other, and the CPU they need is the same.
// tsc's output is held back and printed after vitest's, whole; the exit code fails if either
// failed. Arguments are passed to vitest (`npm test -- test/foo.test.ts`).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A file of an installed package (vitest's exports do not name its bin, so no require.resolve). */
const bin = (pkg, file) =>
  fileURLToPath(new URL(`../node_modules/${pkg}/${file}`, import.meta.url));

/** Runs `node <script> <args>`; resolves with the exit code and, if `capture`, the output. */
function run(script, args, capture) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], {
      stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    let out = '';
    if (capture) {
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
    }
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), out }));
  });
}

const typecheck = run(bin('typescript', 'bin/tsc'), ['--noEmit'], true);
const tests = run(bin('vitest', 'vitest.mjs'), ['run', ...process.argv.slice(2)], false);
const [tsc, vitest] = await Promise.all([typecheck, tests]);
if (tsc.code !== 0) process.stderr.write(`\ntsc --noEmit failed:\n${tsc.out}`);
else process.stdout.write('tsc --noEmit: no errors\n');
process.exitCode = tsc.code || vitest.code;
