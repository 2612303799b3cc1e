// Deep tier: the net-effect routes past route 1 (test/attacks/net-effect.test.ts, the fast cell),
// each tried against a bare hub running guard pre-receive, with the hooks (pre-push), past them
// (--no-verify: the hub), and past the hub where it applies. The world: test/helpers/net-effect.ts.
import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { claim, commit } from '../../helpers/world.js';
import {
  commitTree,
  hub,
  mkTree,
  netEffectWorld,
  tip,
  treeFrom,
} from '../../helpers/net-effect.js';
import { useInProcessCli } from '../../helpers/in-process.js';

// The CLI steps run in this process (helpers/in-process.ts); hooks and pushes stay real processes.
useInProcessCli();

describe('net effect: what a lane would change in integration', { timeout: 240_000 }, () => {
  const { sb, A, B, C, push, initial, fixed, honest, setA } = netEffectWorld();
  // Where route 1 (the fast tier) leaves the hub: the honest branch pushed.
  sb.must(A, 'push', '-q', '-f', 'origin', 'agent/A-backend');

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
