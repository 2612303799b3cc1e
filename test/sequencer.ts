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
  // The fast tier (and the files the deep tier runs again). Measured 2026-12-06 at load 25-40:
  // demo 1043 s, server 1026 s, net-effect 825 s, queue 585 s (10 contenders), agents-real 113 s.
  'test/demo.test.ts',
  'test/server.test.ts',
  'test/attacks/net-effect.test.ts',
  'test/queue.test.ts',
  'test/agents-real.test.ts',
  'test/coordinator.test.ts',
  'test/land.test.ts',
  'test/agents.test.ts',
  'test/install.test.ts',
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
