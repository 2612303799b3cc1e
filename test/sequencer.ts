// Longest files first, so that the two workers finish together: on a fresh clone vitest has no
// timings and would order files by size, and the demo tour (a small file, up to three minutes)
// would start last. Files not listed keep vitest's own order after these. Measured per file on
// an idle 2-core machine; refresh the list when a file's time changes a lot.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const SLOWEST_FIRST = [
  // The deep tier (vitest.deep.config.ts): the full-size random suites first.
  'test/deep/differential.test.ts',
  'test/deep/hostile-config.test.ts',
  'test/deep/chaos/names.test.ts',
  'test/deep/chaos/store.test.ts',
  'test/deep/chaos/sync-kill.test.ts',
  // The fast tier (and the files the deep tier runs again): the twenty slowest of a whole
  // fast-tier run on 2026-12-07 (1438 s wall at load 21, test-artifacts/timings-fast.json),
  // seconds each. Files converted to the in-process CLI since then (issue 29) take less; the
  // order is what matters here.
  'test/provenance.test.ts', // 143 s
  'test/process-budget.test.ts', // 141 s
  'test/deep/audit.test.ts', // 117 s
  'test/deep/attacks/claims.test.ts', // 117 s
  'test/attacks/local-refs.test.ts', // 97 s
  'test/attacks/net-effect.test.ts', // 94 s
  'test/demo.test.ts', // 92 s
  'test/deep/agents-gemini-shell.test.ts', // 90 s
  'test/queue.test.ts', // 84 s
  'test/deep/attacks/sync-forged.test.ts', // 82 s
  'test/deep/ranges.test.ts', // 78 s
  'test/deep/attacks/store-replay.test.ts', // 78 s
  'test/deep/attacks/unverified.test.ts', // 75 s
  'test/server.test.ts', // 75 s
  'test/coordinator.test.ts', // 68 s
  'test/hub-install.test.ts', // 64 s
  'test/deep/land-routes.test.ts', // 58 s
  'test/deep/package.test.ts', // 58 s
  'test/agents.test.ts', // 57 s
  'test/agents-clients.test.ts', // 56 s
];

export default class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = SLOWEST_FIRST.findIndex((s) => f.moduleId.endsWith(s));
      return i < 0 ? SLOWEST_FIRST.length : i;
    };
    return base
      .map((f, i) => ({ f, i }))
      .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
      .map(({ f }) => f);
  }
}
