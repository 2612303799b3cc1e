// The breadth of test/deep/chaos/names.test.ts in process (issue 29): thousands of hostile names
// (spaces, newlines, quotes, globs, unicode, bidi controls, escapes) through the pure path-scope
// rule and its message, in microseconds a case. The verdict is checked against an oracle that does
// not use the glob library (a plain prefix test of the A-backend lane's four folders), so a glob
// that mis-reads a newline or a dot-name would show here; the deep file runs the same shapes
// through real commits.
import { describe, expect, it } from 'vitest';
import { formatViolation, showName } from '../src/policy/format.js';
import { pathScope } from '../src/policy/path-scope.js';
import { scopeOf } from '../src/policy/scope.js';
import type { Context } from '../src/policy/types.js';
import { defaults, laneFor } from './helpers/world.js';

const CASES = 5_000;
const CHARS = [
  ...'aZ0 \t\n"\'\\*?[]{}!-.$`#%:;|&<>()',
  'ü',
  '日',
  '\u200b',
  '\u202e',
  '\u001b',
  '\r',
  '\u007f',
  '\u0085',
];
const PREFIXES = [
  'backend/',
  'services/',
  'backend-evil/',
  'backendx',
  'Backend/',
  'web/',
  '',
  'contracts/.',
  'workers/deep/er/',
];
const SCOPE_DIRS = ['backend/', 'services/', 'contracts/', 'workers/'];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

describe('path-scope over random hostile names, in process', () => {
  const config = defaults();
  const lane = laneFor('A-backend', config);
  const scope = scopeOf(config, lane)!;
  const ctx: Context = { lane, config };

  it(`${CASES} staged sets: refused exactly when a name is outside the four folders, each offender shown quoted, no control byte printed`, () => {
    expect(scope.globs).toEqual(['backend/**', 'services/**', 'contracts/**', 'workers/**']);
    const rand = rng(29);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    let refused = 0;
    let allowed = 0;
    const wrong: string[] = [];
    for (let n = 0; n < CASES; n++) {
      const paths = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => {
        const leaf = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => pick(CHARS)).join('');
        return `${pick(PREFIXES)}${leaf}`;
      }).filter((p) => !p.split('/').some((s) => s === '' || s === '.' || s === '..'));
      if (!paths.length) continue;
      const outside = paths.filter((p) => !SCOPE_DIRS.some((d) => p.startsWith(d)));
      const v = pathScope(ctx, scope, [{ paths }], 'the staged index');
      const name = `case ${n}: ${JSON.stringify(paths)}`;
      if (!outside.length) {
        if (v.length) wrong.push(`${name}: refused, all inside`);
        allowed++;
        continue;
      }
      refused++;
      if (v.length !== 1 || v[0]!.rule !== 'path-scope') {
        wrong.push(`${name}: ${JSON.stringify(v.map((x) => x.rule))}, want path-scope`);
        continue;
      }
      if (JSON.stringify(v[0]!.paths) !== JSON.stringify(outside))
        wrong.push(
          `${name}: listed ${JSON.stringify(v[0]!.paths)}, want ${JSON.stringify(outside)}`,
        );
      const lines = formatViolation(v[0]!).split('\n');
      for (const p of outside.slice(0, 20))
        if (!lines.includes(`    ${showName(p)}`))
          wrong.push(`${name}: ${JSON.stringify(p)} not shown`);
      // Lines are joined by \n; inside a line no C0 control or DEL reaches a terminal.
      for (const line of lines)
        if (/[\u0000-\u001f\u007f]/.test(line))
          wrong.push(`${name}: prints ${JSON.stringify(line)}`);
    }
    // Collected, not asserted per case: an expect per case costs more than the rule.
    expect(wrong).toEqual([]);
    // Both answers, many times each, or the table proves little.
    expect(refused).toBeGreaterThan(CASES / 5);
    expect(allowed).toBeGreaterThan(CASES / 10);
  });
});
