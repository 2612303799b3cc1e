// Route (a): a lane that skips the hooks writes an entry in another role's name into the shared
// local store (`git -c core.hooksPath=/dev/null update-ref`): a D-arch sign-off of its own SHA. The
// victim's own sync used to carry it to the hub under D-arch's identity, where it counts. Now each
// worktree's lanes-hooks notes what it wrote (store/journal.ts) and sync pushes only entries a
// journal vouches for (lifecycle/vouch.ts): the forgery is named, not pushed, and leaves the local
// store. This raises the bar only: the journal is a file the same OS user can write (appending to
// D's journal is the next step around it, documented in docs/server.md); the boundary is one OS
// user or container and one hub identity per lane.
import { describe, expect, it } from 'vitest';
import { claim, commit } from '../../helpers/world.js';
import { forge, hub, local, refusedBy, SLOW, tip } from '../../attacks/hub.js';

describe('route a: a forged entry in the shared store does not ride on its victim’s sync', () => {
  const sb = hub(undefined, { setup: true });
  const C = sb.coordinator;
  const A = sb.lane('A-backend');
  const D = sb.lane('D-arch');
  claim(sb, C, 'A-backend');
  commit(sb, A, ['backend/feature.ts']);
  sb.must(A, 'push', '-q', 'origin', 'agent/A-backend');
  const head = sb.must(A, 'rev-parse', 'HEAD');
  const kinds = () =>
    tip(sb, 'refs/lanes/reviews')
      ? sb
          .must(sb.remote, 'log', '--format=%H', 'refs/lanes/reviews')
          .split('\n')
          .map((c) => JSON.parse(sb.must(sb.remote, 'show', `${c}:op.json`)).kind as string)
      : [];
  /** What a hook-skipping A-backend does: a D-arch sign-off of its own SHA, by plumbing. */
  const forgeSignoff = () => {
    const parent = local(sb, A, 'refs/lanes/reviews') || null;
    const entry = {
      kind: 'signoff',
      reviewer: 'D-arch',
      target: 'A-backend',
      sha: head,
      text: null,
      severity: null,
      at: new Date().toISOString(),
      by: 'Demo User <demo@example.com>',
    };
    const forged = forge(sb, A, parent, { 'op.json': JSON.stringify(entry, null, 2) + '\n' });
    sb.must(
      A,
      '-c',
      'core.hooksPath=/dev/null',
      'update-ref',
      'refs/lanes/reviews',
      forged,
      parent ?? '',
    );
    return forged;
  };

  it(
    'the victim lane records its own finding and syncs: the finding goes, the forgery does not',
    SLOW,
    () => {
      const forged = forgeSignoff();
      sb.mustCli(D, 'review', 'refresh', 'A-backend');
      sb.mustCli(D, 'review', 'finding', 'A-backend', 'naming is odd');
      const r = sb.cli(D, 'sync');
      expect(refusedBy(r, 'store-integrity', 'local')).toBeNull();
      expect(r.stderr).toContain(forged.slice(0, 12));
      expect(r.stderr).toContain('its own lanes-hooks never wrote it');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(kinds()).toEqual(['finding']);
      // Out of the local store too, so that no later sync (nor merge reading it) counts it.
      const localKinds = sb
        .must(D, 'log', '--format=%H', 'refs/lanes/reviews')
        .split('\n')
        .map((c) => JSON.parse(sb.must(D, 'show', `${c}:op.json`)).kind);
      expect(localKinds).toEqual(['finding']);
      expect(sb.cli(D, 'sync').status).toBe(0);
    },
  );

  it('the coordinator’s sync does not carry a forgery in a lane’s name either', SLOW, () => {
    const forged = forgeSignoff();
    const r = sb.cli(C, 'sync');
    expect(refusedBy(r, 'store-integrity', 'local')).toBeNull();
    expect(r.stderr).toContain(forged.slice(0, 12));
    expect(kinds()).toEqual(['finding']);
  });

  it('the real sign-off, recorded in the review lane, is shared by its sync', SLOW, () => {
    sb.mustCli(D, 'review', 'signoff', 'A-backend');
    const r = sb.cli(D, 'sync');
    expect(r.status, r.stderr).toBe(0);
    expect(kinds()).toEqual(['signoff', 'finding']);
  });
});
