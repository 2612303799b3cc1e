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
  // The fast tier: its slowest files after the reshaping of 2026-12-07 (issue 29: the cells of
  // docs/testing.md's coverage maps stay, the rest moved to test/deep/), CPU-s each alone.
  'test/demo.test.ts', // ~63 (it holds the main paths of setup, sync, merge, land, promote, audit)
  'test/agents-real.test.ts', // 55: one real-binary session per agent
  'test/server.test.ts', // 52
  'test/agents.test.ts', // 29
  'test/attacks/hub-judges.test.ts', // 28
  'test/config-broken.test.ts', // 25
  'test/land.test.ts', // ~22
  'test/provenance.test.ts', // 22
  'test/coordinator.test.ts', // ~19
  'test/lifecycle.test.ts', // ~16
  // The deep tier's slowest other files (load ~18 when measured, wall seconds).
  'test/deep/install.test.ts', // 297 s
  'test/deep/radar.test.ts', // 272 s
  'test/deep/coordinator.test.ts', // 245 s
  'test/deep/scaffold.test.ts', // 188 s
  'test/deep/carry.test.ts', // 187 s
  'test/deep/audit.test.ts',
  'test/deep/attacks/claims.test.ts',
  'test/deep/attacks/net-effect.test.ts',
  'test/deep/agents-gemini-shell.test.ts',
  'test/deep/attacks/sync-forged.test.ts',
  'test/deep/ranges.test.ts',
  'test/deep/attacks/store-replay.test.ts',
  'test/deep/attacks/unverified.test.ts',
  'test/deep/land-routes.test.ts',
  'test/deep/package.test.ts',
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
