// Issue 22, "a new user's first hour": the other hook managers of a JavaScript repository (real
// husky 9 run by a real `npm ci` in a lane, real lefthook), and the defaults a first `init` meets.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../../src/demo/sandbox.js';
import { nextActions, type LaneRow } from '../../src/lifecycle/actions.js';
import { CLI, commit, defaults, tmpDir, world } from '../helpers/world.js';
import { coordinatorSandbox } from '../helpers/template.js';
import { timeout } from '../helpers/tier.js';

const HUSKY_DIR = path.resolve('node_modules/husky');
const LEFTHOOK = path.resolve('node_modules/.bin/lefthook');

describe('husky', () => {
  it(
    "a lane's `npm ci` (husky's prepare) cannot switch the rules off; status shows one fix, not one per lane",
    () => {
      const sb = coordinatorSandbox();
      const C = sb.coordinator;
      const marker = path.join(sb.root, 'husky-marker');
      // An app that depends on husky (from this repository's copy: no registry) and runs it on prepare.
      sb.write(
        C,
        'package.json',
        JSON.stringify({
          name: 'app',
          version: '1.0.0',
          private: true,
          scripts: { prepare: 'husky' },
          devDependencies: { husky: `file:${HUSKY_DIR}` },
        }) + '\n',
      );
      sb.write(C, '.gitignore', 'node_modules/\n');
      sb.write(C, '.husky/pre-commit', `echo husky >> '${marker}'\n`);
      const npm = (dir: string, ...args: string[]) =>
        sb.run(dir, 'npm', [...args, '--offline', '--no-audit', '--no-fund'], {
          npm_config_cache: path.join(sb.root, 'npm-cache'),
        });
      const first = npm(C, 'install');
      expect(first.status, first.stderr).toBe(0);
      // husky's prepare ran and set its path in .git/config, after lanes-hooks was installed...
      expect(sb.must(C, 'config', '--local', 'core.hooksPath')).toBe('.husky/_');
      // ...which is shadowed: the lanes hooks stay the ones git runs.
      expect(sb.must(C, 'rev-parse', '--git-path', 'hooks')).toBe(
        path.join(C, '.git/lanes-hooks/hooks'),
      );
      sb.must(C, 'add', '-A');
      sb.must(C, 'commit', '-q', '-m', 'husky');
      const doctor = sb.cli(C, 'doctor');
      expect(doctor.status).toBe(1);
      expect(doctor.stdout).toContain(
        'core.hooksPath was set to ".husky/_" in .git/config after install',
      );
      sb.mustCli(C, 'install'); // one install chains husky's hooks
      expect(sb.cli(C, 'doctor').status).toBe(0);

      const lane = sb.addLane('A-backend');
      // A real `npm ci` in the lane, offline: husky's prepare runs there and sets core.hooksPath again.
      const ci = npm(lane, 'ci');
      expect(ci.status, ci.stderr).toBe(0);
      expect(existsSync(path.join(lane, '.husky/_/h'))).toBe(true);
      expect(sb.must(lane, 'config', '--local', 'core.hooksPath')).toBe('.husky/_');
      const out = commit(sb, lane, ['web/x.tsx']);
      expect(out.status).not.toBe(0);
      expect(out.stderr).toContain('refused by path-scope');
      sb.must(lane, 'reset', '-q');
      expect(commit(sb, lane, ['backend/x.ts']).status).toBe(0);
      expect(readFileSync(marker, 'utf8')).toBe('husky\n'); // husky's own hook ran too

      const status = JSON.parse(sb.mustCli(C, 'status', '--json'));
      const present = status.lanes.filter((l: { missing?: boolean }) => !l.missing);
      expect(present.map((l: { hooks: string }) => l.hooks)).toEqual(['ok', 'ok']);

      // Hooks off repository-wide (our include removed by hand): one action, not one per lane.
      sb.must(C, 'config', '--local', '--unset', 'include.path');
      const off = JSON.parse(sb.mustCli(C, 'status', '--json'));
      const fixes = off.actions.filter((a: string) => a.includes('lanes-hooks install'));
      expect(fixes).toHaveLength(1);
      expect(fixes[0]).toContain('2 lanes (coordinator, A-backend)');
      sb.mustCli(lane, 'install');

      // uninstall leaves husky's path, which is husky's, where it is.
      sb.mustCli(C, 'uninstall');
      expect(sb.must(C, 'config', 'core.hooksPath')).toBe('.husky/_');
    },
    timeout(60_000),
  );
  it(
    'a repository installed by an earlier version (core.hooksPath in .git/config) moves to the include on install',
    () => {
      const sb = coordinatorSandbox();
      const C = sb.coordinator;
      const hooks = path.join(C, '.git/lanes-hooks/hooks');
      // What install wrote before: our path in .git/config itself, no include.
      sb.must(C, 'config', '--local', '--unset', 'include.path');
      sb.must(C, 'config', '--local', 'core.hooksPath', hooks);
      expect(sb.mustCli(C, 'install')).toContain('hooks updated');
      expect(sb.git(C, 'config', '--local', 'core.hooksPath').status).toBe(1);
      expect(sb.must(C, 'config', '--local', 'include.path')).toBe('lanes-hooks/hooks.gitconfig');
      expect(sb.must(C, 'rev-parse', '--git-path', 'hooks')).toBe(hooks);
      sb.must(C, 'config', 'core.hooksPath', '.husky/_'); // husky's prepare, later
      expect(sb.must(C, 'rev-parse', '--git-path', 'hooks')).toBe(hooks);
    },
    timeout(30_000),
  );
});

describe('status: the install action', () => {
  const row = (role: string, hooks: string): LaneRow => ({
    role,
    kind: role === 'coordinator' ? 'coordinator' : 'delivery',
    path: `/x/${role}`,
    branch: null,
    head: null,
    dirty: 0,
    ahead: 0,
    behind: 0,
    claim: null,
    signoffs: [],
    hooks,
  });
  const installs = (rows: LaneRow[]) =>
    nextActions(rows, defaults()).filter((a) => a.includes('lanes-hooks install'));
  const off = 'inactive (core.hooksPath is .husky/_)';

  it('is one action when the shared hooks are off the same way in several lanes, one per lane otherwise', () => {
    expect(installs([row('coordinator', off), row('A-backend', off), row('B-ui', off)])).toEqual([
      `3 lanes (coordinator, A-backend, B-ui): hooks ${off} → lanes-hooks install, once, in any worktree (the hooks are shared: it fixes every lane)`,
    ]);
    expect(installs([row('coordinator', 'ok'), row('A-backend', off)])).toHaveLength(1);
    // Not installed: the roles went with uninstall, so each lane needs its own install --role.
    expect(
      installs([row('coordinator', 'not installed'), row('A-backend', 'not installed')]),
    ).toEqual([
      'coordinator: hooks not installed → lanes-hooks install (in /x/coordinator)',
      'A-backend: hooks not installed → lanes-hooks install --role A-backend (in /x/A-backend)',
    ]);
  });
});

describe('lefthook', () => {
  it(
    '`lefthook install` next to lanes-hooks: one `lanes-hooks install` puts both to work, and with no_auto_install lefthook does not write over them again',
    () => {
      const sb = coordinatorSandbox();
      const C = sb.coordinator;
      const marker = path.join(sb.root, 'lefthook-marker');
      const lefthookYml = (word: string) =>
        `no_auto_install: true\npre-commit:\n  commands:\n    mark:\n      run: echo ${word} >> '${marker}'\n`;
      sb.write(C, 'lefthook.yml', lefthookYml('one'));
      sb.must(C, 'add', '-A');
      sb.must(C, 'commit', '-q', '-m', 'lefthook');
      const hooks = path.join(C, '.git/lanes-hooks/hooks');
      const lefthook = sb.run(C, LEFTHOOK, ['install']);
      expect(lefthook.status, lefthook.stdout + lefthook.stderr).toBe(0);
      // lefthook wrote its pre-commit over ours (the hooks directory git resolves is ours)...
      expect(readFileSync(path.join(hooks, 'pre-commit'), 'utf8')).toContain('lefthook');
      const doctor = sb.cli(C, 'doctor');
      expect(doctor.status).toBe(1);
      expect(doctor.stdout).toContain("hook pre-commit was replaced by another tool's");
      expect(doctor.stdout).toContain('no_auto_install: true');
      // ...and one install takes the directory back, lefthook's hook moving to the chained one.
      expect(sb.mustCli(C, 'install')).toContain('moved pre-commit');
      expect(readFileSync(path.join(hooks, 'pre-commit'), 'utf8')).toContain('# lanes-hooks ');
      expect(readFileSync(path.join(C, '.git/hooks/pre-commit'), 'utf8')).toContain('lefthook');
      expect(existsSync(path.join(hooks, 'pre-commit.old'))).toBe(false);

      const lane = sb.addLane('A-backend');
      const out = commit(sb, lane, ['web/x.tsx']);
      expect(out.status).not.toBe(0);
      expect(out.stderr).toContain('refused by path-scope');
      sb.must(lane, 'reset', '-q');
      expect(commit(sb, lane, ['backend/x.ts']).status).toBe(0);
      expect(readFileSync(marker, 'utf8')).toBe('one\n');

      // A changed lefthook.yml makes lefthook re-sync its hooks into the directory git resolves (ours)
      // on its next run, unless no_auto_install is set, as the messages say.
      sb.write(C, 'lefthook.yml', lefthookYml('two'));
      sb.must(C, 'add', '-A');
      sb.must(C, 'commit', '-q', '-m', 'lefthook two');
      expect(readFileSync(marker, 'utf8')).toBe('one\ntwo\n');
      expect(readFileSync(path.join(hooks, 'pre-commit'), 'utf8')).toContain('# lanes-hooks ');
      expect(sb.cli(C, 'doctor').status).toBe(0);
    },
    timeout(60_000),
  );
});

describe('the defaults a first `init` meets', () => {
  /** A repository made the way a user makes one: `git init` on `branch`, nothing else. */
  function fresh(name: string, branch = 'main', root = tmpDir()) {
    const sb = new Sandbox(root, CLI);
    const dir = path.join(root, name);
    sb.must(root, 'init', '-q', '-b', branch, dir);
    return { sb, dir };
  }
  const firstCommit = (sb: Sandbox, dir: string, ...files: string[]) => {
    sb.write(dir, 'README.md');
    sb.must(dir, 'add', 'README.md', ...files);
    return sb.run(dir, 'git', ['commit', '-q', '-m', 'first']);
  };

  it('init writes the branch the repository integrates on (main here), so setup finds it', () => {
    const { sb, dir } = fresh('app');
    firstCommit(sb, dir);
    const out = sb.mustCli(dir, 'init');
    expect(out).toContain('integration: main (the current branch)');
    expect(JSON.parse(readFileSync(path.join(dir, '.lanesrc.json'), 'utf8')).integration).toBe(
      'main',
    );
    sb.must(dir, 'add', '.lanesrc.json');
    sb.must(dir, 'commit', '-q', '-m', 'lanes policy');
    const plan = sb.mustCli(dir, 'setup', '--dry-run');
    expect(plan).toMatch(/A-backend +\.\.\/app-A-backend +would: create branch, add worktree/);
  });

  it('a config naming a missing integration branch: setup names the branch the repository uses', () => {
    const { sb, dir } = fresh('app');
    sb.write(dir, '.lanesrc.json', '{ "integration": "master" }\n');
    firstCommit(sb, dir, '.lanesrc.json');
    const r = sb.cli(dir, 'setup');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('neither master nor origin/master exists');
    expect(r.stderr).toContain('set "integration": "main" in the config');
  });

  it('two repositories in one folder get lanes of their own (the prefix is the repository name)', () => {
    const root = tmpDir();
    const one = fresh('shop', 'main', root);
    const two = fresh('blog', 'main', root);
    for (const { sb, dir } of [one, two]) sb.mustCli(dir, 'init');
    const template = (dir: string) =>
      JSON.parse(readFileSync(path.join(dir, '.lanesrc.json'), 'utf8')).worktrees;
    expect(template(one.dir)).toBe('../shop-{role}');
    expect(template(two.dir)).toBe('../blog-{role}');
  });

  it('setup refuses while the config is not committed, and makes no lane', () => {
    const { sb, dir } = fresh('app');
    firstCommit(sb, dir);
    sb.mustCli(dir, 'init');
    const r = sb.cli(dir, 'setup');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no lanes config is committed on main yet');
    expect(r.stderr).toContain('git add .lanesrc.json && git commit');
    expect(sb.must(dir, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
  });

  it('an empty repository: init and setup say to make a first commit; that commit passes quietly', () => {
    const { sb, dir } = fresh('app');
    expect(sb.mustCli(dir, 'init')).toContain(
      'this repository has no commit yet: make a first commit',
    );
    const r = sb.cli(dir, 'setup');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no commit yet');
    expect(r.stderr).toContain('make a first commit');
    sb.mustCli(dir, 'install');
    const c = firstCommit(sb, dir, '.lanesrc.json');
    expect(c.status, c.stderr).toBe(0);
    expect(c.stderr).not.toContain('fatal');
  });

  it('review refresh of a lane that never pushed refuses before it rebases anything', () => {
    const w = world(['D-arch']);
    const D = w.lanes['D-arch']!;
    // integration moves on: a rebase would move the review lane's own branch.
    commit(w, w.coordinator, ['docs/new.md']);
    w.must(w.coordinator, 'push', '-q', 'origin', 'master');
    const before = w.must(D, 'rev-parse', 'HEAD');
    const r = w.cli(D, 'review', 'refresh', 'A-backend');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('origin/agent/A-backend does not exist');
    expect(r.stderr).toContain('has not pushed');
    expect(w.must(D, 'rev-parse', 'HEAD')).toBe(before);
    expect(w.must(D, 'symbolic-ref', '--short', 'HEAD')).toBe('agent/D-arch');
  });
});
