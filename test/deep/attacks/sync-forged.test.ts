// Route 11: on a hub without a guard, someone with push access rewrites the queue's state.json
// (alice's active claim given to mallory, with no operation that does so). `sync` used to
// fast-forward to it and say "fetched". It now replays what it adopts (store/sync.ts adoptable):
// a history that does not replay, or that rewrites what this machine already fetched, is refused
// with a clear message, and nothing local is lost.
import { describe, expect, it } from 'vitest';
import { claim } from '../../helpers/world.js';
import { forge, hub, local, SLOW, tip } from '../../attacks/hub.js';

describe('sync adopts only a store history that replays', () => {
  const sb = hub(undefined, { hook: false });
  const C = sb.coordinator;
  sb.mustCli(C, 'queue', 'add', 'a first task');
  claim(sb, C, 'A-backend', 'alice');
  sb.mustCli(C, 'sync');
  const owners = () =>
    (
      JSON.parse(sb.mustCli(C, 'queue', 'list', '--json')) as {
        claims: { owner: string; state: string }[];
      }
    ).claims
      .filter((c) => c.state === 'active')
      .map((c) => c.owner);
  const pushForged = (commit: string) =>
    sb.must(C, 'push', '-q', '--no-verify', '--force', 'origin', `${commit}:refs/lanes/queue`);

  it(
    'route 11: a forged state.json on top of the hub’s queue is refused; alice keeps her claim',
    SLOW,
    () => {
      const before = local(sb, C, 'refs/lanes/queue');
      const state = JSON.parse(sb.must(C, 'show', `${before}:state.json`));
      for (const c of state.claims) c.owner = 'mallory';
      const forged = forge(sb, C, before, {
        'op.json': JSON.stringify({
          op: 'add',
          id: 'T999',
          title: 'harmless',
          role: null,
          paths: [],
          at: '2026-12-06T00:00:00Z',
          by: 'm',
          lane: 'coordinator',
        }),
        'state.json': JSON.stringify(state),
        'claims.txt': sb.git(C, 'show', `${before}:claims.txt`).stdout,
      });
      pushForged(forged);
      const r = sb.cli(C, 'sync');
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("sync: refused origin's refs/lanes/queue");
      expect(r.stderr).toContain('nothing was adopted');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(local(sb, C, 'refs/lanes/queue')).toBe(before);
      expect(local(sb, C, 'refs/lanes-sync/origin/queue')).toBe(before);
      expect(owners()).toEqual(['alice']);
      pushForged(before); // the admin puts it back
      expect(sb.cli(C, 'sync').status).toBe(0);
    },
  );

  it('a rewritten history (what this machine fetched is gone) is refused too', SLOW, () => {
    const before = local(sb, C, 'refs/lanes/queue');
    const parent = sb.must(C, 'rev-parse', `${before}~1`);
    pushForged(parent); // the claim's operation erased
    const r = sb.cli(C, 'sync');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('its history was rewritten');
    expect(local(sb, C, 'refs/lanes/queue')).toBe(before);
    expect(owners()).toEqual(['alice']);
    pushForged(before);
    expect(tip(sb, 'refs/lanes/queue')).toBe(before);
  });
});
