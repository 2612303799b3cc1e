// Issue 28, the hub judges every ref: each route a lane (or a coordinator's machine it shares)
// would take past the hub, tried against a real bare hub running guard pre-receive.
// - merge-requirements: integration gains only lane tips the hub's own queue and reviews back,
//   or a coordinator's own commits; a policy change needs the policy reviewers' sign-off.
// - hub-namespace: refs/replace/* never, tags and notes from coordinators, nothing unnamed, and at
//   most server.maxRefs refs a push.
// - routes 8 (a JS config on integration) and 12 (bounded work per push), and a coordinator's own
//   commit on integration (accepted, and refused once it names a lane), are in the deep tier:
//   test/deep/attacks/hub-judges.test.ts.
import { describe, expect, it } from 'vitest';
import { bareHub, coordinated } from '../helpers/bare-hub.js';
import { claim, commit } from '../helpers/world.js';
import { hub, refusedBy, SLOW, tip } from './hub.js';
import { useInProcessCli } from '../helpers/in-process.js';

// The CLI steps run in this process (helpers/in-process.ts); hooks and pushes stay real processes.
useInProcessCli();

describe('merge-requirements: the hub reads its own queue and reviews before integration moves', () => {
  // No identities: every pusher may move integration, so only the rule stands between a lane's
  // unreviewed commit and master.
  const sb = hub(
    (cfg) => {
      cfg.reviews = { ...cfg.reviews, required: ['D-arch'] };
    },
    { setup: true },
  );
  const A = sb.lane('A-backend');
  const D = sb.lane('D-arch');
  const G = sb.lane('E-governance');
  const C = sb.coordinator;
  const push = (dir: string, ...args: string[]) => sb.git(dir, 'push', '-q', ...args);

  it(
    'refuses integration carrying a claimed lane tip no required reviewer signed off on the hub',
    SLOW,
    () => {
      claim(sb, A, 'A-backend', 'agent-a', 'agent/A-backend');
      expect(commit(sb, A, ['backend/unreviewed.ts']).status).toBe(0);
      expect(push(A, '--atomic', 'origin', 'agent/A-backend', 'refs/lanes/queue').status).toBe(0);
      // The coordinator's machine merges it by hand (no `lanes-hooks merge`, no local hook).
      sb.must(C, 'fetch', '-q', 'origin');
      sb.must(C, 'merge', '-q', '--ff-only', 'origin/agent/A-backend');
      const before = tip(sb, 'master');
      const r = push(C, '--no-verify', 'origin', 'master');
      expect(refusedBy(r, 'merge-requirements', 'hub')).toBeNull();
      expect(r.stderr).toContain('A-backend lane');
      expect(r.stderr).toContain('no sign-off of');
      expect(r.stderr).toContain('D-arch');
      expect(tip(sb, 'master')).toBe(before);
    },
  );

  it('refuses a sign-off held only locally, and accepts once it is synced to the hub', SLOW, () => {
    sb.mustCli(D, 'review', 'refresh', 'A-backend');
    sb.mustCli(D, 'review', 'signoff', 'A-backend');
    // Recorded in the shared local store: the hub still has none.
    expect(
      refusedBy(push(C, '--no-verify', 'origin', 'master'), 'merge-requirements', 'hub'),
    ).toBeNull();
    sb.mustCli(D, 'sync');
    const r = push(C, '--no-verify', 'origin', 'master');
    expect(r.stderr).toBe('');
    expect(tip(sb, 'master')).toBe(sb.must(A, 'rev-parse', 'HEAD'));
  });

  it('refuses a policy change without the governance sign-off of its exact content', SLOW, () => {
    const cfg = JSON.parse(sb.must(C, 'show', 'HEAD:.lanesrc.json'));
    cfg.shared = ['**'];
    sb.write(C, '.lanesrc.json', JSON.stringify(cfg, null, 2) + '\n');
    sb.must(C, 'commit', '-q', '--no-verify', '-am', 'every lane may change everything');
    const r = push(C, '--no-verify', 'origin', 'master');
    expect(refusedBy(r, 'merge-requirements', 'hub')).toBeNull();
    expect(r.stderr).toContain('changes the policy (.lanesrc.json');
    expect(r.stderr).toContain('E-governance');
    expect(r.stderr).toContain('review signoff --policy master');
    // A sign-off of other content (a forged entry of the old file) does not count.
    const wrong = sb.must(C, 'rev-parse', 'HEAD~1:.lanesrc.json');
    expect(wrong).not.toBe(sb.must(C, 'rev-parse', 'HEAD:.lanesrc.json'));
    // The governance lane reads the coordinator's commit in the shared git dir and signs it off.
    const out = sb.mustCli(G, 'review', 'signoff', '--policy', 'master');
    expect(out).toContain(sb.must(C, 'rev-parse', 'HEAD:.lanesrc.json'));
    sb.mustCli(G, 'sync');
    const ok = push(C, '--no-verify', 'origin', 'master');
    expect(ok.stderr).toBe('');
    expect(tip(sb, 'master')).toBe(sb.must(C, 'rev-parse', 'HEAD'));
  });
});

describe('hub-namespace: the hub holds only what the config names', () => {
  const h = bareHub();
  h.commit({ '.lanesrc.json': coordinated({ server: { coordinators: ['coord'], maxRefs: 3 } }) });
  expect(h.push('coord', 'origin', 'master').status).toBe(0);
  h.guard();
  const head = h.tip('refs/heads/master');
  const hubRefused = (r: { status: number; stderr: string }, rule = 'hub-namespace') => {
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`remote: lanes-hooks: refused by ${rule}`);
  };

  it('refuses refs/replace/* from anyone, a coordinator included', () => {
    const other = h.commit({ 'README.md': 'other content\n' }, 'other');
    h.sb.must(h.work, 'replace', head, other);
    const r = h.push('coord', 'origin', `refs/replace/${head}`);
    hubRefused(r);
    expect(r.stderr).toContain('never holds replace refs');
    expect(h.tip(`refs/replace/${head}`)).toBe('');
    h.sb.must(h.work, 'replace', '-d', head);
    h.sb.must(h.work, 'reset', '-q', '--hard', head);
  });

  it('refuses refs/for/master (a namespace the config does not name)', () => {
    const r = h.push('coord', 'origin', 'HEAD:refs/for/master');
    hubRefused(r);
    expect(r.stderr).toContain('namespaces');
    expect(h.tip('refs/for/master')).toBe('');
  });

  it('takes tags and notes from a coordinator only', () => {
    h.sb.must(h.work, 'tag', 'v1');
    hubRefused(h.push('mallory', 'origin', 'refs/tags/v1'));
    expect(h.tip('refs/tags/v1')).toBe('');
    expect(h.push('coord', 'origin', 'refs/tags/v1').status).toBe(0);
    h.sb.must(h.work, 'notes', 'add', '-m', 'looks fine', 'HEAD');
    hubRefused(h.push('mallory', 'origin', 'refs/notes/commits'));
    expect(h.push('coord', 'origin', 'refs/notes/commits').status).toBe(0);
  });

  it('refuses a push of more refs than server.maxRefs, whole', () => {
    const refs = ['a', 'b', 'c', 'd'].map((b) => `HEAD:refs/heads/feature/${b}`);
    const r = h.push('coord', 'origin', ...refs);
    hubRefused(r);
    expect(r.stderr).toContain('at most 3 refs');
    expect(h.tip('refs/heads/feature/a')).toBe('');
    expect(h.push('coord', 'origin', ...refs.slice(0, 3)).status).toBe(0);
  });
});
