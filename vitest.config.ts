import { defineConfig } from 'vitest/config';
import SlowestFirst from './test/sequencer.js';

// Tests drive real git and the built CLI: give each file room, and keep the two cores busy
// without oversubscribing them (every test spawns many git and node processes).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Sandbox templates shared by the run's workers (test/helpers/template.ts).
    globalSetup: ['test/global-setup.ts'],
    // Longest files first: the two workers finish together (test/sequencer.ts).
    sequence: { sequencer: SlowestFirst },
    maxWorkers: 2,
  },
});
