import os from 'node:os';
import { defineConfig } from 'vitest/config';
import SlowestFirst from './test/sequencer.js';
import TimingReporter from './test/timing-reporter.js';

// The deep tier (`npm run test:deep`, issue 29): test/deep/** — the random suites at full size,
// chaos, every real-binary agent test, the browser, real servers — and, with LANES_TIER=deep
// (test/helpers/tier.ts), the fast-tier files whose random suites then run at their full size.
// scripts/node-matrix.mjs then runs the fast tier again under Node 22 and 24.
process.env.LANES_TIER = 'deep';

/** Fast-tier files with parts that run only in the deep tier (DEEP, test/helpers/tier.ts). */
export const AGAIN = [
  'test/pathspec.test.ts', // 12 random rounds (4 in the fast tier)
  'test/agents-real.test.ts', // every real-binary session (one per agent in the fast tier)
  'test/dashboard.test.ts', // the dashboard in Chromium
];

/**
 * A test timeout is there to stop a hung test, not to measure speed (the timing report does that).
 * These files spawn thousands of git and Node processes; on a machine whose run queue is N times
 * its cores each of them waits N times as long (measured here: `node -e 0` at 3 s of wall for
 * 0.15 s of CPU at load 20 on 2 cores; chaos/layouts' pack-refs case 264 s of wall for 18 s of
 * CPU). So the default timeout grows with the load found at start, up to 10x; on a quiet machine
 * it stays 120 s. LANES_TIMEOUT_SCALE sets the factor.
 */
const SCALE = (() => {
  const set = Number(process.env.LANES_TIMEOUT_SCALE);
  if (Number.isFinite(set) && set >= 1) return set;
  const [load1] = os.loadavg();
  return Math.min(10, Math.max(1, load1! / os.availableParallelism()));
})();
const TIMEOUT = Math.round(120_000 * SCALE);
// The files' own per-test timeouts grow by the same factor (timeout(), test/helpers/tier.ts).
process.env.LANES_TIMEOUT_SCALE = String(SCALE);

export default defineConfig({
  test: {
    include: ['test/deep/**/*.test.ts', ...AGAIN],
    testTimeout: TIMEOUT,
    hookTimeout: TIMEOUT,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    sequence: { sequencer: SlowestFirst },
    maxWorkers: 2,
    reporters: ['default', new TimingReporter({ tier: 'deep', budgetSeconds: 0 })],
  },
});
