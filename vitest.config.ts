import { defineConfig } from 'vitest/config';
import SlowestFirst from './test/sequencer.js';
import TimingReporter from './test/timing-reporter.js';

/**
 * Seconds a fast-tier file may take on a quiet machine before the run warns about it. The tier's
 * 2 minutes leave about 100 s of vitest on two workers once the build and typecheck are done:
 * 200 worker-seconds for some 60 files. The demo tour, the largest single file (about 25 s), sets
 * the ceiling; a file past it makes the two workers finish apart (docs/testing.md).
 */
const FAST_FILE_BUDGET = Number(process.env.LANES_FILE_BUDGET ?? 25);

// The fast tier (`npm test`): every test file except test/deep/** (the deep tier,
// vitest.deep.config.ts). Tests drive real git and the built CLI: give each file room, and keep
// the two cores busy without oversubscribing them (every test spawns many git and node processes).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/deep/**', '**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Sandbox templates shared by the run's workers (test/helpers/template.ts).
    globalSetup: ['test/global-setup.ts'],
    // CPU seconds per test with LANES_CPU_PER_TEST=1 (nothing otherwise): test/helpers/cpu-per-test.ts.
    setupFiles: ['test/helpers/per-file.ts', 'test/helpers/cpu-per-test.ts'],
    // One module graph per worker, not per file: loading vitest and the sources costs about a
    // CPU-second per file (docs/testing.md). Per-file state is reset by test/helpers/per-file.ts.
    isolate: false,
    // Longest files first: the two workers finish together (test/sequencer.ts).
    sequence: { sequencer: SlowestFirst },
    maxWorkers: 2,
    reporters: ['default', new TimingReporter({ tier: 'fast', budgetSeconds: FAST_FILE_BUDGET })],
  },
});
