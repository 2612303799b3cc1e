// The exclusion-pathspec listing of a large commit (hooks/pre-commit.ts judgedPaths) against
// picomatch: random hostile names (spaces, newlines, quotes, unicode, dots, leading dots, case
// variants, `[`, `*`, `?`, `\`, `:`) staged in a real repository, random globs from the
// translatable subset (policy/scope-pathspec.ts). What git lists as outside the scope must be
// exactly what picomatch, with the options the policy uses (scope.ts globMatcher), says is outside;
// also with GIT_ICASE_PATHSPECS, GIT_GLOB_PATHSPECS, GIT_NOGLOB_PATHSPECS and GIT_LITERAL_PATHSPECS
// set and core.ignorecase=true. Untranslatable globs fall back to the whole listing. The forbidden
// names are still refused in a large commit through the new route, by a real `git commit`
// (test/deep/pathspec.test.ts).
// Seeds are fixed per run offset so a failure names the seed to replay.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FORBIDDEN_CANDIDATES, PATHSPEC_ENV } from '../src/git/pathspec.js';
import { stagedPaths } from '../src/git/repo.js';
import { judgedPaths, LARGE_INDEX_BYTES } from '../src/hooks/staged-set.js';
import { forbiddenPath } from '../src/policy/path-scope.js';
import { globMatcher } from '../src/policy/scope.js';
import { scopePathspecs } from '../src/policy/scope-pathspec.js';
import { rng } from './helpers/histories.js';
import { rounds, timeout } from './helpers/tier.js';
import { tmpDir } from './helpers/world.js';

// 4 rounds in the fast tier, the full 12 in the deep one (vitest.deep.config.ts runs this file again).
const ROUNDS = rounds('LANES_PATHSPEC_ROUNDS', { fast: 4, deep: 12 });
const FIRST_SEED = Number(process.env.LANES_PATHSPEC_SEED ?? 1);

function isolated(root: string): NodeJS.ProcessEnv {
  const gitconfig = path.join(root, '.gitconfig');
  writeFileSync(
    gitconfig,
    '[user]\n\tname = T\n\temail = t@example.com\n[init]\n\tdefaultBranch = master\n',
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_CONFIG_GLOBAL: gitconfig,
    GIT_CONFIG_NOSYSTEM: '1',
  };
  for (const k of Object.keys(env)) if (/^GIT_(DIR|INDEX_FILE|WORK_TREE)$/.test(k)) delete env[k];
  return env;
}

function gitIn(repo: string, env: NodeJS.ProcessEnv, args: string[], input?: string | Buffer) {
  const r = spawnSync('git', args, { cwd: repo, env, input });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.toString('utf8').trim();
}

/** Stage `paths` (one blob for all) without touching the work tree; protections off, as git allows. */
function stage(repo: string, env: NodeJS.ProcessEnv, paths: string[]): void {
  const blob = gitIn(repo, env, ['hash-object', '-w', '--stdin'], 'x\n');
  const lines = paths.map((p) => `100644 ${blob}\t${p}\0`).join('');
  // update-index skips (and reports) a path it refuses; what it staged is read back by the listing.
  spawnSync(
    'git',
    [
      '-c',
      'core.protectNTFS=false',
      '-c',
      'core.protectHFS=false',
      'update-index',
      '-z',
      '--index-info',
    ],
    { cwd: repo, env, input: Buffer.from(lines) },
  );
}

// Words the names and the globs share, so that globs match often; hostile on purpose.
const WORDS = [
  'src',
  'Src',
  'SRC',
  'docs',
  'a',
  'b',
  'x.md',
  'X.MD',
  '.md',
  '.hidden',
  '.Hidden',
  'read me',
  'new\nline',
  'q"uote',
  "it's",
  'caf\u00e9',
  'cafe\u0301',
  '\u65e5\u672c',
  '\u{1f600}',
  'a:b',
  ':lead',
  '[ab]',
  '*',
  'a*',
  '?',
  'x?y',
  'back\\slash',
  '{a,b}',
  '!neg',
  'tab\tx',
  'dot.',
  '..x',
  '.x.',
  'end ',
  ' lead',
  '@(x)',
  '+(y)',
  'q\u200cz',
  'MiXeD',
  'mixed',
  'a.b.c',
  '#h',
  '~t',
  'p%q&r=s;t<u>v`w',
  'c,d',
  'x y=z',
  'a$',
  '^c',
];
const GLOB_WORDS = WORDS.filter((w) => scopePathspecs([w]) !== null);

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

/** A glob from the translatable subset: literal words, `*` inside segments, `**` segments. */
function randomGlob(r: () => number): string {
  const n = 1 + Math.floor(r() * 3);
  const segs: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = r();
    if (k < 0.15) segs.push('**');
    else if (k < 0.4) {
      // By code points: a star between the halves of a surrogate pair would be no glob at all.
      const w = [...pick(r, GLOB_WORDS)];
      const at = Math.floor(r() * (w.length + 1));
      const seg = [...w.slice(0, at), '*', ...w.slice(at)].join('');
      // A run of asterisks inside a segment is not translatable (refused, tested below).
      segs.push(seg.includes('**') ? w.join('') : seg);
    } else if (k < 0.45) segs.push('*');
    else segs.push(pick(r, GLOB_WORDS));
  }
  if (r() < 0.35 && segs.at(-1) !== '**') segs.push('**');
  return segs.join('/');
}

/** Globs git cannot match as picomatch does: the route must refuse them and list everything. */
const UNTRANSLATABLE = [
  '{src,docs}/**',
  'src/?.md',
  '[ab]/**',
  '!src/**',
  '@(a|b)/**',
  'a\\*',
  './src/**',
  'src/',
  'a**',
  '**b/x',
  '+(x)',
  'src/[[:alpha:]]*',
  '/src/**',
  'a//b',
  'src/../x',
  '"q"',
  'a|b',
  '$x',
];

/** Names near a glob: instances of it (random text for `*`, 0-2 segments for `**`), and the glob read literally. */
function namesFor(r: () => number, glob: string): string[] {
  const inst = () =>
    glob
      .split('/')
      .flatMap((s) =>
        s === '**'
          ? Array.from({ length: Math.floor(r() * 3) }, () => pick(r, WORDS))
          : [s.replace(/\*/g, () => (r() < 0.3 ? '' : pick(r, WORDS).replace(/\//g, '')))],
      )
      .join('/');
  const out = [inst(), inst(), `${inst()}/${pick(r, WORDS)}`, glob, `${glob}/${pick(r, WORDS)}`];
  const noStar = glob.replace(/\/\*\*$/, '');
  out.push(noStar, `${noStar}/${pick(r, WORDS)}`);
  // Case variants of every name: git must not fold them (core.ignorecase, icase magic).
  return out.flatMap((n) => [n, r() < 0.5 ? n.toUpperCase() : n.toLowerCase()]);
}

function randomNames(r: () => number, globs: string[]): string[] {
  const names = globs.flatMap((g) => namesFor(r, g));
  for (let i = 0; i < 12; i++)
    names.push(Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(r, WORDS)).join('/'));
  // Names git refuses to check out, where git lets them be staged (HFS+ and NTFS variants).
  names.push(
    `${pick(r, WORDS)}/.g\u200cit/config`,
    `.\ufeffGIT/hooks/x`,
    `${pick(r, WORDS)}/GIT~1/y`,
    `a\\.git/z`,
    `${pick(r, WORDS)}/.git. /w`,
  );
  // Git paths: no empty, `.` or `..` segment, no NUL.
  return [...new Set(names)].filter(
    (n) => n && !n.includes('\0') && !n.split('/').some((s) => s === '' || s === '.' || s === '..'),
  );
}

interface Round {
  seed: number;
  staged: number;
  outside: number;
  rechecked: number;
}

/** One round: the exact sets picomatch and the git route give, and what git's listing alone missed. */
function round(repo: string, env: NodeJS.ProcessEnv, seed: number): Round {
  const r = rng(seed);
  const globs = Array.from({ length: 1 + Math.floor(r() * 3) }, () => randomGlob(r));
  gitIn(repo, env, ['read-tree', 'HEAD']);
  stage(repo, env, randomNames(r, globs));
  const gitDir = path.join(repo, '.git');
  const all = stagedPaths(gitDir, repo);
  const inScope = globMatcher(globs);
  const picoOutside = all.filter((p) => !inScope(p)).sort();
  const specs = scopePathspecs(globs);
  expect(specs, `seed ${seed}: ${JSON.stringify(globs)} is translatable`).not.toBeNull();
  const gitOutside = stagedPaths(gitDir, repo, [':(top)', ...specs!.exclude]).sort();
  const rechecked = specs!.recheck.length ? stagedPaths(gitDir, repo, specs!.recheck) : [];
  const ctx = `seed ${seed}, globs ${JSON.stringify(globs)}`;
  // git never lists a path picomatch puts in the scope…
  expect(
    gitOutside.filter((p) => inScope(p)),
    ctx,
  ).toEqual([]);
  // …and what its exclusions hide beyond the globs is exactly what the recheck lists again.
  const judged = [...new Set([...gitOutside, ...rechecked])].filter((p) => !inScope(p)).sort();
  expect(judged, ctx).toEqual(picoOutside);
  // The route the hook takes gives the same set, forbidden names included.
  const hook = judgedPaths(gitDir, { globs, allows: inScope }, LARGE_INDEX_BYTES, repo);
  expect(hook.filter((p) => !inScope(p)).sort(), ctx).toEqual(picoOutside);
  expect(hook.filter(forbiddenPath).sort(), ctx).toEqual(all.filter(forbiddenPath).sort());
  return {
    seed,
    staged: all.length,
    outside: picoOutside.length,
    rechecked: picoOutside.filter((p) => !gitOutside.includes(p)).length,
  };
}

function repoWithHead(): { repo: string; env: NodeJS.ProcessEnv } {
  const root = tmpDir('lanes-pathspec-');
  const env = isolated(root);
  const repo = path.join(root, 'repo');
  gitIn(root, env, ['init', '-q', repo]);
  // A few committed files, so that some rounds list deletions as well.
  stage(repo, env, ['src/old.md', 'docs/kept', 'MiXeD/x']);
  gitIn(repo, env, ['commit', '-q', '-m', 'base']);
  return { repo, env };
}

const saved: Record<string, string | undefined> = {};
afterEach(() => {
  for (const k of PATHSPEC_ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

function runRounds(repo: string, env: NodeJS.ProcessEnv, label: string): Round[] {
  const rounds: Round[] = [];
  for (let seed = FIRST_SEED; seed < FIRST_SEED + ROUNDS; seed++)
    rounds.push(round(repo, env, seed));
  const sum = (f: (x: Round) => number) => rounds.reduce((n, x) => n + f(x), 0);
  console.log(
    `pathspec ${label}: ${rounds.length} rounds, ${sum((x) => x.staged)} staged names, ` +
      `${sum((x) => x.outside)} outside the scope, ${sum((x) => x.rechecked)} found only by the recheck`,
  );
  // Both answers, and the recheck, must be exercised, or the comparison proves little.
  expect(sum((x) => x.outside)).toBeGreaterThan(ROUNDS);
  expect(sum((x) => x.staged - x.outside)).toBeGreaterThan(ROUNDS);
  expect(sum((x) => x.rechecked)).toBeGreaterThan(0);
  return rounds;
}

describe('differential: exclusion pathspecs against picomatch', () => {
  it(`agrees on ${ROUNDS} random scopes and hostile names`, { timeout: timeout(120_000) }, () => {
    const { repo, env } = repoWithHead();
    runRounds(repo, env, 'plain');
  });

  it(
    'agrees with every pathspec variable set and core.ignorecase=true',
    { timeout: timeout(120_000) },
    () => {
      const { repo, env } = repoWithHead();
      gitIn(repo, env, ['config', 'core.ignorecase', 'true']);
      // The variables change what these pathspecs mean when they reach git (so the check can fail)…
      stage(repo, env, ['Src/x', 'src/y']);
      const raw = (extra: NodeJS.ProcessEnv) =>
        gitIn(repo, { ...env, ...extra }, [
          'diff-index',
          '--cached',
          '--name-only',
          'HEAD',
          '--',
          ':(top,exclude,glob)src/**',
        ]);
      expect(raw({})).toContain('Src/x');
      expect(raw({ GIT_ICASE_PATHSPECS: '1' })).not.toContain('Src/x');
      expect(raw({ GIT_LITERAL_PATHSPECS: '1' })).toBe('');
      expect(() => raw({ GIT_GLOB_PATHSPECS: '1', GIT_NOGLOB_PATHSPECS: '1' })).toThrow(
        /incompatible/,
      );
      // …and the listing removes them.
      for (const k of PATHSPEC_ENV) saved[k] = process.env[k];
      // All four at once: were any to reach git, it would fail ("global 'glob' and 'noglob'
      // pathspec settings are incompatible") or list other paths.
      for (const k of PATHSPEC_ENV) process.env[k] = '1';
      runRounds(repo, env, 'all four variables');
    },
  );

  it('refuses every glob it cannot translate exactly, and the route then lists everything', () => {
    const { repo, env } = repoWithHead();
    stage(repo, env, ['src/a.md', 'web/b', '{src,docs}/c']);
    const all = stagedPaths(path.join(repo, '.git'), repo).sort();
    for (const g of UNTRANSLATABLE) {
      expect(scopePathspecs([g]), g).toBeNull();
      expect(scopePathspecs(['web/**', g]), g).toBeNull();
      const scope = { globs: ['web/**', g], allows: globMatcher(['web/**', g]) };
      expect(
        judgedPaths(path.join(repo, '.git'), scope, LARGE_INDEX_BYTES, repo).sort(),
        g,
      ).toEqual(all);
    }
    // The common shapes are translated.
    for (const g of ['src/**', '**/*.md', 'docs/*.md', 'package.json', 'apps/web app/**', '**'])
      expect(scopePathspecs([g]), g).not.toBeNull();
  });

  it('lists every name that may be forbidden (a superset of forbiddenPath)', () => {
    const { repo, env } = repoWithHead();
    const r = rng(FIRST_SEED);
    const ign = [
      '\u200c',
      '\u200d',
      '\u200e',
      '\u200f',
      '\u202a',
      '\u202e',
      '\u206a',
      '\u206f',
      '\ufeff',
    ];
    const names: string[] = [];
    for (let i = 0; i < 200; i++) {
      const base = pick(r, ['.git', 'git~1']);
      let n = '';
      for (const ch of base)
        n += (r() < 0.3 ? pick(r, ign) : '') + (r() < 0.5 ? ch.toUpperCase() : ch);
      n += pick(r, ['', '.', ' ', '. ', '..', '\u200c']);
      const where = pick(r, ['', 'a/', 'a\\', 'src/x/', 'b\\c\\']);
      names.push(`${where}${n}${pick(r, ['/f', '/d/e', ''])}`);
    }
    stage(repo, env, [...names, 'plain/file', 'digit.ts']);
    const gitDir = path.join(repo, '.git');
    const all = stagedPaths(gitDir, repo);
    const forbidden = all.filter(forbiddenPath);
    expect(forbidden.length).toBeGreaterThan(30);
    const listed = new Set(stagedPaths(gitDir, repo, [...FORBIDDEN_CANDIDATES]));
    expect(forbidden.filter((p) => !listed.has(p))).toEqual([]);
    expect(listed.has('plain/file')).toBe(false);
  });
});
