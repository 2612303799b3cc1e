// What a lane changes in integration: each commit it adds AND its net effect (the tip against the
// merge base with integration) must lie in its scope, and no one brings a path git refuses to
// check out. Every route is tried against a bare hub running guard pre-receive, with the hooks
// (pre-push), past them (--no-verify: the hub), and past the hub (a branch pushed before the hub's
// hook existed: `lanes-hooks merge`).
import { spawnSync } from 'node:child_process';
import { chmodSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../../src/demo/sandbox.js';
import { forbiddenPath } from '../../src/policy/path-scope.js';
import { claim, CLI, commit, tmpDir } from '../helpers/world.js';
import { fromTemplate } from '../helpers/template.js';
import { useInProcessCli } from '../helpers/in-process.js';

// The CLI steps run in this process (helpers/in-process.ts); hooks and pushes stay real processes.
useInProcessCli();

const PRE_RECEIVE = `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} guard pre-receive\n`;

/** A hub with guard pre-receive, a coordinator and every lane by setup. */
function hub(): Sandbox {
  // A copy of a template built once per run (helpers/template.ts).
  return fromTemplate(
    'net-effect hub',
    (sb) => {
      sb.createCoordinator();
      const hook = path.join(sb.remote, 'hooks', 'pre-receive');
      writeFileSync(hook, PRE_RECEIVE);
      chmodSync(hook, 0o755);
      sb.mustCli(sb.coordinator, 'setup');
    },
    tmpDir('lanes-net-'),
  );
}

const tip = (sb: Sandbox, ref: string) =>
  sb.git(sb.remote, 'rev-parse', '-q', '--verify', ref).stdout.trim();

/** A tree made by hand (mktree does not check names): `files` maps a path to its content. */
function mkTree(sb: Sandbox, dir: string, files: Record<string, string>): string {
  const here = new Map<string, string>();
  const sub = new Map<string, Record<string, string>>();
  for (const [p, text] of Object.entries(files)) {
    const at = p.indexOf('/');
    if (at < 0) here.set(p, text);
    else {
      const d = p.slice(0, at);
      sub.set(d, { ...(sub.get(d) ?? {}), [p.slice(at + 1)]: text });
    }
  }
  const entries: string[] = [];
  for (const [name, text] of here) {
    const r = spawnSync('git', ['hash-object', '-w', '--stdin'], {
      cwd: dir,
      env: sb.env,
      input: text,
    });
    entries.push(`100644 blob ${r.stdout.toString().trim()}\t${name}\n`);
  }
  for (const [name, inner] of sub) entries.push(`040000 tree ${mkTree(sb, dir, inner)}\t${name}\n`);
  const r = spawnSync('git', ['mktree'], { cwd: dir, env: sb.env, input: entries.join('') });
  if (r.status !== 0) throw new Error(`mktree: ${r.stderr}`);
  return r.stdout.toString().trim();
}

/** `base`'s tree with some paths set to the given revision's version, written or removed (null). */
function treeFrom(
  sb: Sandbox,
  dir: string,
  base: string,
  changes: Record<string, { from: string } | string | null>,
): string {
  const env = {
    GIT_INDEX_FILE: path.join(sb.root, `index-${Math.random().toString(36).slice(2)}`),
  };
  const g = (...args: string[]) => {
    const r = sb.run(dir, 'git', args, env);
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  g('read-tree', base);
  for (const [p, c] of Object.entries(changes)) {
    if (c === null) g('update-index', '--force-remove', '--', p);
    else {
      const blob =
        typeof c === 'string'
          ? spawnSync('git', ['hash-object', '-w', '--stdin'], { cwd: dir, env: sb.env, input: c })
              .stdout.toString()
              .trim()
          : g('rev-parse', `${c.from}:${p}`);
      g('update-index', '--add', '--cacheinfo', `100644,${blob},${p}`);
    }
  }
  return g('write-tree');
}

const commitTree = (sb: Sandbox, dir: string, tree: string, parents: string[], msg: string) =>
  sb.must(dir, 'commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-m', msg);

describe('net effect: what a lane would change in integration', { timeout: 240_000 }, () => {
  const sb = hub();
  const A = sb.lane('A-backend');
  const B = sb.lane('B-ui');
  const C = sb.coordinator;
  const push = (dir: string, ...args: string[]) => sb.git(dir, 'push', '-q', ...args);
  const initial = sb.must(C, 'rev-parse', 'master');
  claim(sb, A, 'A-backend', 'agent-a');
  claim(sb, B, 'B-ui', 'agent-b');
  sb.mustCli(C, 'sync');
  // B-ui's fix, merged into master: the file another lane will try to revert.
  sb.write(B, 'web/index.html', 'the B-ui fix\n');
  sb.must(B, 'commit', '-qam', 'B-ui: fix the page');
  sb.must(B, 'push', '-q', 'origin', 'agent/B-ui');
  sb.mustCli(C, 'merge', 'B-ui');
  const fixed = sb.must(C, 'rev-parse', 'master');
  // A-backend starts from the new master and does honest work.
  sb.must(A, 'fetch', '-q', 'origin');
  sb.must(A, 'merge', '-q', '--ff-only', 'origin/master');
  commit(sb, A, ['backend/feature.ts']);
  const honest = sb.must(A, 'rev-parse', 'HEAD');
  /** Point the lane's branch (checked out in A) at `sha`. */
  const setA = (sha: string) => sb.must(A, 'reset', '-q', '--hard', sha);

  it("route 1: a merge with an older integration commit that reverts B-ui's fix", () => {
    const tree = treeFrom(sb, A, honest, { 'web/index.html': { from: initial } });
    const evil = commitTree(sb, A, tree, [honest, initial], 'merge an old master');
    setA(evil);
    const before = tip(sb, 'agent/A-backend');
    // pre-push (the fast path hands it to Node: a merge's -m listing shows web/index.html).
    const r = push(A, 'origin', 'agent/A-backend');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/^lanes-hooks: refused by path-scope/m);
    expect(r.stderr).toContain('net effect against origin/master');
    expect(r.stderr).toContain(`its merge base with origin/master, ${fixed.slice(0, 10)}`);
    expect(r.stderr).toContain('web/index.html');
    expect(r.stderr).toContain('git checkout origin/master -- <path>');
    // The hub, past the hooks.
    const hub = push(A, '--no-verify', 'origin', 'agent/A-backend');
    expect(hub.status).not.toBe(0);
    expect(hub.stderr).toContain('remote: lanes-hooks: refused by path-scope');
    expect(hub.stderr).toContain('net effect against master');
    expect(hub.stderr).toContain('web/index.html');
    expect(tip(sb, 'agent/A-backend')).toBe(before);
    // A branch that got onto the hub past the rules (before its hook was installed): merge refuses.
    const hook = path.join(sb.remote, 'hooks', 'pre-receive');
    renameSync(hook, `${hook}.off`);
    try {
      expect(push(A, '--no-verify', 'origin', 'agent/A-backend').status).toBe(0);
    } finally {
      renameSync(`${hook}.off`, hook);
    }
    const m = sb.cli(C, 'merge', 'A-backend');
    expect(m.status).not.toBe(0);
    expect(m.stderr).toContain('refused by path-scope');
    expect(m.stderr).toContain('net effect against master');
    expect(m.stderr).toContain('web/index.html');
    expect(sb.must(C, 'rev-parse', 'master')).toBe(fixed);
    expect(tip(sb, 'master')).toBe(fixed);
    // The honest branch passes every layer again.
    setA(honest);
    const ok = push(A, '-f', 'origin', 'agent/A-backend');
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(tip(sb, 'agent/A-backend')).toBe(honest);
  });

  it('route 2: a merge with a new orphan root that deletes an out-of-scope file', () => {
    const root = commitTree(sb, A, mkTree(sb, A, { 'backend/app.ts': 'root\n' }), [], 'a new root');
    const tree = treeFrom(sb, A, honest, { 'ops/deploy.sh': null, 'README.md': null });
    const evil = commitTree(sb, A, tree, [honest, root], 'merge a new root');
    setA(evil);
    const r = push(A, 'origin', 'agent/A-backend');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/^lanes-hooks: refused by path-scope/m);
    expect(r.stderr).toContain('net effect against origin/master');
    expect(r.stderr).toContain('ops/deploy.sh');
    const hub = push(A, '--no-verify', 'origin', 'agent/A-backend');
    expect(hub.stderr).toContain('remote: lanes-hooks: refused by path-scope');
    expect(hub.stderr).toContain('ops/deploy.sh');
    expect(tip(sb, 'agent/A-backend')).toBe(honest);
    // An orphan root pushed as the branch itself: everything integration has and it lacks counts.
    const alone = commitTree(sb, A, mkTree(sb, A, { 'backend/app.ts': 'only\n' }), [], 'orphan');
    setA(alone);
    const o = push(A, '--no-verify', '-f', 'origin', 'agent/A-backend');
    expect(o.stderr).toContain('no common history');
    expect(o.stderr).toContain('web/index.html');
    expect(tip(sb, 'agent/A-backend')).toBe(honest);
    setA(honest);
  });

  it('route 3: the same route deleting .lanesrc.json from integration', () => {
    const root = commitTree(sb, A, mkTree(sb, A, { 'backend/x.ts': 'x\n' }), [], 'root');
    const evil = commitTree(
      sb,
      A,
      treeFrom(sb, A, honest, { '.lanesrc.json': null }),
      [honest, root],
      'drop the config',
    );
    setA(evil);
    for (const flags of [[], ['--no-verify']]) {
      const r = push(A, ...flags, 'origin', 'agent/A-backend');
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('refused by path-scope');
      expect(r.stderr).toContain('.lanesrc.json');
    }
    expect(tip(sb, 'agent/A-backend')).toBe(honest);
    setA(honest);
  });

  it('a push to a URL is judged against what is known of integration: allowed in scope', () => {
    commit(sb, A, ['backend/by-url.ts']);
    const r = push(A, sb.remote, 'agent/A-backend');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(tip(sb, 'agent/A-backend')).toBe(sb.must(A, 'rev-parse', 'HEAD'));
  });

  it('a push to a URL is refused when out of scope, per commit and by net effect', () => {
    const good = sb.must(A, 'rev-parse', 'HEAD');
    commit(sb, A, ['web/by-url.tsx'], { flags: ['--no-verify'] });
    const r = push(A, sb.remote, 'agent/A-backend');
    expect(r.stderr).toMatch(/^lanes-hooks: refused by path-scope/m);
    expect(r.stderr).toContain('web/by-url.tsx');
    setA(good);
    const tree = treeFrom(sb, A, good, { 'web/index.html': { from: initial } });
    setA(commitTree(sb, A, tree, [good, initial], 'merge an old master'));
    const n = push(A, sb.remote, 'agent/A-backend');
    expect(n.stderr).toContain('net effect against origin/master');
    expect(tip(sb, 'agent/A-backend')).toBe(good);
    setA(good);
  });

  it("route: `merge -s ours` of a newer master drops B-ui's fix", () => {
    // A lane still on the old master merges the new one keeping its own tree: a fast-forward of
    // master that differs from no parent where it reverts the fix.
    const old = commitTree(
      sb,
      A,
      treeFrom(sb, A, initial, { 'backend/old.ts': 'old\n' }),
      [initial],
      'work on the old master',
    );
    const ours = commitTree(
      sb,
      A,
      sb.must(A, 'rev-parse', `${old}^{tree}`),
      [old, fixed],
      '-s ours',
    );
    setA(ours);
    const r = push(A, '-f', 'origin', 'agent/A-backend');
    expect(r.stderr).toContain('net effect against origin/master');
    expect(r.stderr).toContain('web/index.html');
    const hub = push(A, '-f', '--no-verify', 'origin', 'agent/A-backend');
    expect(hub.stderr).toContain('remote: lanes-hooks: refused by path-scope');
    expect(tip(sb, 'agent/A-backend')).not.toBe(ours);
    setA(honest);
  });

  it("route: merging another lane's unintegrated branch", () => {
    claim(sb, B, 'B-ui', 'agent-b');
    sb.mustCli(B, 'sync');
    sb.write(B, 'web/unmerged.tsx', 'b\n');
    sb.must(B, 'add', '-A');
    sb.must(B, 'commit', '-qm', 'B-ui work');
    sb.must(B, 'push', '-q', 'origin', 'agent/B-ui');
    sb.must(A, 'fetch', '-q', 'origin');
    const m = commitTree(
      sb,
      A,
      treeFrom(sb, A, honest, { 'web/unmerged.tsx': 'b\n' }),
      [honest, 'origin/agent/B-ui'].map((r) => sb.must(A, 'rev-parse', r)),
      'merge B-ui',
    );
    setA(m);
    for (const flags of [[], ['--no-verify']]) {
      const r = push(A, '-f', ...flags, 'origin', 'agent/A-backend');
      expect(r.stderr).toContain('refused by path-scope');
      expect(r.stderr).toContain('web/unmerged.tsx');
    }
    setA(honest);
  });

  it("route: a revert of B-ui's merged fix (git revert runs no pre-commit), and a rename out of the scope", () => {
    sb.must(A, 'reset', '-q', '--hard', honest);
    // The sequencer commits with --no-verify of its own (revert and cherry-pick skip pre-commit):
    // pre-push and the hub judge the commit.
    expect(sb.git(A, 'revert', '--no-edit', fixed).status).toBe(0);
    for (const flags of [[], ['--no-verify']]) {
      const r = push(A, '-f', ...flags, 'origin', 'agent/A-backend');
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('refused by path-scope');
      expect(r.stderr).toContain('web/index.html');
    }
    sb.must(A, 'reset', '-q', '--hard', honest);
    sb.must(A, 'mv', 'backend/app.ts', 'web/app.ts');
    const mv = sb.git(A, 'commit', '-qm', 'move');
    expect(mv.stderr).toContain('refused by path-scope');
    expect(mv.stderr).toContain('web/app.ts');
    // Past pre-commit, the hub sees both sides of the rename.
    sb.must(A, 'commit', '-qm', 'move', '--no-verify');
    const hub = push(A, '-f', '--no-verify', 'origin', 'agent/A-backend');
    expect(hub.stderr).toContain('remote: lanes-hooks: refused by path-scope');
    expect(hub.stderr).toContain('web/app.ts');
    sb.must(A, 'reset', '-q', '--hard', honest);
  });

  it('route: a symlink in scope pointing out of it changes nothing outside; writing through it is refused', () => {
    setA(honest);
    symlinkSync('../web/index.html', path.join(A, 'backend/page'));
    sb.must(A, 'add', 'backend/page');
    expect(sb.git(A, 'commit', '-qm', 'a link').status).toBe(0);
    // The link's own path is judged, not its target: integration's web/ is untouched.
    expect(sb.must(A, 'diff', '--name-only', 'origin/master', 'HEAD', '--', 'web')).toBe('');
    writeFileSync(path.join(A, 'backend/page'), 'through the link\n');
    sb.must(A, 'add', '-A');
    const r = sb.git(A, 'commit', '-qm', 'write through');
    expect(r.stderr).toContain('refused by path-scope');
    expect(r.stderr).toContain('web/index.html');
    sb.must(A, 'reset', '-q', '--hard', honest);
  });

  it('the legitimate flow passes: a lane merges the newer master into its branch', () => {
    setA(honest);
    sb.must(B, 'reset', '-q', '--hard', fixed);
    commit(sb, B, ['web/later.tsx']);
    expect(push(B, '-f', 'origin', 'agent/B-ui').status).toBe(0);
    sb.mustCli(C, 'merge', 'B-ui');
    sb.must(A, 'fetch', '-q', 'origin');
    const m = sb.git(A, 'merge', '-q', '--no-edit', 'origin/master');
    expect(m.stderr).toBe('');
    const r = push(A, '-f', 'origin', 'agent/A-backend');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(sb.cli(C, 'merge', 'A-backend').status).toBe(0);
    expect(tip(sb, 'master')).toBe(sb.must(A, 'rev-parse', 'HEAD'));
  });
});

describe('route 16: paths with a .git component', { timeout: 240_000 }, () => {
  const sb = hub();
  const A = sb.lane('A-backend');
  const C = sb.coordinator;
  const push = (dir: string, ...args: string[]) => sb.git(dir, 'push', '-q', ...args);
  claim(sb, A, 'A-backend', 'agent-a');
  sb.mustCli(C, 'sync');
  sb.must(A, 'push', '-q', 'origin', 'agent/A-backend');

  it('matches git fsck: .git in any case, trailing dots and spaces, git~1, HFS-ignorable code points', () => {
    for (const p of [
      'backend/.git/hooks/post-checkout',
      '.GIT/x',
      'a/.Git',
      'backend/.git./x',
      'backend/.git . /x',
      'GIT~1/config',
      'a\\.git\\x',
      'backend/.g\u200cit/x',
      '\ufeff.git',
      'backend/../web/x',
      'a//b',
    ])
      expect(forbiddenPath(p), p).toBe(true);
    for (const p of [
      '.gitignore',
      '.github/workflows/ci.yml',
      'backend/.gitkeep',
      'git',
      'a/.gitx',
    ])
      expect(forbiddenPath(p), p).toBe(false);
  });

  it('route 16: refused at pre-commit, for a lane in scope and for the coordinator', () => {
    // git's own index refuses `.git` itself; these two it lets in on Linux (protectHFS is off,
    // protectNTFS can be switched off), and fsck forbids both.
    const hfs = 'backend/.g\u200cit/hooks/post-checkout';
    for (const dir of [A, C]) {
      sb.write(dir, hfs, 'evil\n');
      sb.must(dir, 'add', '--', hfs);
      const r = sb.git(dir, 'commit', '-qm', 'hfs');
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('refused by path-scope');
      expect(r.stderr).toContain('that git refuses to check out');
      sb.must(dir, 'reset', '-q', '--hard');
      sb.must(dir, 'clean', '-qfd');
      const blob = sb.must(dir, 'hash-object', '-w', '--', path.join(dir, 'backend/app.ts'));
      sb.must(
        dir,
        '-c',
        'core.protectNTFS=false',
        'update-index',
        '--add',
        '--cacheinfo',
        `100644,${blob},backend/.git./x`,
      );
      const n = sb.git(dir, 'commit', '-qm', 'ntfs');
      expect(n.stderr).toContain('refused by path-scope');
      expect(n.stderr).toContain('backend/.git./x');
      sb.must(dir, 'reset', '-q', '--hard');
    }
  });

  it('route 16: refused at pre-push and at the hub (a lane, and the coordinator on master)', () => {
    const base = sb.must(A, 'rev-parse', 'HEAD');
    for (const evilPath of [
      'backend/.git/hooks/post-checkout',
      'backend/.GIT/x',
      'backend/a/.Git',
    ]) {
      const files: Record<string, string> = { [evilPath]: '#!/bin/sh\necho pwned\n' };
      for (const p of sb.must(A, 'ls-tree', '-r', '--name-only', base).split('\n'))
        files[p] = sb.must(A, 'show', `${base}:${p}`) + '\n';
      const evil = commitTree(sb, A, mkTree(sb, A, files), [base], 'a .git path');
      // The branch moves without a checkout (git refuses to check such a tree out).
      sb.must(A, 'update-ref', 'refs/heads/agent/A-backend', evil);
      for (const flags of [[], ['--no-verify']]) {
        const r = push(A, ...flags, 'origin', 'agent/A-backend');
        expect(r.status).not.toBe(0);
        expect(r.stderr).toContain('refused by path-scope');
        expect(r.stderr).toContain(evilPath);
      }
      expect(tip(sb, 'agent/A-backend')).toBe(base);
      // The coordinator has no scope, but not this either.
      const r = push(C, '--no-verify', 'origin', `${evil}:refs/heads/master`);
      expect(r.stderr).toContain('remote: lanes-hooks: refused by path-scope');
      expect(sb.git(C, 'push', '-q', 'origin', `${evil}:refs/heads/master`).stderr).toMatch(
        /^lanes-hooks: refused by path-scope/m,
      );
      expect(tip(sb, 'master')).toBe(base);
      sb.must(A, 'update-ref', 'refs/heads/agent/A-backend', base);
    }
  });
});
