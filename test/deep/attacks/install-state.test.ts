// A record a lane can write that a check trusts: `<common-git-dir>/lanes-hooks/install.json`.
// The after-shell check (agent-hook, PostToolUse of a shell tool) computes what git's hook files
// and the agents' hook settings must hold from the code AND this record (install.ts hookFiles,
// agents/guard.ts settingsDrift), then writes back whatever differs. Among its fields is `node`,
// the Node.js every shim and every agent hook command runs. A shell command in a lane can write
// the record (same OS user, the common git dir). The route: name a "Node" that exits 0 there;
// the check itself would then "put back" every shim and every agent entry running that stand-in,
// and every decision that needs Node (every refusal) would pass, locally, from then on.
// What closes it: install records the Node that ran it, and the agent's hook command runs that
// same Node, so the check compares the record with the Node running it; a record naming another
// is named (hook-integrity) and written back with the running Node before anything is computed
// from it. A change of the record alone also sends the light entry to this full check (its
// identity is among those shell-checked.json holds).
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { routesWorld } from '../../helpers/agent-routes.js';
import { commit } from '../../helpers/world.js';

describe('a forged install record (lanes-hooks/install.json)', () => {
  const { sb, A, afterBash, write } = routesWorld();
  const common = path.resolve(A, sb.must(A, 'rev-parse', '--git-common-dir'));
  const stateFile = path.join(common, 'lanes-hooks', 'install.json');
  const shim = path.join(common, 'lanes-hooks', 'hooks', 'pre-commit');
  const settings = path.join(A, '.claude', 'settings.local.json');
  const fake = path.join(sb.root, 'not-node');
  writeFileSync(fake, '#!/bin/sh\nexit 0\n');
  chmodSync(fake, 0o755);

  it('naming a stand-in Node: the after-shell check does not install it, puts the record back and says so', () => {
    expect(sb.must(A, 'status', '--porcelain')).toBe('');
    expect(afterBash(A)).toMatchObject({ status: 0, stderr: '' });
    const state = JSON.parse(readFileSync(stateFile, 'utf8'));
    const node = state.node as string;
    expect(readFileSync(shim, 'utf8')).toContain(`node='${node}'`);
    // The forgery, as a shell command in the lane would write it.
    writeFileSync(stateFile, JSON.stringify({ ...state, node: fake }));
    const r = afterBash(A);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^lanes-hooks: refused by hook-integrity/);
    expect(r.stderr).toContain('install.json');
    // Nothing was computed from the forged record: the shims and the agent entry still run the
    // real Node, and the record names it again.
    expect(readFileSync(shim, 'utf8')).toContain(`node='${node}'`);
    expect(readFileSync(shim, 'utf8')).not.toContain(fake);
    expect(readFileSync(settings, 'utf8')).not.toContain(fake);
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).node).toBe(node);
    // So the lane's refusals still come: a Write out of scope, and a commit out of scope.
    expect(write(A, 'web/route.tsx').status).toBe(2);
    const c = commit(sb, A, ['web/route.tsx']);
    expect(c.status).not.toBe(0);
    expect(c.stderr).toContain('refused by path-scope');
    sb.must(A, 'reset', '-q');
    sb.must(A, 'clean', '-qfd', '--', 'web');
    expect(afterBash(A)).toMatchObject({ status: 0, stderr: '' });
  });

  it('unreadable or deleted, it stops no repair silently: named, for a person to install again', () => {
    const text = readFileSync(stateFile, 'utf8');
    try {
      for (const forged of ['not json', '{"node": 1}', null]) {
        if (forged === null) rmSync(stateFile);
        else writeFileSync(stateFile, forged);
        const r = afterBash(A);
        expect(r.status, String(forged)).toBe(2);
        expect(r.stderr).toMatch(/^lanes-hooks: refused by hook-integrity/);
        expect(r.stderr).toContain(
          `${stateFile} ${forged === null ? 'was deleted' : 'no longer held what install wrote'}: could not be put back`,
        );
        expect(r.stderr).toMatch(/a person runs \S*lanes-hooks'? install in this worktree/);
      }
    } finally {
      writeFileSync(stateFile, text);
    }
    expect(afterBash(A)).toMatchObject({ status: 0, stderr: '' });
  });
});
