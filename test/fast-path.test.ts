// The compiled sh fast path: its glob translation agrees with picomatch, it only ever allows, and
// it never goes stale. That it never goes stale, the push fast path, and the greps past a few
// commits or names, are in the deep tier (test/deep/fast-path.test.ts).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { globToCase, globToRegex } from '../src/hooks/compile.js';
import { globMatcher } from '../src/policy/scope.js';
import { tracedLane } from './helpers/fast-path.js';

/** A small deterministic PRNG, so a failure can be replayed from its seed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

// Names in globs: what a config may spell literally. Paths: anything git allows, glob characters too.
const NAMES = [
  'a',
  'b',
  'backend',
  'web',
  'x',
  '-',
  '.',
  '_',
  ' ',
  'ü',
  '日',
  '"',
  "'",
  '\n',
  '\t',
  '$',
  ',',
  'B',
  '\u200b',
  '%',
  '=',
];
const PATHS = [...NAMES, '*', '?', '[', ']', '{', '}', '!', '(', ')', '+', '@', '\\', '|'];

describe('globToCase against picomatch (differential)', () => {
  it('agrees on every path for every glob it translates, and translates the config forms', () => {
    const rand = rng(20261124);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
    const segment = (alphabet: string[]) =>
      Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(alphabet)).join('');
    const literal = (alphabet = NAMES) =>
      Array.from({ length: 1 + Math.floor(rand() * 3) }, () => segment(alphabet)).join('/');
    let compared = 0;
    let regexChecked = 0;
    let translated = 0;
    for (let round = 0; round < 800; round++) {
      const globs = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => {
        const lit = literal();
        return pick([
          lit,
          `${lit}/**`,
          `${lit}/**`,
          `${lit}/*`,
          `${lit}*`,
          `**/${lit}`,
          `${lit}/**/x`,
        ]);
      });
      const cases = globs.map(globToCase);
      if (cases.some((c) => c === null)) continue;
      translated++;
      const paths = new Set<string>();
      for (const g of globs) {
        const base = g.replace(/\/\*\*$/, '');
        for (const p of [
          base,
          `${base}/f`,
          `${base}/d/e.ts`,
          `${base}-x/f`,
          `${base}x`,
          `${base}/`,
          `X${base}`,
          `${base.toUpperCase()}/f`,
          `${base}/\nf`,
          `${base}/.hidden`,
          `a/${base}/f`,
        ])
          paths.add(p);
      }
      for (let i = 0; i < 20; i++) paths.add(literal(PATHS));
      const list = [...paths].filter((p) => p && !p.includes('\0'));
      const script = `lanes_in_scope() { case $1 in ${cases.join('|')}) return 0 ;; esac; return 1; }\nfor p in "$@"; do if lanes_in_scope "$p"; then printf 1; else printf 0; fi; done\n`;
      const sh = spawnSync('/bin/sh', ['-c', script, 'sh', ...list], { encoding: 'utf8' });
      expect(sh.status, sh.stderr).toBe(0);
      const oracle = globMatcher(globs);
      list.forEach((p, i) => {
        expect(
          sh.stdout[i] === '1',
          `glob ${JSON.stringify(globs)} path ${JSON.stringify(p)}`,
        ).toBe(oracle(p));
      });
      compared += list.length;
      // The grep form of the same scope, over the names a line can hold.
      const regexes = globs.map(globToRegex);
      if (regexes.every((r) => r !== null)) {
        const lines = list.filter((p) => !p.includes('\n'));
        const grep = spawnSync(
          '/bin/sh',
          [
            '-c',
            'printf "%s\\n" "$@" | LC_ALL=C grep -nE "$0"',
            `^(${regexes.join('|')})$`,
            ...lines,
          ],
          { encoding: 'utf8' },
        );
        const matched = new Set(
          grep.stdout
            .split('\n')
            .filter(Boolean)
            .map((l) => Number(l.split(':')[0]) - 1),
        );
        lines.forEach((p, i) =>
          expect(matched.has(i), `regex ${JSON.stringify(regexes)} path ${JSON.stringify(p)}`).toBe(
            oracle(p),
          ),
        );
        regexChecked += lines.length;
      }
    }
    expect(translated).toBeGreaterThan(120);
    expect(compared).toBeGreaterThan(3000);
    expect(regexChecked).toBeGreaterThan(2000);
    console.log(
      `glob differential: ${translated} glob sets, ${compared} paths (case), ${regexChecked} (grep)`,
    );
  });

  it('translates only what it can translate exactly', () => {
    expect(globToCase('backend/**')).toBe(`'backend'|'backend'/*`);
    expect(globToCase('package-lock.json')).toBe(`'package-lock.json'`);
    expect(globToCase("it's/**")).toBe(`'it'\\''s'|'it'\\''s'/*`);
    for (const g of [
      '*.md',
      'src/*',
      '**/x',
      'a/**/b',
      'a?/**',
      '{a,b}/**',
      '[ab]/**',
      '!(x)/**',
      './a/**',
      '/abs/**',
      'a//b',
      '../**',
      'a/../b/**',
      '',
      '"q/**',
      'a|b/**',
    ])
      expect(globToCase(g), g).toBeNull();
  });
});

describe('the fast path in real lanes', () => {
  const { w, A, nodeStarts, tracedCommit } = tracedLane();

  it('allows an in-scope commit on the lane branch without starting Node', () => {
    expect(tracedCommit(['backend/plain name ünï.ts']).status).toBe(0);
    expect(nodeStarts()).toEqual([]);
  });

  it('leaves every refusal, and every name git must quote, to Node', () => {
    const out = tracedCommit(['web/out.tsx']);
    expect(out.stderr).toContain('refused by path-scope');
    expect(nodeStarts()).toEqual(['pre-commit']);
    w.must(A(), 'reset', '-q');
    expect(tracedCommit(['backend/"quoted"\\.ts']).status).toBe(0);
    expect(nodeStarts()[0]).toBe('pre-commit');
  });

  it('checks a large staged set with one grep, and still refuses the one name out of scope', () => {
    // Over 8 KB of names takes the grep branch of the shim instead of the per-name loop.
    const many = (tag: string) =>
      Array.from({ length: 400 }, (_, i) => `backend/${tag}/some module ${i} ünï.ts`);
    expect(tracedCommit(many('in')).status).toBe(0);
    expect(nodeStarts()).toEqual([]);

    const mixed = many('mixed');
    mixed.splice(200, 0, 'backendx/look-alike.ts');
    const out = tracedCommit(mixed);
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('refused by path-scope');
    expect(out.stderr).toContain('backendx/look-alike.ts');
    expect(nodeStarts()).toEqual(['pre-commit']);
    w.must(A(), 'reset', '-q');

    // A name git quotes never matches the anchored regex: Node reads it exactly, and allows it.
    const quoted = many('quoted');
    quoted.push('backend/quoted/"tab\there".ts');
    expect(tracedCommit(quoted).status).toBe(0);
    expect(nodeStarts()[0]).toBe('pre-commit');
  });
});
