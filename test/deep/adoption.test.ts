// Issue 30, "the first day on a real repository": what a new user met adopting lanes-hooks on an
// existing JavaScript project (expressjs/express), each fixed and held here with real git.
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../../src/demo/sandbox.js';
import { proposeRoles } from '../../src/lifecycle/init-roles.js';
import { netScope, pathScope } from '../../src/policy/path-scope.js';
import { scopeOf } from '../../src/policy/scope.js';
import { CLI, defaults, laneFor, tmpDir } from '../helpers/world.js';
import { coordinatorSandbox } from '../helpers/template.js';

/** An existing project of express's shape: lib/, test/, examples/, a folder with a space, dotfiles. */
function expressLike(name = 'myapp') {
  const root = tmpDir();
  const sb = new Sandbox(root, CLI);
  const dir = path.join(root, name);
  sb.must(root, 'init', '-q', '-b', 'master', dir);
  for (const f of [
    'lib/router.js',
    'test/app.js',
    'examples/hello world/index.js',
    '.github/workflows/ci.yml',
    '.npmrc',
    'Readme.md',
  ])
    sb.write(dir, f);
  sb.write(dir, 'package.json', '{ "name": "myapp", "version": "1.0.0" }\n');
  sb.must(dir, 'add', '-A');
  sb.must(dir, 'commit', '-q', '-m', 'an existing project');
  return { sb, dir };
}

describe('init on an existing repository (point 11)', () => {
  it('proposes roles from the real top-level folders, not backend/web/ops, and warns of paths that match nothing', () => {
    const { sb, dir } = expressLike();
    const out = sb.mustCli(dir, 'init');
    const cfg = JSON.parse(readFileSync(path.join(dir, '.lanesrc.json'), 'utf8'));
    expect(cfg.roles).toEqual({
      examples: { kind: 'delivery', paths: ['examples/**'] },
      lib: { kind: 'delivery', paths: ['lib/**'] },
      test: { kind: 'delivery', paths: ['test/**'] },
      review: { kind: 'review' },
    });
    expect(out).toContain("roles from this repository's top-level folders: examples (examples/**)");
    expect(out).not.toContain('warning'); // every proposed path matches a file
    expect(out).not.toContain('backend');
    // The proposal is a config the policy loads: setup plans a lane per folder.
    sb.must(dir, 'add', '.lanesrc.json');
    sb.must(dir, 'commit', '-q', '-m', 'lanes policy');
    expect(sb.mustCli(dir, 'setup', '--dry-run')).toMatch(/lib +\.\.\/myapp-lib +would: create/);
  });

  it('a repository with no folder gets the reference model, and a warning per path that matches nothing', () => {
    const root = tmpDir();
    const sb = new Sandbox(root, CLI);
    const dir = path.join(root, 'flat');
    sb.must(root, 'init', '-q', '-b', 'main', dir);
    sb.write(dir, 'index.js');
    sb.must(dir, 'add', '-A');
    sb.must(dir, 'commit', '-q', '-m', 'flat');
    const out = sb.mustCli(dir, 'init');
    expect(out).toContain(
      `warning: A-backend's path backend/** matches no file in this repository`,
    );
    expect(out).toContain(`warning: B-ui's path web/** matches no file`);
    expect(out).toContain(`warning: C-ops's path ops/** matches no file`);
  });

  it('hostile folder names: spaces and unicode kept in the glob, glob syntax and clashes skipped with a reason', () => {
    const p = proposeRoles([
      { name: 'my docs', folder: true },
      { name: 'café', folder: true },
      { name: '[generated]', folder: true },
      { name: 'my-docs', folder: true },
      { name: '.github', folder: true },
      { name: 'index.js', folder: false },
      { name: 'new\nline', folder: true },
    ])!;
    expect(p.roles['my-docs']).toEqual({ kind: 'delivery', paths: ['my docs/**'] });
    expect(p.roles['caf']).toEqual({ kind: 'delivery', paths: ['café/**'] });
    expect(p.roles['new-line']).toEqual({ kind: 'delivery', paths: ['new\nline/**'] });
    expect(p.skipped).toEqual([
      { folder: '[generated]', why: 'its name is glob syntax' },
      { folder: 'my-docs', why: 'role my-docs is taken' },
    ]);
    expect(Object.keys(p.roles)).not.toContain('.github');
    expect(proposeRoles([{ name: 'README.md', folder: false }])).toBeNull();
  });

  it('init --scaffold writes no Makefile into a package.json project', () => {
    const { sb, dir } = expressLike();
    const out = sb.mustCli(dir, 'init', '--scaffold');
    expect(out).toContain('Makefile: none written');
    expect(out).toContain('make -f lanes.mk');
    expect(existsSync(path.join(dir, 'Makefile'))).toBe(false);
    expect(existsSync(path.join(dir, 'lanes.mk'))).toBe(true);
  });
});

describe('status names a dirty coordinator as what blocks land (point 3)', () => {
  it('a changed tracked file: status says it blocks merge and land, as land --dry-run refuses; an untracked one does not', () => {
    const sb = coordinatorSandbox();
    const C = sb.coordinator;
    const status = () => JSON.parse(sb.mustCli(C, 'status', '--json'));
    sb.write(C, 'scratch.txt'); // untracked: land does not mind
    expect(status().actions.join('\n')).not.toContain('merge and land refuse');
    // Changed like package.json after `npm i -D`:
    sb.write(C, '.lanesrc.json', sb.must(C, 'show', 'HEAD:.lanesrc.json') + '\n\n');
    const land = sb.cli(C, 'land', '--dry-run');
    expect(land.status).toBe(1);
    expect(land.stderr).toContain('the coordinator has uncommitted changes');
    const s = status();
    expect(s.actions[0]).toBe(
      `coordinator: 1 uncommitted change to tracked files (merge and land refuse to start until they are committed) → commit them (git add -u && git commit) or git stash (in ${C})`,
    );
    expect(s.lanes.find((l: { kind: string }) => l.kind === 'coordinator')).toMatchObject({
      dirty: 2,
      tracked: 1,
    });
  }, 180_000);
});

describe('fix suggestions name who can make the change (point 13)', () => {
  const config = defaults();
  const ctx = { config, lane: laneFor('B-ui', config) };
  const scope = scopeOf(config, ctx.lane)!;

  it('a path no lane owns is the coordinator’s; a path of another lane names that lane', () => {
    const [v] = pathScope(
      ctx,
      scope,
      [{ paths: ['package.json', 'Readme.md', 'backend/api.ts'] }],
      'commit',
    );
    expect(v!.fix).toEqual([
      'git restore --staged -- <path>   for each path above, then:',
      '  package.json, Readme.md: no lane owns them, so only the coordinator commits them (in the main checkout), or add them to "shared" in the config',
      '  backend/api.ts: the A-backend lane owns it; commit there',
    ]);
    expect(v!.fix.join('\n')).not.toContain('the lane that owns it');
  });

  it('a net-effect refusal caused by the lane’s own commit says to rewrite it, not to rebase', () => {
    const own = [{ commit: 'a'.repeat(40), paths: ['web/app.tsx', 'package.json'] }];
    const net = { integration: 'origin/master', bases: ['b'.repeat(40)], paths: ['package.json'] };
    const [v] = netScope(ctx, scope, net, 'push', own);
    expect(v!.fix[0]).toBe(
      "the lane's own commits change package.json: rewrite them without those paths (git rebase -i origin/master), then push again",
    );
    expect(v!.fix.join('\n')).not.toContain('git rebase origin/master ');
    // A path only a merge brought in (not one of the lane's own commits): rebasing is the fix.
    const merged = netScope(ctx, scope, { ...net, paths: ['backend/old.ts'] }, 'push', own)[0]!;
    expect(merged.fix[0]).toContain('git rebase origin/master   (replay only');
  });
});

describe('doctor says what does not run or load (points 7 and 8)', () => {
  it('a config here that does not load: a problem with its file, line and reason, exit 1', () => {
    const sb = coordinatorSandbox();
    const C = sb.coordinator;
    sb.write(
      C,
      '.lanesrc.json',
      '{\n  "integration": "master",\n  "roles": { "x": { "kind": "delivery", "paths": ["a/**"], } }\n}\n',
    );
    const r = sb.cli(C, 'doctor');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      'the config here does not load: .lanesrc.json: line 3, column 60: expected a key (JSON has no trailing commas) (only the config committed on master counts',
    );
  }, 120_000);

  it("husky's hooks chained from .husky/_ do not run in a lane without it: doctor says so there, not in the coordinator", () => {
    const sb = coordinatorSandbox();
    const C = sb.coordinator;
    sb.write(C, '.husky/_/pre-commit', '#!/bin/sh\nexit 0\n');
    chmodSync(path.join(C, '.husky/_/pre-commit'), 0o755);
    sb.must(C, 'config', 'core.hooksPath', '.husky/_'); // husky's prepare
    sb.mustCli(C, 'install'); // chains it
    const lane = sb.addLane('A-backend');
    const r = sb.cli(lane, 'doctor');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      'the hooks chained from ".husky/_" (husky\'s, say: pre-commit) run in the main worktree but not here',
    );
    expect(r.stdout).toContain('npm ci && npx husky');
    expect(sb.cli(C, 'doctor').stdout).not.toContain('chained from');
  }, 120_000);
});
