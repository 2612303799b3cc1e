// Deep tier: hub install beyond its fast case (test/hub-install.test.ts): a push runs the admin's
// pre-receive and the guard, the pinned identity source alone naming the pusher; doctor run in the
// hub prints the same report, and a non-bare target is a usage error (issue 29).
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bareHub, coordinated } from '../helpers/bare-hub.js';

describe('hub install', () => {
  // Where test/hub-install.test.ts's first test leaves the hub: the admin's own pre-receive kept,
  // the guard installed with LANES_PUSHER pinned.
  const h = bareHub();
  h.commit({ '.lanesrc.json': coordinated() }, 'policy');
  h.push('coord', 'origin', 'master');
  const mine = path.join(h.hub, 'hooks', 'pre-receive');
  writeFileSync(mine, `#!/bin/sh\ncat > "${h.hub}/seen-by-admin-hook"\n`);
  chmodSync(mine, 0o755);
  const installed = h.sb.cli(h.sb.root, 'hub', 'install', h.hub, '--identity', 'LANES_PUSHER');
  expect(installed.status, installed.stderr + installed.stdout).toBe(0);

  it('a push runs both hooks; the pinned source alone names the pusher', () => {
    h.commit({ 'README.md': 'x\n' });
    // GL_USER says coord, but the hub pinned LANES_PUSHER: this push names nobody.
    const r = h.sb.run(h.work, 'git', ['push', '-q', 'origin', 'master'], { GL_USER: 'coord' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('refused by integration-ff-only');
    expect(readFileSync(path.join(h.hub, 'seen-by-admin-hook'), 'utf8')).toContain(
      'refs/heads/master',
    );
    expect(h.push('coord', 'origin', 'master').status).toBe(0);
  });

  it('doctor in the hub prints the same report; a non-bare target is a usage error', () => {
    const d = h.sb.cli(h.hub, 'doctor');
    expect(d.status, d.stdout).toBe(0);
    expect(d.stdout).toContain('✔ policy: master:.lanesrc.json');
    expect(d.stdout).toContain('LANES_PUSHER names the pusher');
    const bad = h.sb.cli(h.sb.root, 'hub', 'install', h.work);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('is not a bare git repository');
  });
});
