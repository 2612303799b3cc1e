// Deep tier: the hub-judges routes that no coverage-map cell names (test/attacks/hub-judges.test.ts
// holds merge-requirements and hub-namespace, the rules' fast cells).
// - route 8: a JS config pushed on integration is never run by the hub.
// - route 12: bounded bytes and work per push.
// - merge-requirements: a coordinator's own commit on integration, accepted, and refused once its
//   Lane: trailer names a lane.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bareHub, coordinated } from '../../helpers/bare-hub.js';
import { forge, hub, refusedBy, SLOW } from '../../attacks/hub.js';
import { useInProcessCli } from '../../helpers/in-process.js';

// The CLI steps run in this process (helpers/in-process.ts); hooks and pushes stay real processes.
useInProcessCli();

describe('merge-requirements: the hub reads its own queue and reviews before integration moves', () => {
  // The fast file's world (test/attacks/hub-judges.test.ts): no identities, D-arch's sign-off
  // required. This case needs nothing of its earlier tests: integration has no lane commit on it.
  const sb = hub(
    (cfg) => {
      cfg.reviews = { ...cfg.reviews, required: ['D-arch'] };
    },
    { setup: true },
  );
  const C = sb.coordinator;
  const push = (dir: string, ...args: string[]) => sb.git(dir, 'push', '-q', ...args);

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
