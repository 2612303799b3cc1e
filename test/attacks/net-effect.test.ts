// What a lane changes in integration: each commit it adds AND its net effect (the tip against the
// merge base with integration) must lie in its scope, and no one brings a path git refuses to
// check out. Route 1 is tried here against a bare hub running guard pre-receive, with the hooks
// (pre-push), past them (--no-verify: the hub), and past the hub (a branch pushed before the hub's
// hook existed: `lanes-hooks merge`); the other routes, the same way, are in the deep tier
// (test/deep/attacks/net-effect.test.ts). The world: test/helpers/net-effect.ts.
import { renameSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { forbiddenPath } from '../../src/policy/path-scope.js';
import { commitTree, netEffectWorld, tip, treeFrom } from '../helpers/net-effect.js';
import { useInProcessCli } from '../helpers/in-process.js';

// The CLI steps run in this process (helpers/in-process.ts); hooks and pushes stay real processes.
useInProcessCli();

describe('net effect: what a lane would change in integration', { timeout: 240_000 }, () => {
  const { sb, A, C, push, initial, fixed, honest, setA } = netEffectWorld();

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
});

describe('route 16: paths with a .git component, as git fsck reads them', () => {
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
});
