// Route 12's last piece: a store the hub holds from before its size limits (an audit entry padded
// past 64 KiB, one nested 100,000 deep; a queue commit whose state.json is padded past 16 MiB and
// that carries a file the store never writes), written on the hub with plumbing around its hook.
// Readers fail on it and promote cannot record its entry. `store repair` (coordinator only)
// rebuilds each store, audits the repair and pushes it; the hub takes that rewrite only from a
// coordinator identity with the matching audit entry; another machine's sync adopts it because the
// hub's audit log records it.
//
// How a lane would go around it (each a test below): push the rewrite itself (as its own identity,
// with a forged repair entry in its own name or in the coordinator's), run `store repair` in its
// lane, or have the coordinator's machine push a rewrite with no audit entry; or slip a new entry
// into the rewritten history.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/world.js';
import { forge, hub, local, SLOW, tip } from '../attacks/hub.js';

describe('store repair: an audited rebuild of a store filled before the limits', () => {
  const sb = hub((cfg) => {
    cfg.server.coordinators = ['coord'];
  });
  const C = sb.coordinator;
  sb.must(C, 'config', '--worktree', 'lanes.identity', 'coord');
  const cli = (who: string, dir: string, ...args: string[]) =>
    sb.run(dir, process.execPath, [CLI, ...args], { LANES_PUSHER: who });
  const coord = (...args: string[]) => cli('coord', C, ...args);
  const ok = (r: { status: number; stdout: string; stderr: string }) => {
    expect(r.stderr + r.stdout).not.toMatch(/\n\s+at /);
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  };
  ok(coord('setup'));
  const A = sb.lane('A-backend');
  ok(coord('queue', 'add', 'first task'));
  ok(coord('sync'));
  // Another machine (a plain clone) that fetched the store before it was damaged.
  const other = path.join(sb.root, 'other');
  sb.must(sb.root, 'clone', '-q', sb.remote, other);
  ok(cli('bob', other, 'sync'));

  // What the hub held before the limits: written on the hub itself, no hook in the way.
  const written = (v: unknown) => JSON.stringify(v, null, 2) + '\n';
  const at = new Date().toISOString();
  const override = (reason: string, extra = {}) => ({
    at,
    who: 'coord',
    lane: 'coordinator',
    rule: 'release-exact-sha',
    object: 'master',
    reason,
    kind: 'override',
    ...extra,
  });
  // Nested 100,000 deep: more than JSON.stringify (or any recursive reader) can walk.
  const deep = '{"x":'.repeat(100_000) + '"end"' + '}'.repeat(100_000);
  const goodAudit = forge(sb, sb.remote, tip(sb, 'refs/lanes/audit') || null, {
    'op.json': written(override('a real override')),
  });
  const padded = forge(sb, sb.remote, goodAudit, {
    'op.json': written(override('z'.repeat(300 * 1024))),
  });
  const nested = forge(sb, sb.remote, padded, {
    'op.json': written(override('deep', { extra: 'DEEP' })).replace('"DEEP"', deep),
  });
  sb.must(sb.remote, 'update-ref', 'refs/lanes/audit', nested);
  const queueOld = tip(sb, 'refs/lanes/queue');
  const state = JSON.parse(sb.must(C, 'show', `${queueOld}:state.json`));
  const add = {
    op: 'add',
    id: 'T2',
    title: 'second task',
    role: null,
    paths: [],
    at,
    by: 'coord',
    lane: 'coordinator',
  };
  state.tasks.push({ id: 'T2', title: 'second task', role: null, paths: [], state: 'open' });
  const queueBad = forge(sb, sb.remote, queueOld, {
    'op.json': written(add),
    'state.json': JSON.stringify(state, null, 2).replace('\n}', ' '.repeat(17 << 20) + '\n}'),
    'payload.bin': 'x'.repeat(4096),
    'claims.txt': sb.must(C, 'show', `${queueOld}:claims.txt`) + '\n',
  });
  sb.must(sb.remote, 'update-ref', 'refs/lanes/queue', queueBad);

  it('before the repair: readers refuse the damaged store, promote cannot record', SLOW, () => {
    const fresh = path.join(sb.root, 'fresh');
    sb.must(sb.root, 'clone', '-q', sb.remote, fresh);
    sb.must(fresh, 'fetch', '-q', 'origin', '+refs/lanes/*:refs/lanes/*');
    let r = sb.cli(fresh, 'audit');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('more than a store file may');
    r = sb.cli(fresh, 'queue', 'list');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('more than a store file may');
    r = coord('promote');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('refs/lanes/audit');
  });

  it(
    'a lane cannot run it, nor push the rewrite itself, with or without a forged entry',
    SLOW,
    () => {
      let r = cli('alice', A, 'store', 'repair', 'queue');
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('only the coordinator');
      // The coordinator's own command, run as alice's identity (a lane with the coordinator's
      // checkout at hand): its entry names alice, the hub refuses the rewrite.
      r = sb.run(C, process.execPath, [CLI, 'store', 'repair', 'audit'], {
        LANES_PUSHER: 'alice',
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'lanes.identity',
        GIT_CONFIG_VALUE_0: 'alice',
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('remote: lanes-hooks: refused by store-integrity');
      expect(r.stderr).toContain('pushed by a coordinator identity');
      expect(tip(sb, 'refs/lanes/audit')).toBe(nested);
      // The same with the entry in the coordinator's name, pushed by alice.
      r = sb.run(C, process.execPath, [CLI, 'store', 'repair', 'audit'], { LANES_PUSHER: 'alice' });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('pushed by a coordinator identity');
      expect(tip(sb, 'refs/lanes/audit')).toBe(nested);
      // A plain forced push of the history without the damaged commit.
      r = sb.run(
        A,
        'git',
        ['push', '-q', '--no-verify', '--force', 'origin', `${queueOld}:refs/lanes/queue`],
        {
          LANES_PUSHER: 'alice',
        },
      );
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('not a fast-forward');
      expect(tip(sb, 'refs/lanes/queue')).toBe(queueBad);
    },
  );

  it(
    'a coordinator rewrite without its audit entry, or one that adds an entry, is refused',
    SLOW,
    () => {
      let r = sb.run(
        C,
        'git',
        ['push', '-q', '--no-verify', '--force', 'origin', `${queueOld}:refs/lanes/queue`],
        {
          LANES_PUSHER: 'coord',
        },
      );
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('the same push must add its audit entry');
      // A "repair" whose history is not the old one's entries (an operation made anew: another
      // time, so another entry), with an audit entry that names it exactly, pushed as coord.
      const scratch = path.join(sb.root, 'scratch');
      sb.must(sb.root, 'clone', '-q', '--origin', 'hubcopy', sb.remote, scratch);
      ok(sb.cli(scratch, 'queue', 'add', 'first task'));
      const smuggled = local(sb, scratch, 'refs/lanes/queue');
      const entry = forge(sb, scratch, nested, {
        'op.json': written({
          at: new Date().toISOString(),
          who: 'coord',
          lane: 'coordinator',
          rule: 'store-integrity',
          object: `refs/lanes/queue ${queueBad} -> ${smuggled}`,
          reason: 'store repair',
          kind: 'repair',
        }),
      });
      sb.must(scratch, 'fetch', '-q', 'hubcopy', '+refs/lanes/*:refs/hub/*');
      r = sb.run(
        scratch,
        'git',
        [
          'push',
          '-q',
          '--atomic',
          '--force',
          'hubcopy',
          `${smuggled}:refs/lanes/queue`,
          `${entry}:refs/lanes/audit`,
        ],
        { LANES_PUSHER: 'coord' },
      );
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('a repair only drops entries');
      expect(tip(sb, 'refs/lanes/queue')).toBe(queueBad);
      expect(tip(sb, 'refs/lanes/audit')).toBe(nested);
    },
  );

  it(
    'the coordinator repairs both stores; readers, promote and another machine’s sync work again',
    SLOW,
    () => {
      let out = ok(coord('store', 'repair', 'audit'));
      expect(out).toContain('2 dropped');
      expect(out).toContain(`dropped ${padded.slice(0, 12)}: its op.json holds`);
      expect(out).toContain(`dropped ${nested.slice(0, 12)}`);
      out = ok(coord('store', 'repair', 'queue'));
      expect(out).toContain('0 dropped');
      expect(tip(sb, 'refs/lanes/queue')).not.toBe(queueBad);
      expect(tip(sb, 'refs/lanes/queue')).toBe(local(sb, C, 'refs/lanes/queue'));

      const log = JSON.parse(ok(coord('audit', '--json'))).entries as {
        kind: string;
        who: string;
        object: string;
        reason: string;
      }[];
      const repairs = log.filter((e) => e.kind === 'repair');
      expect(repairs.map((e) => e.object.split(' ')[0])).toEqual([
        'refs/lanes/audit',
        'refs/lanes/queue',
      ]);
      expect(repairs[0]!.object.startsWith(`refs/lanes/audit ${nested} -> `)).toBe(true);
      expect(repairs[0]!.reason).toContain(padded);
      expect(repairs[1]!.object).toBe(
        `refs/lanes/queue ${queueBad} -> ${tip(sb, 'refs/lanes/queue')}`,
      );
      expect(repairs.every((e) => e.who === 'coord')).toBe(true);
      expect(log.some((e) => e.reason === 'a real override')).toBe(true);

      const q = JSON.parse(ok(coord('queue', 'list', '--json')));
      expect(q.tasks.map((t: { id: string }) => t.id)).toEqual(['T1', 'T2']);
      ok(coord('promote'));

      // Another machine that saw the store before the damage adopts the repair, and says so.
      out = ok(cli('bob', other, 'sync'));
      expect(out).toContain("adopted origin's repair of refs/lanes/queue");
      expect(local(sb, other, 'refs/lanes/queue')).toBe(tip(sb, 'refs/lanes/queue'));
      expect(local(sb, other, 'refs/lanes/audit')).toBe(tip(sb, 'refs/lanes/audit'));
      expect(ok(cli('bob', other, 'queue', 'list'))).toContain('second task');
      // Every later rewrite stays refused (the repair is no standing permission).
      const r = sb.run(
        C,
        'git',
        ['push', '-q', '--no-verify', '--force', 'origin', `${queueOld}:refs/lanes/queue`],
        {
          LANES_PUSHER: 'coord',
        },
      );
      expect(r.status).not.toBe(0);
    },
  );
});
