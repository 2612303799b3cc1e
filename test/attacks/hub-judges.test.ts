// Issue 28, the hub judges every ref: each route a lane (or a coordinator's machine it shares)
// would take past the hub, tried against a real bare hub running guard pre-receive.
// - merge-requirements: integration gains only lane tips the hub's own queue and reviews back,
//   or a coordinator's own commits; a policy change needs the policy reviewers' sign-off.
// - hub-namespace: refs/replace/* never, tags and notes from coordinators, nothing unnamed, and at
//   most server.maxRefs refs a push.
// - route 8: a JS config pushed on integration is never run by the hub.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bareHub, coordinated } from '../helpers/bare-hub.js';
import { claim, commit } from '../helpers/world.js';
import { forge, hub, refusedBy, SLOW, tip } from './hub.js';
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

  it(
    "accepts a coordinator's own commit, refuses one that names a lane in its Lane: trailer",
    SLOW,
    () => {
      sb.must(C, 'switch', '-q', 'master');
      sb.write(C, 'NOTES.md', 'coordinator notes\n');
      sb.must(C, 'add', 'NOTES.md');
      sb.must(C, 'commit', '-q', '--no-verify', '-m', 'notes');
      expect(push(C, '--no-verify', 'origin', 'master').status).toBe(0);
      // A lane commit that never went through its branch on the hub (the shared object store).
      sb.write(C, 'backend/smuggled.ts', 'x\n');
      sb.must(C, 'add', 'backend/smuggled.ts');
      sb.must(C, 'commit', '-q', '--no-verify', '-m', 'smuggled\n\nLane: A-backend');
      const r = push(C, '--no-verify', 'origin', 'master');
      expect(refusedBy(r, 'merge-requirements', 'hub')).toBeNull();
      expect(r.stderr).toContain('A-backend lane');
      sb.must(C, 'reset', '-q', '--hard', 'HEAD~1');
    },
  );

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

describe('route 8: a JS config pushed on integration is never run by the hub', () => {
  const h = bareHub();
  h.commit({ '.lanesrc.json': coordinated() }, 'policy');
  expect(h.push('coord', 'origin', 'master').status).toBe(0);
  h.guard();
  const hook = path.join(h.hub, 'hooks', 'pre-receive');
  const guardHook = readFileSync(hook, 'utf8');
  const ran = path.join(h.sb.root, 'js-config-ran');
  const payload =
    `require('node:fs').writeFileSync(${JSON.stringify(hook)}, '#!/bin/sh\\nexit 0\\n');\n` +
    `require('node:fs').writeFileSync(${JSON.stringify(ran)}, 'ran');\n` +
    `module.exports = { server: { coordinators: ['coord'] }, reviews: { policy: [] } };\n`;

  it('refuses the push that would make integration’s policy code, and runs none of it', () => {
    h.commit({ '.lanesrc.json': null, 'lanes.config.cjs': payload }, 'js policy');
    const r = h.push('coord', 'origin', 'master');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('refused by merge-requirements');
    expect(r.stderr).toContain('git config lanes.config');
    expect(existsSync(ran)).toBe(false);
    expect(readFileSync(hook, 'utf8')).toBe(guardHook);
  });

  it('a JS config that reached integration anyway (pushed before the guard) is refused as code on every push', () => {
    // Past the guard: the admin's own push, hook aside.
    writeFileSync(hook, '#!/bin/sh\nexit 0\n');
    expect(h.push('coord', 'origin', 'master').status).toBe(0);
    writeFileSync(hook, guardHook);
    const r = h.push('coord', 'origin', 'HEAD:refs/heads/feature/x');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('a JS or TS config is code');
    expect(existsSync(ran)).toBe(false);
    expect(readFileSync(hook, 'utf8')).toBe(guardHook);
  });

  it('is honoured where the admin pins a reviewed copy on the hub', () => {
    const pinned = path.join(h.sb.root, 'pinned-lanes.config.cjs');
    writeFileSync(
      pinned,
      `module.exports = { server: { coordinators: ['coord'] }, reviews: { policy: [] } };\n`,
    );
    h.sb.must(h.hub, 'config', 'lanes.config', pinned);
    const r = h.push('coord', 'origin', 'HEAD:refs/heads/feature/x');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(existsSync(ran)).toBe(false);
  });
});

describe('route 12: bounded bytes and work per push', () => {
  const h = bareHub();
  h.commit({ '.lanesrc.json': coordinated() }, 'policy');
  expect(h.push('coord', 'origin', 'master').status).toBe(0);
  h.guard();
  const entry = (over: Record<string, unknown> = {}) => ({
    kind: 'finding',
    reviewer: 'D-arch',
    target: 'A-backend',
    sha: h.tip('refs/heads/master'),
    text: 'looks odd',
    severity: 'minor',
    at: new Date().toISOString(),
    by: 'dana',
    ...over,
  });
  const written = (e: unknown) => JSON.stringify(e, null, 2) + '\n';
  const pushReview = (files: Record<string, string>) => {
    const c = forge(h.sb, h.work, null, files);
    return h.push('coord', 'origin', `${c}:refs/lanes/reviews`);
  };
  const refusedStore = (r: { status: number; stderr: string }, words: string) => {
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('remote: lanes-hooks: refused by store-integrity');
    expect(r.stderr).toContain(words);
    expect(h.tip('refs/lanes/reviews')).toBe('');
  };

  it('refuses a store commit carrying a file the store never writes', () => {
    refusedStore(
      pushReview({ 'op.json': written(entry()), 'payload.bin': 'x'.repeat(1 << 20) }),
      'other files than the store writes',
    );
  });

  it('refuses whitespace padding and unknown fields, nested deep', () => {
    refusedStore(
      pushReview({ 'op.json': written(entry()).replace('\n}', ' '.repeat(4000) + '\n}') }),
      'not what the store writes',
    );
    refusedStore(
      pushReview({ 'op.json': written(entry({ extra: { unknown: true } })) }),
      'not what the store writes',
    );
    // Nested deep, the bytes alone refuse it (the size is checked before anything is parsed).
    let deep: unknown = 'end';
    for (let i = 0; i < 2000; i++) deep = { x: deep };
    refusedStore(
      pushReview({ 'op.json': written(entry({ extra: deep })) }),
      'more than a store file may',
    );
  });

  it('refuses an entry past its size limit before reading it', () => {
    refusedStore(
      pushReview({ 'op.json': written(entry({ text: 'y'.repeat(70 * 1024) })) }),
      'more than a store file may',
    );
  });

  it('accepts exactly what the store writes', () => {
    const r = pushReview({ 'op.json': written(entry()) });
    expect(r.stderr).toBe('');
    expect(h.tip('refs/lanes/reviews')).not.toBe('');
  });

  it('a reader meets an oversized blob (pushed before the limits) as a damaged store, not ENOBUFS', () => {
    const big = forge(h.sb, h.work, null, {
      'op.json': written(entry({ text: 'z'.repeat(200 * 1024) })),
    });
    h.sb.must(h.work, 'update-ref', 'refs/lanes/reviews', big);
    const r = h.sb.cli(h.work, 'review', 'export');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('more than a store file may');
    expect(r.stderr).toContain('doctor --repair');
  });
});
