// The CLI surface: config errors (exit 2, one line each, no stack), init, help, other config formats.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../src/demo/sandbox.js';
import { CLI, commit, tmpDir, world } from './helpers/world.js';

const noStack = (s: string) => expect(s).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

describe('config errors', () => {
  const w = world(['B-ui']);
  const B = () => w.lanes['B-ui']!;
  const setConfig = (text: string) => writeFileSync(path.join(B(), '.lanesrc.json'), text);
  const original = readFileSync(path.join(w.coordinator, '.lanesrc.json'), 'utf8');

  it('malformed JSON: exit 2 naming the file, and the commit is refused', () => {
    setConfig('{ "integration": "master", ');
    const r = w.cli(B(), 'install', '--role', 'B-ui');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^\.lanesrc\.json: cannot be read: /);
    noStack(r.stderr);
    const c = commit(w, B(), ['web/a.tsx']);
    expect(c.status).not.toBe(0);
    expect(c.stderr).toContain('.lanesrc.json: cannot be read');
    w.must(B(), 'reset', '-q');
  });

  it('unknown keys and wrong types: one line per problem with the key path', () => {
    const bad = JSON.parse(original);
    bad.intgration = 'main';
    bad.roles['B-ui'].paths = ['web/**', 3];
    setConfig(JSON.stringify(bad));
    const r = w.cli(B(), 'install');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n').sort()).toEqual([
      '.lanesrc.json: intgration: unknown key (not part of the lanes config)',
      '.lanesrc.json: roles.B-ui.paths[1]: expected string, got number',
    ]);
    noStack(r.stderr);
  });

  it('follows the checked-out config: a YAML config that widens B-ui takes effect in that worktree', () => {
    w.must(B(), 'checkout', '--', '.lanesrc.json');
    rmSync(path.join(B(), '.lanesrc.json')); // a working-tree change only: staging the delete would be out of scope
    w.write(
      B(),
      '.lanesrc.yaml',
      'roles:\n  B-ui:\n    kind: delivery\n    paths: ["web/**", "docs/**"]\n',
    );
    expect(commit(w, B(), ['docs/ui.md']).status).toBe(0);
    expect(commit(w, B(), ['backend/x.ts']).stderr).toContain('refused by path-scope');
    w.must(B(), 'reset', '-q', '--hard');
    rmSync(path.join(B(), '.lanesrc.yaml'));
  });
});

describe('package.json#lanes', () => {
  it('is read like any other config source', () => {
    const sb = new Sandbox(tmpDir(), CLI);
    sb.createCoordinator({ install: false });
    sb.must(sb.coordinator, 'rm', '-q', '.lanesrc.json');
    sb.write(
      sb.coordinator,
      'package.json',
      JSON.stringify({
        name: 'x',
        lanes: {
          roles: { api: { kind: 'delivery', paths: ['api/**'] } },
          worktrees: '../lane-{role}',
        },
      }),
    );
    sb.must(sb.coordinator, 'add', '-A');
    sb.must(sb.coordinator, 'commit', '-q', '-m', 'package.json config');
    sb.mustCli(sb.coordinator, 'install');
    const dir = path.join(sb.root, 'lane-api');
    sb.must(sb.coordinator, 'worktree', 'add', '-q', '-b', 'agent/api', dir);
    expect(commit(sb, dir, ['api/a.ts']).status).toBe(0);
    const r = commit(sb, dir, ['web/a.ts']);
    expect(r.stderr).toContain('refused by path-scope');
    expect(r.stderr).toContain('api/**');
  });
});

describe('init and usage', () => {
  it('init writes the documented default and refuses to overwrite it', () => {
    const sb = new Sandbox(tmpDir(), CLI);
    sb.must(sb.root, 'init', '-q', 'repo');
    const dir = path.join(sb.root, 'repo');
    expect(sb.cli(dir, 'init').status).toBe(0);
    const written = JSON.parse(readFileSync(path.join(dir, '.lanesrc.json'), 'utf8'));
    expect(written).toMatchObject({
      integration: 'master',
      release: 'release/platform-control',
      remote: 'origin',
      worktrees: '../gpuas-{role}',
      branches: { role: 'agent/{role}', review: 'review/{role}' },
      shared: [],
      reviews: { dir: 'doc/governance/reviews', required: [] },
      queue: { requireClaim: true },
    });
    expect(Object.keys(written.roles)).toEqual([
      'A-backend',
      'B-ui',
      'C-ops',
      'D-arch',
      'E-governance',
    ]);
    expect(written.$schema).toContain('schema/lanesrc.schema.json');
    const again = sb.cli(dir, 'init');
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('already exists');
  });

  it('usage errors exit 2 without a stack; every command has --help', () => {
    const sb = new Sandbox(tmpDir(), CLI);
    for (const args of [['frobnicate'], ['install', '--bogus'], ['doctor', 'extra']]) {
      const r = sb.cli(sb.root, ...args);
      expect(r.status, args.join(' ')).toBe(2);
      noStack(r.stderr);
    }
    for (const c of ['init', 'install', 'uninstall', 'doctor', 'audit', 'demo']) {
      const r = sb.cli(sb.root, c, '--help');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`lanes-hooks ${c}`);
    }
    const outside = sb.cli(sb.root, 'doctor');
    expect(outside.status).toBe(2);
    expect(outside.stderr).toBe('lanes-hooks: not inside a git repository\n');
  });

  it('the JSON Schema ships and knows every top-level key', () => {
    const schema = JSON.parse(readFileSync('schema/lanesrc.schema.json', 'utf8'));
    expect(Object.keys(schema.properties).sort()).toEqual([
      '$schema',
      'branches',
      'integration',
      'queue',
      'release',
      'remote',
      'reviews',
      'roles',
      'server',
      'shared',
      'worktrees',
    ]);
    expect(schema.additionalProperties).toBe(false);
  });
});
