// hub install on a bare repository and its report, and verify's main path: the fast tier's one
// real-git case of each. A push through both hooks with the pinned identity source, and doctor run
// in the hub: test/deep/hub-install-more.test.ts (issue 29); the differential over the attack suite
// and the real servers are in test/deep/ too.
import { readFileSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bareHub, coordinated } from './helpers/bare-hub.js';

describe('hub install', () => {
  const h = bareHub();
  h.commit({ '.lanesrc.json': coordinated() }, 'policy');
  h.push('coord', 'origin', 'master');
  // An admin's own pre-receive already there: it keeps running, first.
  const mine = path.join(h.hub, 'hooks', 'pre-receive');
  writeFileSync(mine, `#!/bin/sh\ncat > "${h.hub}/seen-by-admin-hook"\n`);
  chmodSync(mine, 0o755);

  it('installs the guard, keeps the pre-receive that was there, pins policy and identity, says what it enforces', () => {
    const r = h.sb.cli(h.sb.root, 'hub', 'install', h.hub, '--identity', 'LANES_PUSHER');
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain('kept the pre-receive that was there');
    expect(r.stdout).toContain('policy: the config committed on master (lanes.integration)');
    expect(r.stdout).toContain('✔ hooks/pre-receive runs guard pre-receive');
    expect(r.stdout).toContain('enforced on every push: path-scope');
    // The hook entry, the one file the hub's pre-receive runs, copied whole into the hub.
    const entry = path.join(h.hub, 'lanes-hooks', 'lanes-hooks-hook.mjs');
    expect(readFileSync(entry).equals(readFileSync('dist/lanes-hooks-hook.mjs'))).toBe(true);
    expect(readFileSync(path.join(h.hub, 'hooks', 'pre-receive'), 'utf8')).toContain(
      `'${entry}' guard pre-receive`,
    );
    expect(h.sb.must(h.hub, 'config', '--get', 'lanes.identitySource')).toBe('LANES_PUSHER');
    // Idempotent: the guard's own hook is not chained to itself.
    expect(
      h.sb.cli(h.sb.root, 'hub', 'install', h.hub, '--identity', 'LANES_PUSHER').stdout,
    ).not.toContain('kept the pre-receive');
  });

  it("the hook entry runs guard and hook alone: any other command, or --help, is the full CLI's (exit 2)", () => {
    const entry = path.resolve('dist/lanes-hooks-hook.mjs');
    const other = h.sb.run(h.work, process.execPath, [entry, 'status']);
    expect(other.status).toBe(2);
    expect(other.stderr).toContain('this file is the hook entry (guard and hook only)');
    const help = h.sb.run(h.work, process.execPath, [entry, 'guard', 'pre-receive', '--help']);
    expect(help.status).toBe(2);
    // `hook` through it: a state no rule reads is allowed at once, as by the full CLI.
    const hook = h.sb.run(
      h.work,
      process.execPath,
      [entry, 'hook', 'reference-transaction', 'committed'],
      {},
      '',
    );
    expect(hook.status, hook.stderr).toBe(0);
  });

  it('verify --stdin in a clone judges as the hub would (one case; the differential is in test/deep/verify)', () => {
    const sha = h.commit({ 'backend/x.ts': 'x\n' });
    const master = h.sb.must(h.hub, 'rev-parse', 'master');
    const v = h.sb.run(
      h.work,
      process.execPath,
      [h.sb.cliFile, 'verify', '--stdin', '--pusher', 'alice'],
      {},
      `${master} ${sha} refs/heads/master\n`,
    );
    expect(v.status).toBe(1);
    expect(v.stderr).toContain('refused by integration-ff-only');
    const ok = h.sb.run(
      h.work,
      process.execPath,
      [h.sb.cliFile, 'verify', '--stdin', '--json', '--pusher', 'coord'],
      {},
      `${master} ${sha} refs/heads/master\n`,
    );
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      ok: true,
      violations: [],
      integration: 'master',
    });
  });
});
