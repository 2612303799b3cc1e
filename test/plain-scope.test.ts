// The scope's plain regex (compile.ts plainScopeRegex): the one grep that decides a long listing
// in the shims must match only names inside the scope that no suspect pattern touches and that
// are no config place. A lane that wants through would name a file so that this grep takes it:
// a `.git` component with ignorable code points, a backslash or `~` segment, an empty component,
// a look-alike prefix. Each must stay unmatched (Node then judges it).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { plainScopeRegex } from '../src/hooks/compile.js';
import { SH_SUSPECT_RE } from '../src/hooks/shims.js';
import { CONFIG_PLACES } from '../src/config/load.js';
import { forbiddenPath } from '../src/policy/path-scope.js';
import { globMatcher } from '../src/policy/scope.js';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** Line numbers (0-based) of `lines` that `LC_ALL=C grep -E re` matches, lines as UTF-8 bytes. */
function grepLines(re: string, lines: string[]): Set<number> {
  const r = spawnSync('grep', ['-nE', '-e', re], {
    input: lines.map((l) => `${l}\n`).join(''),
    env: { ...process.env, LC_ALL: 'C' },
    encoding: 'utf8',
  });
  expect(r.status === 0 || r.status === 1, r.stderr).toBe(true);
  return new Set(
    r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => Number(l.split(':')[0]) - 1),
  );
}

const PIECES = [
  'a',
  'backend',
  'src',
  '.git',
  '.GIT',
  '.g\u200cit',
  '\u200c.git',
  '\ufeff.git',
  'git~1',
  'GIT~2',
  '.',
  '..',
  '',
  'a\\b',
  '.gitignore',
  '.x',
  ' .git',
  'x.git',
  'ünï',
  '日本',
  'a b',
  '"q"',
  "it's",
  'x~',
  '[1]',
  '$x',
  '-',
  'a.ts',
  '.git.',
  '.git ',
  'package.json',
  '.lanesrc.json',
];

describe('plainScopeRegex: one grep for scope and suspects', () => {
  it('matches only in-scope, non-suspect names that are no config place (differential)', () => {
    const rand = rng(20261207);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
    const scopes = [
      ['backend/**', 'services/**', 'contracts/**', 'workers/**'],
      ['web/**', 'e2e/**', 'package-lock.json'],
      ['a b/ünï/**', "it's/**"],
      ['src/**', 'a=b,c%/**', '$x/**'],
    ];
    let matched = 0;
    let checked = 0;
    for (const globs of scopes) {
      const re = plainScopeRegex(globs);
      expect(re, JSON.stringify(globs)).not.toBe('');
      const inScope = globMatcher(globs);
      const heads = globs.map((g) => g.replace(/\/\*\*$/, ''));
      const names = new Set<string>();
      for (let i = 0; i < 3000; i++) {
        const n = 1 + Math.floor(rand() * 4);
        const parts = Array.from({ length: n }, () => pick(PIECES));
        names.add(rand() < 0.8 ? [pick(heads), ...parts].join('/') : parts.join('/'));
      }
      for (const h of heads) names.add(h).add(`${h}/`).add(`${h}x/a`).add(`x/${h}/a`);
      const lines = [...names].filter((p) => p && !p.includes('\n'));
      const hits = grepLines(re, lines);
      const suspect = grepLines(SH_SUSPECT_RE, lines);
      lines.forEach((p, i) => {
        if (!hits.has(i)) return;
        matched++;
        const why = `${JSON.stringify(globs)} ${JSON.stringify(p)}`;
        expect(inScope(p), why).toBe(true);
        expect(forbiddenPath(p), why).toBe(false);
        expect(suspect.has(i), why).toBe(false);
        expect(CONFIG_PLACES.includes(p), why).toBe(false);
      });
      checked += lines.length;
      // The names a lane commits every day still take the one grep.
      const everyday = heads
        .filter((h) => !globs.includes(h))
        .flatMap((h) => [`${h}/a.ts`, `${h}/some dir/ünï.test.ts`, `${h}/x/.gitignore`]);
      const plain = grepLines(
        re,
        everyday.filter((p) => !p.endsWith('.gitignore')),
      );
      expect(plain.size).toBe(everyday.filter((p) => !p.endsWith('.gitignore')).length);
    }
    expect(matched).toBeGreaterThan(500);
    expect(checked).toBeGreaterThan(8000);
  });

  it('is empty where one grep cannot decide: untranslatable globs, odd literals, config places', () => {
    for (const globs of [
      [],
      ['*.md'],
      ['.github/**'],
      ['a/.x/**'],
      ['a~b/**'],
      ['package.json'],
      ['backend/**', '.lanesrc.json'],
      ['{a,b}/**'],
    ])
      expect(plainScopeRegex(globs), JSON.stringify(globs)).toBe('');
  });
});
