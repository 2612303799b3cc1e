// The breadth of the config checks in process (issue 29): thousands of random mutations of a valid
// config (test/helpers/random-config.ts) either load into a config every rule can trust, or fail
// with one `file: key: problem` line each. test/deep/chaos/config.test.ts takes the same
// mutations through the CLI (exit 2, no stack trace), against git's own branch-name check, and
// through JavaScript configs.
import { describe, expect, it } from 'vitest';
import { UserError } from '../src/util/errors.js';
import { parseConfig } from '../src/config/load.js';
import { defaultConfigFile, type LanesConfig } from '../src/config/schema.js';
import { mutate, rand, trustworthy } from './helpers/random-config.js';

describe('random configs', () => {
  it('load into a trustworthy config, or fail with one keyed line per problem', () => {
    const base = defaultConfigFile();
    let loaded = 0;
    let refused = 0;
    for (let round = 0; round < 3000; round++) {
      const cfg = structuredClone(base);
      for (let m = 0, n = 1 + Math.floor(rand() * 3); m < n; m++) mutate(cfg);
      let parsed: LanesConfig | null = null;
      try {
        parsed = parseConfig(cfg, '.lanesrc.json');
      } catch (e) {
        // Only ever a user error (exit 2), one line per problem, each naming the file and a key.
        expect(e, JSON.stringify(cfg).slice(0, 300)).toBeInstanceOf(UserError);
        expect((e as UserError).exitCode).toBe(2);
        for (const line of (e as Error).message.split('\n').filter((l) => !/^\s/.test(l)))
          expect(line).toMatch(/^\.lanesrc\.json: \S.*: \S/);
        refused++;
        continue;
      }
      trustworthy(parsed);
      loaded++;
    }
    expect(loaded).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(1000);
    console.log(`random configs: ${loaded + refused} tried, ${loaded} loaded, ${refused} refused`);
  });
});
