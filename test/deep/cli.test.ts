// Deep tier: the CLI surface beyond `init` (test/cli.test.ts): config errors (exit 2, one line
// each, no stack), other config formats, usage errors.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../../src/demo/sandbox.js';
import { CLI, commit, tmpDir, world } from '../helpers/world.js';
import { coordinatorSandbox } from '../helpers/template.js';

const noStack = (s: string) => expect(s).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

describe('config errors', () => {
  // A repository with nothing committed yet: its main worktree follows its own files (once a
  // config is committed on integration, only that one counts: test/deep/attacks/policy-source.test.ts).
  // The main worktree (the coordinator: a recorded role cannot make it a lane) on agent/B-ui.
  const w = world([]);
  const original = readFileSync(path.join(w.coordinator, '.lanesrc.json'), 'utf8');
  const fresh = path.join(w.root, 'fresh');
  w.must(w.root, 'init', '-q', fresh);
  w.must(fresh, 'symbolic-ref', 'HEAD', 'refs/heads/agent/B-ui');
  writeFileSync(path.join(fresh, '.lanesrc.json'), original);
  w.mustCli(fresh, 'install');
  const B = () => fresh;
  const setConfig = (text: string) => writeFileSync(path.join(B(), '.lanesrc.json'), text);

  it('malformed JSON: exit 2 naming the file, and the commit is refused', () => {
    setConfig('{ "integration": "master", ');
    const r = w.cli(B(), 'install', '--role', 'B-ui');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^\.lanesrc\.json: line 1, column 28: unexpected end of file\n/);
    noStack(r.stderr);
    const c = commit(w, B(), ['web/a.tsx']);
    expect(c.status).not.toBe(0);
    expect(c.stderr).toContain('.lanesrc.json: line 1, column 28');
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
      '.lanesrc.json: intgration: unknown key (did you mean integration?)',
      '.lanesrc.json: roles.B-ui.paths[1]: expected string, got number',
    ]);
    noStack(r.stderr);
  });

  it('a JSON syntax error: the bad line, git-style position and a caret', () => {
    setConfig(
      '{\n  "integration": "master",\n  "roles": {\n  "B-ui": { "kind": "delivery", "paths": ["web/**"] }\n  "D-arch": { "kind": "review" }\n  }\n}\n',
    );
    const r = w.cli(B(), 'install', '--role', 'B-ui');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      [
        `.lanesrc.json: line 5, column 3: expected ',' or '}'`,
        '    "D-arch": { "kind": "review" }',
        '    ^',
        '',
      ].join('\n'),
    );
    setConfig('{ "roles": {},\n\t"shared": ["a/**",\n\t]}\n');
    // A tab is a control character: it reaches the terminal escaped like any other (route 9,
    // util/text.ts inertLines), and the caret line carries the same escape so the caret still
    // stands under the bad character.
    expect(w.cli(B(), 'install').stderr).toBe(
      '.lanesrc.json: line 3, column 2: expected a value (JSON has no trailing commas)\n  \\t]}\n  \\t^\n',
    );
    setConfig(original);
  });

  it('a JS config error: its own first line and position, not "Require stack:"', () => {
    const js = path.join(B(), 'lanes.config.cjs');
    rmSync(path.join(B(), '.lanesrc.json'));
    writeFileSync(js, `const more = require('./lanes-more.cjs');\nmodule.exports = more;\n`);
    const missing = w.cli(B(), 'install');
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toBe(
      `lanes.config.cjs: cannot be read: Cannot find module './lanes-more.cjs' (line 1, column 14)`,
    );
    writeFileSync(js, `module.exports = {\n  roles: {\n};\n`);
    const syntax = w.cli(B(), 'install');
    expect(syntax.status).toBe(2);
    expect(syntax.stderr).toMatch(/^lanes\.config\.cjs: line 3: Unexpected token .*\n  \};\n  +\^/);
    noStack(syntax.stderr);
    rmSync(js);
    setConfig(original);
  });

  it('a delivery role without paths, owner/owners confused, a misspelt key: each named with the fix', () => {
    const bad = JSON.parse(original);
    bad.roles['B-ui'] = { kind: 'delivery', owner: ['alice'] };
    bad.roles['C-ops'] = { kind: 'delivery', paths: [], owners: 'bob' };
    bad.roles['D-arch'] = { kind: 'review', onwers: ['carol'], paths: ['x/**'] };
    bad.server = { coordinator: ['lead'] };
    setConfig(JSON.stringify(bad));
    const r = w.cli(B(), 'install');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n').sort()).toEqual([
      '.lanesrc.json: roles.B-ui.owner: expected string, got array (owner is the one name whose claims the lane pushes under; a list of pusher identities goes in owners)',
      '.lanesrc.json: roles.B-ui.paths: a delivery role needs paths (the globs its lane may change)',
      '.lanesrc.json: roles.C-ops.owners: expected array, got string (owners is a list of pusher identities: ["bob"]; the one name whose claims the lane pushes under is owner)',
      '.lanesrc.json: roles.C-ops.paths: a delivery role needs paths (the globs its lane may change)',
      '.lanesrc.json: roles.D-arch.onwers: unknown key (did you mean owners?)',
      '.lanesrc.json: roles.D-arch.paths: unknown key (a review role has no paths)',
      '.lanesrc.json: server.coordinator: unknown key (did you mean coordinators?)',
    ]);
    noStack(r.stderr);
    setConfig(original);
  });

  it('before anything is committed, the main worktree follows its own files: a YAML config names its release branch', () => {
    expect(commit(w, B(), ['docs/ui.md']).status).toBe(0);
    rmSync(path.join(B(), '.lanesrc.json'));
    w.write(B(), '.lanesrc.yaml', 'release: agent/B-ui\n');
    expect(commit(w, B(), ['backend/x.ts']).stderr).toContain('refused by release-branch-commit');
    w.must(B(), 'reset', '-q', '--hard');
    rmSync(path.join(B(), '.lanesrc.yaml'));
  });
});

describe('package.json#lanes', () => {
  it('is read like any other config source', () => {
    const sb = coordinatorSandbox({ install: false });
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

describe('usage', () => {
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
});
