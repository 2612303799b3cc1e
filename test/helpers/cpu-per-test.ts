// CPU seconds per test, children included (issue 29: on a loaded machine wall time says little).
// A vitest setup file (vitest.config.ts lists it; it does nothing unless LANES_CPU_PER_TEST=1):
// /proc/self/stat's utime, stime, cutime and cstime count this worker and every process it has
// waited for — git, hooks, the hub's guard pre-receive, each with its own children — so the
// difference across a test is what the test cost, whatever the load. Work done while the file is
// collected (a describe's world, built at its top level) is reported as "collect".
// Output: one line per test on stderr and, with LANES_CPU_PER_TEST_OUT=<file>, appended JSON lines.
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, expect } from 'vitest';

const on = process.env.LANES_CPU_PER_TEST === '1';

/** This process's CPU seconds plus its waited-for children's (Linux only: 0 elsewhere). */
export function cpuSeconds(): number {
  try {
    // Fields after the command name (which may hold spaces and parentheses): state is field 3.
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = [11, 12, 13, 14].map((i) => Number(f[i])); // utime stime cutime cstime
    return ticks.reduce((a, b) => a + b, 0) / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}

if (on) {
  const start = cpuSeconds();
  let before = start;
  let last = start;
  const rows: { file: string; test: string; cpu: number }[] = [];
  const file = () => path.relative(process.cwd(), expect.getState().testPath ?? '?');
  beforeEach(() => {
    const now = cpuSeconds();
    // Between the last test's end and this one's start: a describe's world, built at collection
    // (before the first test) or by a beforeAll.
    if (now - last > 0.05)
      rows.push({ file: file(), test: '(collect, beforeAll)', cpu: now - last });
    before = now;
  });
  afterEach((ctx) => {
    last = cpuSeconds();
    rows.push({ file: file(), test: ctx.task.name, cpu: last - before });
  });
  afterAll(() => {
    const total = cpuSeconds() - start;
    const lines = rows.map((r) => `${r.cpu.toFixed(2).padStart(7)} s  ${r.test}`);
    process.stderr.write(
      `cpu per test (${rows[0]?.file ?? ''}, ${total.toFixed(1)} CPU-s after setup):\n${lines.join('\n')}\n`,
    );
    const out = process.env.LANES_CPU_PER_TEST_OUT;
    if (out) appendFileSync(out, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  });
}
