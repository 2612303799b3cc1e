// The two test tiers (issue 29). `npm test` runs the fast tier: test/**/*.test.ts except
// test/deep/**. `npm run test:deep` (vitest.deep.config.ts) runs test/deep/** and, with
// LANES_TIER=deep, the random suites that live in fast-tier files again at their full size.
export const DEEP = process.env.LANES_TIER === 'deep';

/**
 * How many random rounds a suite runs: `env` when set (to replay or to push harder), else the
 * deep size in the deep tier and the fast size in the fast one.
 */
export function rounds(env: string, sizes: { fast: number; deep: number }): number {
  const set = process.env[env];
  if (set !== undefined && set !== '') {
    const n = Number(set);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`${env}=${JSON.stringify(set)}: want a whole number >= 1`);
    return n;
  }
  return DEEP ? sizes.deep : sizes.fast;
}

/**
 * A timeout grown by the deep tier's load factor (vitest.deep.config.ts puts it in
 * LANES_TIMEOUT_SCALE for its workers; 1 when unset): a timeout stops a hung test, and on an
 * oversubscribed machine every process these tests start waits as many times longer.
 */
export function timeout(ms: number): number {
  const scale = Number(process.env.LANES_TIMEOUT_SCALE);
  return Math.round(ms * (Number.isFinite(scale) && scale >= 1 ? scale : 1));
}
