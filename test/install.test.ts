// install / uninstall / doctor with real repositories: chaining and exact restore, doctor's main
// paths. Husky, a GUI PATH, fail closed, a shadowed hooksPath: test/deep/install.test.ts (issue 29).
import { chmodSync, existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commit, HOOK_CLI, world } from './helpers/world.js';
import { HOOK_ENTRY, RUNTIME } from '../src/bundle-files.js';
import { bareCoordinator, localConfig } from './helpers/setups.js';

describe('coexisting with hooks that were there before', () => {
  it('keeps a plain .git/hooks hook running, and uninstall restores the config exactly', () => {
    const sb = bareCoordinator();
    const marker = path.join(sb.root, 'marker');
    sb.write(sb.coordinator, '.git/hooks/pre-commit', `#!/bin/sh\necho plain >> '${marker}'\n`);
    chmodSync(path.join(sb.coordinator, '.git/hooks/pre-commit'), 0o755);
    const before = localConfig(sb);

    sb.mustCli(sb.coordinator, 'install');
    const lane = sb.addLane('B-ui');
    // The shims start the hook entry install wrote beside the CLI, not the CLI: with the CLI's
    // copy gone, Node still decides the refusal below (test/deep/install.test.ts: the reverse).
    const base = path.join(sb.coordinator, '.git/lanes-hooks');
    expect(readFileSync(path.join(base, HOOK_ENTRY)).equals(readFileSync(HOOK_CLI))).toBe(true);
    rmSync(path.join(base, RUNTIME));
    expect(commit(sb, lane, ['web/a.tsx']).status).toBe(0);
    expect(readFileSync(marker, 'utf8')).toBe('plain\n');
    expect(commit(sb, lane, ['backend/a.ts']).stderr).toContain('refused by path-scope');
    sb.must(lane, 'reset', '-q');

    const out = sb.mustCli(sb.coordinator, 'uninstall');
    expect(out).toContain('unset again');
    expect(localConfig(sb)).toBe(before);
    expect(existsSync(base)).toBe(false); // the hook entry with it
    expect(existsSync(path.join(sb.coordinator, '.git/config.worktree'))).toBe(false);
    expect(sb.git(lane, 'config', '--get', 'lanes.role').status).toBe(1);
    expect(commit(sb, lane, ['backend/b.ts']).status).toBe(0);
    expect(readFileSync(marker, 'utf8')).toBe('plain\nplain\n');
  });
});

describe('doctor', () => {
  const w = world(['A-backend', 'D-arch']);

  it('reports a healthy lane', () => {
    const r = w.cli(w.lanes['A-backend']!, 'doctor');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('A-backend (delivery)');
  });

  it('--all --json covers every worktree', () => {
    const r = w.cli(w.coordinator, 'doctor', '--all', '--json');
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(true);
    expect(report.worktrees.map((x: { role: string }) => x.role).sort()).toEqual([
      'A-backend',
      'D-arch',
      'coordinator',
    ]);
  });
});
