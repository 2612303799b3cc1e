// Route 9: identities. Where the hub names coordinators or owners, a push that carries no identity
// (a plain ssh key, HTTP: the hosting layer names nobody) gets none of the rights that need one,
// and an audit entry names the pusher as the hub knows it, at a time the hub can believe.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/demo/sandbox.js';
import { claim, CLI, commit } from '../../helpers/world.js';
import { hub } from '../../attacks/hub.js';
import { timeout } from '../../helpers/tier.js';

const tip = (sb: Sandbox, ref: string) =>
  sb.git(sb.remote, 'rev-parse', '-q', '--verify', ref).stdout.trim();

/** An audit entry committed by hand on top of `parent` (what a forger pushes). */
function forgeEntry(sb: Sandbox, dir: string, parent: string, entry: Record<string, string>) {
  const file = path.join(sb.root, `op-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(entry, null, 2) + '\n'); // the bytes the store writes
  const blob = sb.must(dir, 'hash-object', '-w', file);
  const r = spawnSync('git', ['mktree'], {
    cwd: dir,
    env: sb.env,
    input: `100644 blob ${blob}\top.json\n`,
  });
  return sb.must(dir, 'commit-tree', r.stdout.toString().trim(), '-p', parent, '-m', 'forged');
}

describe('route 9: a hub that names pushers, and pushes that carry no identity', () => {
  const sb = hub((cfg) => {
    cfg.server.coordinators = ['coord'];
    cfg.roles['A-backend'].owners = ['alice'];
  });
  const C = sb.coordinator;
  sb.mustCli(C, 'setup');
  const A = sb.lane('A-backend');
  const as = (user: Record<string, string> | null, dir: string, ...args: string[]) =>
    sb.run(dir, 'git', ['push', '--no-verify', ...args], user ?? {});
  const cli = (env: Record<string, string>, dir: string, ...args: string[]) =>
    sb.run(dir, process.execPath, [CLI, ...args], env);
  const entry = (over: Record<string, string> = {}) => ({
    at: new Date().toISOString(),
    who: 'coord',
    lane: 'coordinator',
    rule: 'release-exact-sha',
    object: 'x',
    reason: 'r',
    kind: 'override',
    ...over,
  });
  // The normal flow on such a hub: each person records under the name the hub knows them by.
  sb.must(C, 'config', '--worktree', 'lanes.identity', 'coord');
  sb.must(A, 'config', '--worktree', 'lanes.identity', 'alice');

  it(
    'route 9: no identity moves nothing that needs one (integration, release, lane branch, claim, done, promotion)',
    () => {
      commit(sb, C, ['docs/anon.md']);
      const master = tip(sb, 'master');
      let r = as(null, C, 'origin', 'master');
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('refused by integration-ff-only');
      expect(r.stderr).toContain('the push carries no identity');
      expect(r.stderr).toContain('LANES_PUSHER');
      expect(tip(sb, 'master')).toBe(master);

      r = as(null, C, 'origin', `${master}:refs/heads/release/platform-control`);
      expect(r.stderr).toContain('refused by release-exact-sha');
      expect(r.stderr).toContain('only the coordinator (coord) promotes');

      claim(sb, C, 'A-backend', 'alice', 'agent/A-backend');
      r = as(null, C, 'origin', 'refs/lanes/queue');
      expect(r.stderr).toContain('a claim for A-backend is made by its owners (alice)');
      expect(tip(sb, 'refs/lanes/queue')).toBe('');
      expect(as({ GL_USERNAME: 'alice' }, C, 'origin', 'refs/lanes/queue').status).toBe(0);

      commit(sb, A, ['backend/anon.ts']);
      r = as(null, A, 'origin', 'agent/A-backend');
      expect(r.stderr).toContain('refused by lane-branch');
      expect(r.stderr).toContain('the push carries no identity');
      expect(as({ GL_USERNAME: 'alice' }, A, 'origin', 'agent/A-backend').status).toBe(0);

      sb.mustCli(A, 'queue', 'done', '--branch', 'agent/A-backend');
      r = as(null, A, 'origin', 'refs/lanes/queue');
      expect(r.stderr).toContain('marking a claim done needs a coordinator');
      expect(as({ GL_USERNAME: 'coord' }, A, 'origin', 'refs/lanes/queue').status).toBe(0);

      // a promotion entry (and any audit entry) needs an identity here
      r = cli({}, C, 'promote', master);
      expect(r.status).not.toBe(0);
      expect(r.stdout + r.stderr).toContain('a promotion entry needs a coordinator (coord)');
      expect(r.stdout + r.stderr).toContain('the push carries no identity');
      expect(tip(sb, 'release/platform-control')).not.toBe(master);
    },
    timeout(180_000),
  );

  it(
    'route 9: a blank LANES_PUSHER is no identity; the first variable that names someone wins',
    () => {
      const master = tip(sb, 'master');
      let r = as({ LANES_PUSHER: '   ' }, C, 'origin', 'master');
      expect(r.stderr).toContain('the push carries no identity');
      expect(tip(sb, 'master')).toBe(master);
      // blank LANES_PUSHER, then GitLab's name: GitLab's counts
      r = as({ LANES_PUSHER: ' ', GL_USERNAME: 'alice' }, C, 'origin', 'master');
      expect(r.stderr).toContain('alice (from GL_USERNAME)');
      // two names that disagree: LANES_PUSHER (the admin's) is read first, as documented
      r = as({ LANES_PUSHER: 'alice', GL_USERNAME: 'coord' }, C, 'origin', 'master');
      expect(r.stderr).toContain('alice (from LANES_PUSHER)');
      expect(tip(sb, 'master')).toBe(master);
      expect(as({ GL_USERNAME: 'coord' }, C, 'origin', 'master').status).toBe(0);
    },
    timeout(180_000),
  );

  it(
    'route 9: the normal flow: promote and a lane’s override, each pushed by the person it names',
    () => {
      const master = tip(sb, 'master');
      const r = cli({ GL_USERNAME: 'coord' }, C, 'promote', master);
      expect(r.stderr + r.stdout).not.toContain('refused');
      expect(r.status).toBe(0);
      expect(tip(sb, 'release/platform-control')).toBe(master);
      const audit = JSON.parse(sb.must(sb.remote, 'cat-file', 'blob', 'refs/lanes/audit:op.json'));
      expect(audit).toMatchObject({ who: 'coord', kind: 'promotion' });
      // a lane's override (a commit out of scope), synced by its owner
      sb.write(A, 'web/outside.html');
      sb.must(A, 'add', 'web/outside.html');
      expect(
        sb.run(A, 'git', ['commit', '-qm', 'out of scope'], { LANES_OVERRIDE: 'hotfix' }).status,
      ).toBe(0);
      const synced = cli({ GL_USERNAME: 'alice' }, A, 'sync');
      expect(synced.stderr + synced.stdout).not.toContain('refused');
      expect(synced.status).toBe(0);
      const last = JSON.parse(sb.must(sb.remote, 'cat-file', 'blob', 'refs/lanes/audit:op.json'));
      expect(last).toMatchObject({ who: 'alice', kind: 'override', reason: 'hotfix' });
    },
    timeout(180_000),
  );

  it(
    'route 9: audit entries whose who is not the pusher, or whose at is in the future or backdated',
    () => {
      sb.must(C, 'fetch', '-q', 'origin', '+refs/lanes/audit:refs/lanes/audit');
      const parent = sb.must(C, 'rev-parse', 'refs/lanes/audit');
      const push = (sha: string, user = 'coord') =>
        as({ GL_USERNAME: user }, C, 'origin', `${sha}:refs/lanes/audit`);
      const cases: [Record<string, string>, string][] = [
        [{ who: 'alice' }, 'is not the pusher, coord (from GL_USERNAME)'],
        [{ who: 'Demo User <demo@example.com>' }, 'is not the pusher'],
        [{ at: new Date(Date.now() + 3600e3).toISOString() }, 'lies ahead of the hub’s clock'],
        [{ at: '2001-01-01T00:00:00.000Z' }, 'entries are not backdated'],
        [{ at: 'yesterday' }, 'is not a time'],
        // the same person under another email is still the same person's record
        [
          { who: 'coord <other@example.com>', at: new Date(Date.now() - 3600e3).toISOString() },
          'entries are not backdated',
        ],
      ];
      for (const [over, why] of cases) {
        const r = push(forgeEntry(sb, C, parent, entry(over)));
        expect(r.status, JSON.stringify(over)).not.toBe(0);
        expect(r.stderr).toContain('refused by store-integrity');
        expect(r.stderr.replace(/'/g, '’')).toContain(why.replace(/'/g, '’'));
        expect(tip(sb, 'refs/lanes/audit')).toBe(parent);
      }
      // 'coord <coord@example>' names coord (git's "<name> <email>"), within the skew: accepted
      expect(push(forgeEntry(sb, C, parent, entry({ who: 'coord <c@example.com>' }))).status).toBe(
        0,
      );
    },
    timeout(180_000),
  );
});
