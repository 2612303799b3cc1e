// The hub behind real servers that authenticate users: git http-backend behind nginx with basic
// authentication (the identity is the web server's REMOTE_USER), and gitolite over sshd with a key
// per user (the identity is gitolite's GL_USER). The guard is installed with `hub install`, as an
// admin would; then the attack suite's hub routes are pushed as several users: the same refusals
// as on the bare-repository hub, naming the identity the server authenticated, and an audit entry
// accepted only from the person it names.
import { copyFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timeout } from '../helpers/tier.js';
import { forge, hub, SLOW, tip } from '../attacks/hub.js';
import { gitolite, httpBackend, type Server } from '../helpers/servers.js';
import { FCGIWRAP, GITOLITE, needs, NGINX, SSHD } from '../helpers/system-deps.js';

const USERS = ['coord', 'alice', 'bob', 'carol', 'mallory'];
const servers = {
  'http-backend': needs('the hub behind git http-backend', NGINX, FCGIWRAP),
  gitolite: needs('the hub behind gitolite over sshd', SSHD, GITOLITE),
};

function world() {
  return hub(
    (cfg) => {
      cfg.server.coordinators = ['coord'];
      cfg.roles['A-backend'].owners = ['alice'];
      cfg.roles['B-ui'].owners = ['bob'];
    },
    { hook: false, setup: true },
  );
}

for (const kind of ['http-backend', 'gitolite'] as const) {
  const identity = kind === 'http-backend' ? 'REMOTE_USER' : 'GL_USER';
  describe.runIf(servers[kind])(`the hub behind ${kind} (${identity})`, () => {
    const sb = world();
    const C = sb.coordinator;
    let server: Server;
    let repoUrl: (user: string | null) => string;
    const work = path.join(sb.root, 'work');

    beforeAll(async () => {
      // The claim A-backend pushes under, recorded before the guard is on.
      sb.mustCli(
        C,
        'queue',
        'claim',
        '--role',
        'A-backend',
        '--owner',
        'alice',
        '--branch',
        'agent/A-backend',
      );
      sb.mustCli(C, 'sync');
      if (kind === 'http-backend') {
        server = await httpBackend(path.join(sb.root, 'http'), sb.root, USERS);
        sb.must(sb.remote, 'config', 'http.receivepack', 'true'); // /anon/ pushes reach the guard
        repoUrl = (u) => `${server.url(u)}/remote.git`;
      } else {
        const gl = await gitolite(path.join(sb.root, 'gitolite'), USERS);
        // gitolite's own repository for `hub` is the world's hub: its gl-conf (gitolite's split
        // config, read by gitolite-shell) and its update hook (gitolite's access check) move in.
        const own = path.join(gl.repos, 'hub.git');
        copyFileSync(path.join(own, 'gl-conf'), path.join(sb.remote, 'gl-conf'));
        symlinkSync(
          readlinkSync(path.join(own, 'hooks', 'update')),
          path.join(sb.remote, 'hooks', 'update'),
        );
        rmSync(own, { recursive: true, force: true });
        symlinkSync(sb.remote, path.join(gl.repos, 'hub.git'));
        server = gl;
        repoUrl = () => gl.url(null);
      }
      const installed = sb.cli(sb.root, 'hub', 'install', sb.remote, '--identity', identity);
      expect(installed.status, installed.stderr + installed.stdout).toBe(0);
      expect(installed.stdout).toContain(`identity: ${identity} names the pusher`);
      expect(installed.stdout).toContain('✔ policy:');
      sb.must(sb.root, 'clone', '-q', sb.remote, work);
    }, timeout(120_000));
    afterAll(() => server?.stop());

    const push = (user: string | null, ...refspecs: string[]) =>
      sb.run(
        work,
        'git',
        ['push', '--force', '--no-verify', repoUrl(user), ...refspecs],
        server.env(user),
      );
    const commit = (files: Record<string, string>) => {
      sb.must(work, 'fetch', '-q', 'origin');
      sb.must(work, 'checkout', '-q', '--detach', 'origin/master');
      for (const [f, t] of Object.entries(files)) {
        sb.write(work, f, t);
        sb.must(work, 'add', '--', f);
      }
      sb.must(work, 'commit', '-q', '-m', 'change');
      return sb.must(work, 'rev-parse', 'HEAD');
    };
    const refused = (r: { status: number; stderr: string }, rule: string, who?: string) => {
      expect(r.status, r.stderr).not.toBe(0);
      expect(r.stderr).toContain(`remote: lanes-hooks: refused by ${rule}`);
      if (who) expect(r.stderr).toContain(`${who} (from ${identity})`);
    };

    it('the lane owner pushes in scope under a claim', SLOW, () => {
      const sha = commit({ 'backend/ok.ts': 'ok\n' });
      const r = push('alice', `${sha}:refs/heads/agent/A-backend`);
      expect(r.status, r.stderr).toBe(0);
      expect(tip(sb, 'refs/heads/agent/A-backend')).toBe(sha);
    });

    it("another user pushes a lane's branch", SLOW, () => {
      const before = tip(sb, 'refs/heads/agent/B-ui');
      refused(
        push('mallory', `${commit({ 'web/x.tsx': 'x\n' })}:refs/heads/agent/B-ui`),
        'lane-branch',
        'mallory',
      );
      expect(tip(sb, 'refs/heads/agent/B-ui')).toBe(before);
    });

    it('a push with no claim, and one out of scope', SLOW, () => {
      refused(
        push('carol', `${commit({ 'ops/x.sh': 'x\n' })}:refs/heads/agent/C-ops`),
        'claim-required',
      );
      refused(
        push('alice', `${commit({ 'web/evil.tsx': 'x\n' })}:refs/heads/agent/A-backend`),
        'path-scope',
      );
    });

    it('a lane moves integration or release', SLOW, () => {
      const master = tip(sb, 'refs/heads/master');
      const sha = commit({ 'backend/m.ts': 'x\n' });
      refused(push('alice', `${sha}:refs/heads/master`), 'integration-ff-only', 'alice');
      refused(
        push('alice', `${sha}:refs/heads/release/platform-control`),
        'release-exact-sha',
        'alice',
      );
      expect(tip(sb, 'refs/heads/master')).toBe(master);
    });

    it("a delivery lane's forged sign-off of its own SHA", SLOW, () => {
      const lane = tip(sb, 'refs/heads/agent/A-backend');
      sb.git(work, 'fetch', '-q', 'origin', '+refs/lanes/reviews:refs/forge/reviews');
      const parent =
        sb.git(work, 'rev-parse', '-q', '--verify', 'refs/forge/reviews').stdout.trim() || null;
      // Well-formed (the store's schema), wrong only in who signs: a delivery role.
      const entry = {
        kind: 'signoff',
        reviewer: 'A-backend',
        target: 'A-backend',
        sha: lane,
        text: null,
        severity: null,
        at: new Date().toISOString(),
        by: 'alice',
      };
      const forged = forge(sb, work, parent, { 'op.json': JSON.stringify(entry) });
      refused(push('alice', `${forged}:refs/lanes/reviews`), 'store-integrity');
    });

    if (kind === 'http-backend')
      it('a push the server did not authenticate gets no move that needs a name', SLOW, () => {
        const r = push(null, `${commit({ 'backend/anon.ts': 'x\n' })}:refs/heads/master`);
        refused(r, 'integration-ff-only');
        expect(r.stderr).toContain('nobody: the push carries no identity');
      });

    it(
      'the audit log: the coordinator promotes through the server; an entry in another name is refused',
      SLOW,
      () => {
        sb.must(C, 'config', 'lanes.identity', 'coord');
        sb.must(C, 'remote', 'set-url', 'origin', repoUrl('coord'));
        const promoted = sb.run(C, process.execPath, [sb.cliFile, 'promote'], server.env('coord'));
        expect(promoted.status, promoted.stderr + promoted.stdout).toBe(0);
        expect(tip(sb, 'refs/heads/release/platform-control')).toBe(tip(sb, 'refs/heads/master'));
        const log = sb.must(sb.remote, 'log', '-1', '--format=%H', 'refs/lanes/audit');
        expect(JSON.parse(sb.must(sb.remote, 'show', `${log}:op.json`)).who).toBe('coord');
        // alice writes an entry that names coord (well-formed: the store's own shape).
        const fake = {
          at: new Date().toISOString(),
          who: 'coord',
          lane: 'coordinator',
          rule: 'release-exact-sha',
          object: 'forged',
          reason: 'forged',
          kind: 'override',
        };
        sb.must(work, 'fetch', '-q', 'origin', 'refs/lanes/audit');
        const forged = forge(sb, work, log, { 'op.json': JSON.stringify(fake) });
        const r = push('alice', `${forged}:refs/lanes/audit`);
        refused(r, 'store-integrity', 'alice');
        expect(tip(sb, 'refs/lanes/audit')).toBe(log);
      },
    );
  });
}
