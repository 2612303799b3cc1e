// The light entry (agents/fast.ts) tests a path against the scope's regular expressions compiled
// with the facts (policy/scope.ts scopeRegExps, lanes/scope-regexp.ts scopeTest) instead of
// running picomatch: both must give the same answer for every glob and every path, hostile ones
// included. A lane that wants through would look for a path the two read differently (a literal
// glob, an empty path, a newline, a dot segment, `..`): each is in the table.
import { describe, expect, it } from 'vitest';
import { globMatcher, scopeRegExps } from '../src/policy/scope.js';
import { scopeTest } from '../src/lanes/scope-regexp.js';

const GLOBS = [
  'backend/**',
  'web/*.tsx',
  '**/*.md',
  'src/**/*.{ts,tsx}',
  'docs/**/x?.md',
  '!secret/**',
  'a b/**',
  'foo[1]/**',
  'foo[1]',
  '{a,b}/**',
  '+(a|b)/x',
  'ünï/**',
  '.github/**',
  "quote'd/**",
  'x"y/**',
  'p|q/**',
  'exact/file.ts',
  'dir/',
  '**',
];
const PATHS = [
  '',
  'backend',
  'backend/',
  'backend/api.ts',
  'backend/.env',
  'backend/../web/x.tsx',
  'backend/./x',
  'backend/a\nb',
  'a\nb/x',
  'web/a.tsx',
  'web/sub/a.tsx',
  'web/.a.tsx',
  'README.md',
  'docs/x/xa.md',
  'docs/xa.md',
  'src/a/b.ts',
  'src/a/b.tsx',
  'src/a/b.js',
  'secret/k',
  'public/k',
  'a b/c',
  'foo[1]',
  'foo[1]/x',
  'foo1/x',
  'a/x',
  'b/y',
  'ünï/a',
  'unï/a',
  '.github/workflows/ci.yml',
  "quote'd/x",
  'x"y/z',
  'p|q/r',
  'exact/file.ts',
  'exact/file.tsx',
  'dir/',
  'dir/x',
  '/abs/path',
  '../up',
];

describe('the scope as compiled regular expressions', () => {
  it('matches exactly what picomatch matches, glob by glob and as a set', () => {
    for (const glob of GLOBS) {
      const res = scopeRegExps([glob]);
      expect(res, glob).not.toBeNull();
      const compiled = scopeTest(res!);
      const reference = globMatcher([glob]);
      for (const p of PATHS)
        expect(compiled(p), `${JSON.stringify(glob)} on ${JSON.stringify(p)}`).toBe(reference(p));
    }
    const all = scopeTest(scopeRegExps(GLOBS)!);
    const reference = globMatcher(GLOBS);
    for (const p of PATHS) expect(all(p), JSON.stringify(p)).toBe(reference(p));
  });

  it('an empty scope allows nothing; a glob picomatch cannot compile gives no expressions', () => {
    expect(scopeTest(scopeRegExps([])!)('backend/x')).toBe(false);
    expect(globMatcher([])('backend/x')).toBe(false);
    // makeRe refuses an empty pattern: the facts then carry no scopeRe, and the light entry
    // leaves every write to the full check (agents/fast.ts).
    expect(scopeRegExps(['backend/**', ''])).toBeNull();
  });
});
