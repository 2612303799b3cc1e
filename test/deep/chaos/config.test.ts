// Hostile configs through the CLI: random mutations of a valid config (test/helpers/random-config.ts;
// thousands of them in process in test/config-table.test.ts) fail with one `file: key: problem`
// line each (exit 2, no stack); branch-name checks agree with git itself; JS configs load (and are
// never compiled into the shell fast path).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { branchNameProblem } from '../../../src/config/git-names.js';
import { parseConfig } from '../../../src/config/load.js';
import { defaultConfigFile } from '../../../src/config/schema.js';
import { mutate, pick, rand } from '../../helpers/random-config.js';
import { commit, tmpDir, world } from '../../helpers/world.js';

describe('random configs', () => {
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
  const w = world(['A-backend']);
  const A = () => w.lanes['A-backend']!;
  const trace = path.join(w.root, 'js-trace');
  const C = w.coordinator;
  /** Commit `files` (null: delete) on integration: the policy every lane follows. */
  const policy = (files: Record<string, string | null>) => {
    for (const [f, text] of Object.entries(files)) {
      if (text === null) w.must(C, 'rm', '-q', '--', f);
      else {
        writeFileSync(path.join(C, f), text);
        w.must(C, 'add', '--', f);
      }
    }
    w.must(C, 'commit', '-qm', `policy: ${Object.keys(files).join(', ')}`);
  };
  const original = readFileSync(path.join(C, '.lanesrc.json'), 'utf8');

  it('are read (by Node, on every decision: code is never compiled into the shell fast path)', () => {
    policy({
      '.lanesrc.json': null,
      'lanes.config.cjs': `module.exports = { roles: { 'A-backend': { kind: 'delivery', paths: ['api/' + '**'] } } };\n`,
    });
    for (let i = 0; i < 2; i++) {
      rmSync(trace, { force: true });
      expect(commit(w, A(), [`api/ok${i}.ts`], { env: { LANES_HOOKS_TRACE: trace } }).status).toBe(
        0,
      );
      expect(existsSync(trace) && readFileSync(trace, 'utf8')).toContain('pre-commit');
    }
    const r = commit(w, A(), ['backend/now-outside.ts']);
    expect(r.stderr).toContain('refused by path-scope');
    expect(r.stderr).toContain('api/**');
    w.must(A(), 'reset', '-q');
  });

  it('one that throws: exit 2 naming the file, no stack, and the commit is refused', () => {
    const good = readFileSync(path.join(C, 'lanes.config.cjs'), 'utf8');
    policy({ 'lanes.config.cjs': `throw new Error('config exploded');\n` });
    const i = w.cli(A(), 'install', '--role', 'A-backend');
    expect(i.status).toBe(2);
    expect(i.stderr).toMatch(/^master:lanes\.config\.cjs: cannot be read: .*config exploded/);
    expect(i.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    const d = w.cli(A(), 'doctor');
    expect(d.status).toBe(1); // doctor reports what to fix (docs/reference.md, "Exit codes": 1)
    expect(d.stdout).toContain('lanes.config.cjs: cannot be read');
    const c = commit(w, A(), ['api/after-throw.ts']);
    expect(c.status).not.toBe(0);
    expect(c.stderr).toContain('config exploded');
    w.must(A(), 'reset', '-q');
    // The coordinator repairs it: its own fixed file is its policy until the fix is committed.
    policy({ 'lanes.config.cjs': good });
    expect(commit(w, A(), ['api/after-repair.ts']).status).toBe(0);
  });

  it('an ES module config is never skipped for the defaults: it applies, or nothing passes', () => {
    // The synchronous search skips .mjs; the defaults would let A-backend commit backend/**.
    policy({
      'lanes.config.cjs': null,
      'lanes.config.mjs': `export default { roles: { 'A-backend': { kind: 'delivery', paths: ['api/**'] } } };\n`,
    });
    const r = commit(w, A(), ['backend/defaults-would-allow.ts']);
    expect(r.status).not.toBe(0);
    // Node >= 20.19 requires ES modules (the scope applies); older Node cannot (exit 2, named).
    expect(r.stderr).toMatch(/refused by path-scope|lanes\.config\.mjs: cannot be read/);
    w.must(A(), 'reset', '-q');
    policy({ 'lanes.config.mjs': null, '.lanesrc.json': original });
  });
});
