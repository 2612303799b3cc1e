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
  'test/agents-selfedit.test.ts', // the real binaries switching their own hooks off
  'test/dashboard.test.ts', // the dashboard in Chromium
  'test/queue.test.ts', // 24 queue writers SIGKILLed at random moments (8 in the fast tier)
];

export default defineConfig({
  test: {
    include: ['test/deep/**/*.test.ts', ...AGAIN],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    sequence: { sequencer: SlowestFirst },
    maxWorkers: 2,
    reporters: ['default', new TimingReporter({ tier: 'deep', budgetSeconds: 0 })],
  },
});
