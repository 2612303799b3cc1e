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
// identity is among those shell-checked.json holds). Not closed, and pinned: a record taken out
// of agents.json takes that settings file out of the check.
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

  it('not closed: a record taken out of agents.json takes its settings file out of the check (pinned)', () => {
    const records = path.join(common, 'lanes-hooks', 'agents.json');
    const text = readFileSync(records, 'utf8');
    const list = JSON.parse(text) as { agent: string; file: string }[];
    const mine = (r: { agent: string; file: string }) =>
      r.agent === 'claude' && r.file === settings;
    expect(list.some(mine)).toBe(true);
    const hooks = readFileSync(settings, 'utf8');
    const dropEntry = () => {
      const parsed = JSON.parse(readFileSync(settings, 'utf8'));
      delete parsed.hooks.PreToolUse;
      writeFileSync(settings, JSON.stringify(parsed, null, 2));
    };
    // The control: with the record in place, the entry dropped by a shell command is put back.
    dropEntry();
    const put = afterBash(A);
    expect(put.stderr).toContain(settings);
    expect(JSON.parse(readFileSync(settings, 'utf8')).hooks.PreToolUse).toHaveLength(1);
    try {
      // One shell command: the lane's record out, then the lane's entry out of its settings.
      writeFileSync(
        records,
        JSON.stringify(
          list.filter((r) => !mine(r)),
          null,
          2,
        ),
      );
      dropEntry();
      // The next check (this lane's PostToolUse entry is still there) neither puts the entry
      // back nor names the file.
      const r = afterBash(A);
      expect(r.stderr).not.toContain(settings);
      expect(JSON.parse(readFileSync(settings, 'utf8')).hooks.PreToolUse).toBeUndefined();
      // What still holds: git's own hooks (the commit is refused) and the hub.
      const c = commit(sb, A, ['web/unchecked.tsx']);
      expect(c.stderr).toContain('refused by path-scope');
      sb.must(A, 'reset', '-q');
      sb.must(A, 'clean', '-qfd', '--', 'web');
    } finally {
      writeFileSync(records, text);
      writeFileSync(settings, hooks);
    }
    expect(afterBash(A)).toMatchObject({ status: 0, stderr: '' });
  });
});
