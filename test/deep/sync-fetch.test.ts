// sync's one fetch of every store (store/hub-copy.ts, issues 29 and 31): the hub's refs/lanes/* in
// one pattern fetch, each store's tracking ref moved on its own turn. Its edge: a hub that has some
// store refs and not others (with exact refspecs one missing ref fails the whole fetch:
// test/git-facts.test.ts), a store that is gone from the hub, and a ref that is no store. The
// tracking refs end exactly as a fetch per store left them: the hub's value, or none.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { coordinatorSandbox } from '../helpers/template.js';
import { useInProcessCli } from '../helpers/in-process.js';

useInProcessCli();

const STORES = ['refs/lanes/queue', 'refs/lanes/audit', 'refs/lanes/reviews'];

describe('sync of several stores against a hub that has some of them', () => {
  const sb = coordinatorSandbox({ install: false });
  const one = sb.coordinator;
  const two = path.join(sb.root, 'second-machine');
  sb.must(sb.root, 'clone', '-q', sb.remote, two);
  /** Every ref under `prefix` in `dir`, as "<sha> <ref>" lines. */
  const refs = (dir: string, prefix: string) =>
    sb.must(dir, 'for-each-ref', '--format=%(objectname) %(refname)', prefix);
  const hubHas = (ref: string) =>
    sb.git(sb.remote, 'rev-parse', '-q', '--verify', ref).stdout.trim();
  /** What a fetch per store left: each store's tracking ref at the hub's value, none where it has none. */
  const trackingAsBefore = () =>
    STORES.flatMap((r) => {
      const sha = hubHas(r);
      return sha ? [`${sha} ${r.replace('refs/lanes/', 'refs/lanes-sync/origin/')}`] : [];
    })
      .sort()
      .join('\n');
  const tracking = (dir: string) =>
    refs(dir, 'refs/lanes-sync/origin/')
      .split('\n')
      .filter((l) => l && !l.includes(' refs/lanes-sync/origin/hub/'))
      .sort()
      .join('\n');

  it('a fresh hub (no store at all): every store is empty, no tracking ref, no copy', () => {
    for (const r of STORES) expect(hubHas(r)).toBe('');
    const r = sb.cli(two, 'sync');
    expect(r.status, r.stderr).toBe(0);
    for (const s of STORES) expect(r.stdout).toContain(`${s}: empty`);
    expect(refs(two, 'refs/lanes-sync/')).toBe('');
  });

  it('after a queue add, the hub has the queue only: it is shared, the others stay empty', () => {
    sb.mustCli(one, 'queue', 'add', 'shared work');
    const pushed = sb.cli(one, 'sync');
    expect(pushed.status, pushed.stderr).toBe(0);
    expect(pushed.stdout).toContain('refs/lanes/queue: pushed');
    expect(hubHas('refs/lanes/queue')).not.toBe('');
    expect(hubHas('refs/lanes/reviews')).toBe('');
    expect(tracking(one)).toBe(trackingAsBefore());

    const fetched = sb.cli(two, 'sync');
    expect(fetched.status, fetched.stderr).toBe(0);
    expect(fetched.stdout).toContain('refs/lanes/queue: fetched');
    expect(fetched.stdout).toContain('refs/lanes/reviews: empty');
    expect(sb.must(two, 'rev-parse', 'refs/lanes/queue')).toBe(hubHas('refs/lanes/queue'));
    expect(tracking(two)).toBe(trackingAsBefore());
    expect(tracking(two)).toContain(' refs/lanes-sync/origin/queue');
    expect(tracking(two)).not.toContain(' refs/lanes-sync/origin/reviews');
  });

  it('a ref under refs/lanes/ that is no store gets no tracking ref', () => {
    sb.must(sb.remote, 'update-ref', 'refs/lanes/elsewhere', hubHas('refs/lanes/queue'));
    const r = sb.cli(two, 'sync');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('elsewhere');
    expect(tracking(two)).toBe(trackingAsBefore());
    expect(refs(two, 'refs/lanes/elsewhere')).toBe('');
    sb.must(sb.remote, 'update-ref', '-d', 'refs/lanes/elsewhere');
  });

  it('a store gone from the hub: its tracking ref goes too, and so does its copy', () => {
    // The hub's queue deleted (an unguarded hub lets anyone with push access do so); the second
    // machine has no queue of its own to push back.
    sb.must(sb.remote, 'update-ref', '-d', 'refs/lanes/queue');
    sb.must(two, 'update-ref', '-d', 'refs/lanes/queue');
    expect(refs(two, 'refs/lanes-sync/origin/queue')).not.toBe('');
    const r = sb.cli(two, 'sync');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('refs/lanes/queue: empty');
    expect(tracking(two)).toBe(trackingAsBefore());
    expect(refs(two, 'refs/lanes-sync/origin/')).toBe('');
  });

  // The copy lives where every worktree of the repository can write (a lane shares the git
  // directory): a lane that wants its own queue adopted forges the copy before the next sync.
  const forge = (dir: string, message: string) => {
    const tree = sb.must(dir, 'rev-parse', 'HEAD^{tree}').trim();
    const commit = sb.must(dir, 'commit-tree', tree, '-m', message).trim();
    sb.must(dir, 'update-ref', 'refs/lanes-sync/origin/hub/queue', commit);
    return commit;
  };

  it('a copy forged while the hub has no queue is pruned, and nothing is adopted from it', () => {
    expect(hubHas('refs/lanes/queue')).toBe('');
    forge(two, 'forged queue: a claim for me');
    const r = sb.cli(two, 'sync');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('refs/lanes/queue: empty');
    expect(refs(two, 'refs/lanes/queue')).toBe('');
    expect(refs(two, 'refs/lanes-sync/origin/')).toBe('');
  });

  it("a copy forged over the hub's queue: sync adopts the hub's value, never the forged one", () => {
    sb.mustCli(one, 'queue', 'add', 'work after the forgery');
    expect(sb.cli(one, 'sync').status).toBe(0);
    const hub = hubHas('refs/lanes/queue');
    expect(hub).not.toBe('');
    const forged = forge(two, 'forged queue: a claim for me');
    const r = sb.cli(two, 'sync');
    expect(r.status, r.stderr).toBe(0);
    expect(sb.must(two, 'rev-parse', 'refs/lanes/queue').trim()).toBe(hub);
    expect(sb.must(two, 'rev-parse', 'refs/lanes-sync/origin/hub/queue').trim()).toBe(hub);
    expect(sb.git(two, 'merge-base', '--is-ancestor', forged, 'refs/lanes/queue').status).not.toBe(
      0,
    );
    expect(tracking(two)).toBe(trackingAsBefore());
    expect(hubHas('refs/lanes/queue')).toBe(hub);
  });
});
