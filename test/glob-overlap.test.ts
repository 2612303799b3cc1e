// Routes 6 and 10, in-process: the overlap of two task globs and the inclusion of a task glob in
// a role's scope, decided on the globs (policy/glob-overlap.ts) in bounded time. How a lane would
// go around it: name globs that share a file but look apart (`contracts/api-*.json` against
// `contracts/*-v2.json`), claim `**` to block everyone, name a glob picomatch reads specially
// (braces, brackets) to slip past, or name `a*a*…*b` to spin the overlap check. Each is a case.
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { globsMeet, globsOutside, parseGlob } from '../src/policy/glob-overlap.js';
import { claimScopeProblem } from '../src/policy/claim-required.js';
import { globLimitProblem, MAX_GLOB_LENGTH, MAX_TASK_GLOBS } from '../src/config/glob-limits.js';
import { configSchema } from '../src/config/schema.js';
import { globsOverlap } from '../src/policy/scope.js';

const MEET: [string, string][] = [
  ['contracts/api-*.json', 'contracts/*-v2.json'], // contracts/api-v2.json
  ['backend/**/handler.ts', '*/orders/handler.ts'], // backend/orders/handler.ts
  ['backend/**', 'backend/api/**'],
  ['backend/**/*.ts', 'backend/api/**'],
  ['**', 'web/x.ts'],
  ['web/*', 'web/*.tsx'],
  ['contracts/api.json', 'contracts/*.json'],
  ['a/**', 'a'], // picomatch's a/** matches a
  ['**/b', 'b'],
  ['a/**/b', 'a/b'],
  ['a/*/c', '*/b/*'],
  ['x?z', '*y*'],
  ['.github/**', '**/*.yml'], // dot: true
  ['a*b*c', '*bc'],
  ['src/{a,b}/x.ts', 'src/b/x.ts'], // braces: read broadly, still meets
  ['src/[ab]/x.ts', 'src/a/**'],
  ['!web/**', 'web/x.ts'], // negation: read as **
  ['docs/**', 'docs'],
];
const APART: [string, string][] = [
  ['backend/**', 'web/**'],
  ['backend/*.ts', 'backend/api/**'],
  ['*.ts', '*.js'],
  ['backend/api/**', 'backend/apis/**'],
  ['contracts/api-*.json', 'contracts/*-v1.yaml'],
  ['a/*/c', 'a/b'],
  ['a/?', 'a/bc'],
  ['x*y', 'y*x'],
  ['backend/**/handler.ts', 'web/**/handler.ts'],
  ['*/orders/handler.ts', 'backend/orders/x/handler.ts'],
  ['a/**/b', 'a/**/c'],
  ['src/{a,b}/x.ts', 'web/**'], // read broadly only from the first undecided segment on
];

/** Paths built from the globs' own pieces: a brute-force reference for picomatch's verdict. */
function samples(globs: string[]): string[] {
  const pieces = new Set(['x', 'b', 'c', 'api-v2.json', 'orders', '.hidden', 'a']);
  for (const g of globs)
    for (const seg of g.split('/'))
      for (const p of seg.replace(/[*?{}[\]!]/g, '/').split('/')) if (p) pieces.add(p);
  for (const g of globs) for (const seg of g.split('/')) pieces.add(seg.replace(/[*?]/g, 'q'));
  const list = [...pieces].filter((p) => p && !p.includes('/'));
  const out = new Set<string>(list);
  for (const a of list) for (const b of list) out.add(`${a}/${b}`);
  for (const a of list.slice(0, 12))
    for (const b of list.slice(0, 12)) for (const c of list.slice(0, 12)) out.add(`${a}/${b}/${c}`);
  return [...out];
}
const match = (g: string) => picomatch(g, { dot: true });

describe('glob overlap (exact on the decided subset, broad elsewhere)', () => {
  it.each(MEET)('%s meets %s', (a, b) => {
    expect(globsMeet([a], [b])).not.toBeNull();
    expect(globsMeet([b], [a])).not.toBeNull();
  });
  it.each(APART)('%s is apart from %s', (a, b) => {
    expect(globsMeet([a], [b])).toBeNull();
    expect(globsMeet([b], [a])).toBeNull();
  });

  it('never calls apart two globs that picomatch matches a common path with', () => {
    const globs = [...new Set([...MEET, ...APART].flat())];
    const paths = samples(globs);
    const matchers = new Map(globs.map((g) => [g, match(g)]));
    let shared = 0;
    for (const a of globs)
      for (const b of globs) {
        const witness = paths.find((p) => matchers.get(a)!(p) && matchers.get(b)!(p));
        if (witness) {
          shared++;
          expect(globsMeet([a], [b]), `${a} and ${b} share ${witness}`).not.toBeNull();
        }
      }
    expect(shared).toBeGreaterThan(globs.length); // the reference found common paths to check
  });

  it('names the globs that meet, and says when a glob was read broadly', () => {
    expect(globsMeet(['web/**', 'contracts/api-*.json'], ['contracts/*-v2.json'])).toBe(
      'contracts/api-*.json ~ contracts/*-v2.json',
    );
    expect(globsMeet(['src/{a,b}/x.ts'], ['src/b/x.ts'])).toContain('read broadly');
    expect(parseGlob('src/{a,b}/x.ts').exact).toBe(false);
    expect(parseGlob('backend/**/*.ts').exact).toBe(true);
  });
});

describe('a task glob within a role scope', () => {
  const scope = ['backend/**', 'contracts/*.json', 'package-lock.json'];
  it.each([
    ['backend/api/**', true],
    ['backend', true],
    ['backend/**/*.ts', true],
    ['contracts/api-*.json', true],
    ['contracts/v?.json', true],
    ['package-lock.json', true],
    ['**', false], // route 6: a claim of everything
    ['*', false],
    ['contracts/**', false],
    ['contracts/a/b.json', false],
    ['web/**', false],
    ['backend*/**', false],
    ['{backend,web}/**', false], // not proven: read broadly
  ])('%s inside: %s', (glob, inside) => {
    expect(globsOutside([glob], scope)).toEqual(inside ? [] : [glob]);
  });

  it('is sound against picomatch: a glob proven inside matches no path the scope does not', () => {
    const inner = [
      'backend/api/**',
      'backend/**/*.ts',
      'contracts/api-*.json',
      'contracts/v?.json',
      'a/**/b',
      '*/x',
    ];
    const outer = ['backend/**', 'contracts/*.json', '**/b', '*/*'];
    const paths = samples([...inner, ...outer]);
    const inScope = picomatch(outer, { dot: true });
    for (const g of inner) {
      if (globsOutside([g], outer).length) continue;
      const m = match(g);
      for (const p of paths) if (m(p)) expect(inScope(p), `${g} proven inside, ${p}`).toBe(true);
    }
  });

  it('refuses a claim whose task names paths outside the role scope, with the rule and the globs', () => {
    const config = configSchema.parse({});
    const tasks = [
      { id: 'T1', paths: ['**'] },
      { id: 'T2', paths: ['backend/api/**', 'contracts/api.json'] },
      { id: 'T3', paths: ['web/**'] },
    ];
    const req = (task: string, role = 'A-backend') => ({
      task,
      role,
      branch: `agent/${role}`,
      owner: 'o',
    });
    const v = claimScopeProblem(config, tasks, req('T1'));
    expect(v?.rule).toBe('claim-required');
    expect(v?.paths).toEqual(['**']);
    expect(v?.why).toContain('A-backend');
    expect(claimScopeProblem(config, tasks, req('T2'))).toBeNull();
    expect(claimScopeProblem(config, tasks, req('T3'))?.paths).toEqual(['web/**']);
    expect(claimScopeProblem(config, tasks, req('T3', 'B-ui'))).toBeNull();
    // shared counts as the role's scope.
    const withShared = configSchema.parse({ shared: ['package-lock.json'] });
    const lock = [{ id: 'T4', paths: ['package-lock.json'] }];
    expect(claimScopeProblem(withShared, lock, req('T4'))).toBeNull();
    expect(claimScopeProblem(config, lock, req('T4'))).not.toBeNull();
  });
});

describe('bounded cost (route 10)', () => {
  /** The route's glob: picomatch's regex for it backtracks for ever against a long literal. */
  const hostile = `${'a*'.repeat(127)}b`;

  it('the worst case finishes in milliseconds, within the limits and beyond them', () => {
    expect(globLimitProblem(hostile)).not.toBeNull(); // refused by queue add and the hub now
    const bounded = 'a*a*a*b/'.repeat(6).slice(0, 42); // 16 wildcards, 3 stars a segment
    expect(globLimitProblem(bounded)).toBeNull();
    const cases: [string[], string[]][] = [
      [[hostile], ['a'.repeat(MAX_GLOB_LENGTH)]],
      [[hostile], [`${'*a'.repeat(127)}c`]],
      [[bounded], [`${'a'.repeat(63)}/`.repeat(4)]],
      [Array(MAX_TASK_GLOBS).fill(bounded), Array(MAX_TASK_GLOBS).fill(`${'a/'.repeat(127)}b`)],
      [[`${'*/'.repeat(127)}x`], [`${'**/a/'.repeat(50)}`]],
    ];
    for (const [a, b] of cases) {
      const t0 = performance.now();
      globsMeet(a, b);
      globsOutside(a, b.slice(0, 4)); // a role scope: a few globs
      const ms = performance.now() - t0;
      // Tens of ms on a loaded 2-core machine; picomatch on the first case does not end.
      expect(ms, `${a[0]!.slice(0, 30)}… took ${ms.toFixed(1)} ms`).toBeLessThan(300);
    }
  });

  it('a hostile glob that got into the hub before the limits is read broadly, never walked', () => {
    const old = `${'a*'.repeat(5000)}b`;
    const t0 = performance.now();
    expect(globsMeet([old], ['a'.repeat(100_000)])).toContain('read broadly');
    expect(globsOutside([old], ['backend/**'])).toEqual([old]);
    expect(performance.now() - t0).toBeLessThan(200);
    // picomatch on the same input is the route: not run here, the overlap check no longer uses it.
  });

  it('config validation and queue add refuse globs over the limits', () => {
    expect(globLimitProblem('a'.repeat(MAX_GLOB_LENGTH + 1))).toContain('longer than');
    expect(globLimitProblem('*?'.repeat(9))).toContain('wildcards');
    expect(globLimitProblem('x/a*b*c*d*e')).toContain('stars in the segment');
    expect(globLimitProblem('**/*.test.*')).toBeNull();
    const r = configSchema.safeParse({
      roles: { 'A-backend': { kind: 'delivery', paths: [`${'a*'.repeat(9)}b`] } },
    });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('bounded glob');
  });
});

// The claim overlap (src/policy/scope.ts globsOverlap), as queue claim and the hub use it; with
// real claims and a hub: test/deep/claim-paths.test.ts.
describe('globsOverlap', () => {
  it('finds globs that may meet, and only those', () => {
    const yes: [string[], string[]][] = [
      [['backend/**'], ['backend/api/**']],
      [['backend/api/**'], ['backend/**']],
      [['backend/**/*.ts'], ['backend/api/**']],
      [['**'], ['web/x.ts']],
      [['web/*'], ['web/*.tsx']],
      [['contracts/api.json'], ['contracts/*.json']],
      [['web/**', 'docs/a.md'], ['docs/**']],
    ];
    const no: [string[], string[]][] = [
      [['backend/**'], ['web/**']],
      [['backend/*.ts'], ['backend/api/**']],
      [['*.ts'], ['*.js']],
      [['backend/api/**'], ['backend/apis/**']],
    ];
    for (const [a, b] of yes) expect(globsOverlap(a, b), `${a} ~ ${b}`).not.toBe(null);
    for (const [a, b] of no) expect(globsOverlap(a, b), `${a} !~ ${b}`).toBe(null);
  });
});
