// Hostile configs: random mutations of a valid config either load into a config every rule can
// trust, or fail with one `file: key: problem` line each (exit 2, no stack); branch-name checks
// agree with git itself; JS configs load (and are never compiled into the shell fast path).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/util/errors.js';
import { branchNameProblem } from '../../src/config/git-names.js';
import { parseConfig } from '../../src/config/load.js';
import { defaultConfigFile, type LanesConfig } from '../../src/config/schema.js';
import { commit, tmpDir, world } from '../helpers/world.js';

let seed = 2026;
const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const HOSTILE = [
  '',
  ' ',
  '..',
  '../**',
  '/abs/**',
  'C:\\x',
  'a b',
  'a..b',
  'x.lock',
  '-x',
  'HEAD',
  '@',
  'a@{1}',
  '.hidden',
  'trailing/',
  'a//b',
  'ünï/**',
  'line\nbreak',
  'tab\there',
  '"quoted"',
  "it's",
  '*',
  '{role}',
  'x-{role}',
  '../lane-{role}',
  'agent/{role}',
  'review/{role}',
  'master',
  'release/platform-control',
  'A-backend',
  'D-arch',
  'nope',
  'x'.repeat(5000),
  '\u200b',
  '\u001b[31m',
] as const;
const VALUES: (() => unknown)[] = [
  () => pick(HOSTILE),
  () => 42,
  () => null,
  () => true,
  () => [pick(HOSTILE), pick(HOSTILE)],
  () => ({ [pick(HOSTILE)]: pick(HOSTILE) }),
  () => ({ kind: pick(['delivery', 'review', 'coordinator', 'DELIVERY']), paths: [pick(HOSTILE)] }),
];

/** Every place a value can sit in a config, and a few that do not exist. */
const KEYS = [
  ['integration'],
  ['release'],
  ['remote'],
  ['worktrees'],
  ['branches', 'role'],
  ['branches', 'review'],
  ['roles', 'A-backend', 'paths'],
  ['roles', 'A-backend', 'paths', 0],
  ['roles', 'A-backend', 'kind'],
  ['roles', 'A-backend', 'owner'],
  ['roles', 'D-arch', 'kind'],
  ['roles', 'HOSTILE'],
  ['shared'],
  ['shared', 0],
  ['reviews', 'dir'],
  ['reviews', 'required'],
  ['reviews', 'required', 0],
  ['queue', 'requireClaim'],
  ['unknownKey'],
  ['branches', 'extra'],
];

function mutate(cfg: Record<string, unknown>): void {
  const key = [...pick(KEYS)].map((k) => (k === 'HOSTILE' ? pick(HOSTILE) : k));
  let at = cfg as Record<string | number, unknown>;
  for (const k of key.slice(0, -1)) {
    if (typeof at[k] !== 'object' || at[k] === null) at[k] = typeof k === 'number' ? [] : {};
    at = at[k] as Record<string | number, unknown>;
  }
  const last = key.at(-1)!;
  if (rand() < 0.1) delete at[last];
  else at[last] = pick(VALUES)();
}

/** What every rule relies on, checked on every config that loads. */
function trustworthy(c: LanesConfig): void {
  for (const name of [c.integration, c.release, c.remote])
    expect(branchNameProblem(name)).toBeNull();
  expect(c.integration).not.toBe(c.release);
  for (const t of [c.worktrees, c.branches.role, c.branches.review]) expect(t).toContain('{role}');
  for (const [role, r] of Object.entries(c.roles)) {
    expect(role).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
    expect(['delivery', 'review']).toContain(r.kind);
    expect(branchNameProblem(c.branches.role.replaceAll('{role}', role))).toBeNull();
    expect(branchNameProblem(c.branches.review.replaceAll('{role}', role))).toBeNull();
    for (const g of r.kind === 'delivery' ? r.paths : []) {
      expect(g).not.toBe('');
      expect(g.startsWith('/')).toBe(false);
      expect(g.split('/')).not.toContain('..');
    }
  }
  for (const g of c.shared) expect(g.split('/')).not.toContain('..');
  for (const name of c.reviews.required) expect(c.roles[name]?.kind).toBe('review');
}

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

  it('through the CLI: exit 2, the key named, no stack trace', () => {
    // A repository with nothing committed yet: the coordinator's own file is the config.
    const w = world([]);
    const repo = path.join(w.root, 'fresh');
    w.must(w.root, 'init', '-q', repo);
    const file = path.join(repo, '.lanesrc.json');
    const base = defaultConfigFile();
    let tried = 0;
    while (tried < 12) {
      const cfg = structuredClone(base);
      mutate(cfg);
      try {
        parseConfig(cfg, '.lanesrc.json');
        continue; // a harmless mutation: try another
      } catch {
        tried++;
      }
      writeFileSync(file, JSON.stringify(cfg));
      const r = w.cli(repo, 'install');
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^\.lanesrc\.json: \S.*: \S/);
      expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    }
  });
});

describe('branch names: our check agrees with git check-ref-format --branch', () => {
  it('on random names built from the characters and shapes git cares about', () => {
    const parts = [
      'a',
      'B',
      '0',
      '.',
      '..',
      '/',
      '-',
      '_',
      '@',
      '{',
      '}',
      '@{',
      'lock',
      '.lock',
      ' ',
      '\t',
      '~',
      '^',
      ':',
      '?',
      '*',
      '[',
      '\\',
      'ü',
      'HEAD',
      '\u007f',
      '#',
      '+',
      ',',
    ];
    const names = new Set<string>();
    while (names.size < 800)
      names.add(Array.from({ length: 1 + Math.floor(rand() * 5) }, () => pick(parts)).join(''));
    const dir = tmpDir();
    execFileSync('git', ['init', '-q', '-b', 'main', dir]);
    // One shell asks git about every name (a process per name from Node would take seconds).
    // git expands @{-1} and friends before checking: a name it rewrites is not a name it takes.
    const verdicts = execFileSync(
      '/bin/sh',
      [
        '-c',
        'for n in "$@"; do o=$(git check-ref-format --branch "$n" 2>/dev/null) && [ "$o" = "$n" ] && echo 1 || echo 0; done',
        'sh',
        ...names,
      ],
      { cwd: dir, encoding: 'utf8' },
    )
      .trim()
      .split('\n');
    expect(verdicts).toHaveLength(names.size);
    [...names].forEach((name, i) =>
      expect(branchNameProblem(name) === null, JSON.stringify(name)).toBe(verdicts[i] === '1'),
    );
    console.log(`branch names: ${names.size} compared with git check-ref-format --branch`);
  });
});

describe('JavaScript configs', () => {
  // A policy read from a commit is data only, in the lanes as on the hub and in CI: a committed JS
  // or TS config is refused as code, never run (docs/server.md, "The policy is data").
  const w = world(['A-backend']);
  const A = () => w.lanes['A-backend']!;
  const C = w.coordinator;
  const ran = path.join(w.root, 'js-config-ran');
  /** Commit `files` (null: delete) on integration: the policy every lane follows. */
  const policy = (files: Record<string, string | null>) => {
    for (const [f, text] of Object.entries(files)) {
      if (text === null) w.must(C, 'rm', '-q', '--', f);
      else {
        writeFileSync(path.join(C, f), text);
        w.must(C, 'add', '--', f);
      }
    }
    // The coordinator's own commit is not what is judged here (its hooks would read the policy).
    w.must(C, 'commit', '--no-verify', '-qm', `policy: ${Object.keys(files).join(', ')}`);
  };
  const original = readFileSync(path.join(C, '.lanesrc.json'), 'utf8');
  // The coordinator may run its own working tree's file (its own code, while nothing readable is
  // committed); no lane may run the committed one. The payload records who ran it.
  const marker = `require('node:fs').appendFileSync(${JSON.stringify(ran)}, process.cwd() + '\\n');\n`;
  const ranInLane = () =>
    existsSync(ran) &&
    readFileSync(ran, 'utf8')
      .split('\n')
      .some((dir) => dir && path.resolve(dir) !== path.resolve(C));

  it('a committed CommonJS config is refused as code in every lane: never run, never skipped', () => {
    policy({
      '.lanesrc.json': null,
      'lanes.config.cjs': `${marker}module.exports = { roles: { 'A-backend': { kind: 'delivery', paths: ['api/' + '**'] } } };\n`,
    });
    const c = commit(w, A(), ['api/would-be-in-scope.ts']);
    expect(c.status).not.toBe(0);
    expect(c.stderr).toContain('master:lanes.config.cjs: a JS or TS config is code');
    expect(c.stderr).toContain('.lanesrc.json');
    expect(c.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    const i = w.cli(A(), 'install', '--role', 'A-backend');
    expect(i.status).toBe(2);
    expect(ranInLane()).toBe(false);
    w.must(A(), 'reset', '-q');
  });

  it('an ES module config likewise: refused, not skipped for the defaults', () => {
    // The defaults would let A-backend commit backend/**.
    policy({
      'lanes.config.cjs': null,
      'lanes.config.mjs': `import { appendFileSync } from 'node:fs';\n${marker.replace("require('node:fs').", '')}export default { roles: { 'A-backend': { kind: 'delivery', paths: ['api/**'] } } };\n`,
    });
    const r = commit(w, A(), ['backend/defaults-would-allow.ts']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('master:lanes.config.mjs: a JS or TS config is code');
    expect(ranInLane()).toBe(false);
    w.must(A(), 'reset', '-q');
  });

  it('the repair is the data config committed again: the lanes follow it at once', () => {
    policy({ 'lanes.config.mjs': null, '.lanesrc.json': original });
    expect(commit(w, A(), ['backend/after-repair.ts']).status).toBe(0);
    expect(ranInLane()).toBe(false);
  });
});
