// The compiled sh fast path: it translates only the globs it can translate exactly, and only ever
// allows. Its glob translation against picomatch (the differential), that it never goes stale, the
// push fast path, and the greps past a few commits or names, are in the deep tier
// (test/deep/fast-path.test.ts).
import { describe, expect, it } from 'vitest';
import { globToCase } from '../src/hooks/compile.js';
import { tracedLane } from './helpers/fast-path.js';

describe('globToCase against picomatch (differential)', () => {
  // The differential itself (some 300 sh and grep processes): test/deep/fast-path.test.ts.
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

  it('judges up to 17 names in sh and hands the 18th on to grep: a name out of scope there is still refused', () => {
    // git lists the staged names sorted: 17 plain names under backend/, then backendx/ (pre-commit
    // reads them from a pipe; sh leaves the unread rest of it to one grep).
    const names = Array.from(
      { length: 17 },
      (_, i) => `backend/s/n${String(i).padStart(2, '0')}.ts`,
    );
    const out = tracedCommit([...names, 'backendx/eighteenth.ts']);
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('refused by path-scope');
    expect(out.stderr).toContain('backendx/eighteenth.ts');
    expect(nodeStarts()).toEqual(['pre-commit']);
    w.must(A(), 'reset', '-q');
  });
});
