// Deep tier: the off switches beyond the fast cell (test/agents-switches.test.ts): Codex's and
// Copilot CLI's switches in a lane taken out after the shell command, the user's own files reported
// and cleared by doctor --repair, and real Codex writing the switch (the route). The world:
// test/helpers/agent-switches.ts.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codexResults } from '../helpers/agent-bins.js';
import { switchesWorld } from '../helpers/agent-switches.js';

const { sb, bins, A, afterShell, doctor } = switchesWorld();

describe('off switches in the lane: taken out after the shell command', () => {
  it("Codex's [features] hooks = false in the lane's .codex/config.toml, Copilot CLI's disableAllHooks", () => {
    const toml = path.join(A, '.codex', 'config.toml');
    writeFileSync(toml, 'model = "m"\n\n[features]\nhooks = false\nweb_search = true\n');
    const copilot = path.join(A, '.github', 'copilot', 'settings.json');
    mkdirSync(path.dirname(copilot), { recursive: true });
    writeFileSync(copilot, JSON.stringify({ disableAllHooks: true, theme: 'x' }));
    // doctor sees both before the agent's next shell command does.
    const d = doctor();
    expect(d.stdout + d.stderr).toContain(`${toml} sets [features] hooks = false`);
    expect(d.stdout + d.stderr).toContain(`${copilot} sets "disableAllHooks": true`);
    const r = afterShell();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('refused by hook-integrity');
    expect(r.stderr).toContain(`${toml} set [features] hooks = false for Codex: taken out again`);
    expect(r.stderr).toContain('for Copilot CLI: taken out again');
    expect(readFileSync(toml, 'utf8')).toBe('model = "m"\n\n[features]\nweb_search = true\n');
    expect(JSON.parse(readFileSync(copilot, 'utf8'))).toEqual({ theme: 'x' });
    rmSync(toml);
    rmSync(path.join(A, '.github'), { recursive: true });
  });
});

describe("the user's own files: reported, left alone, cleared by doctor --repair", () => {
  it("Gemini CLI's hooksConfig.enabled = false in ~/.gemini/settings.json", () => {
    const file = path.join(bins.HOME, '.gemini', 'settings.json');
    mkdirSync(path.dirname(file), { recursive: true });
    const text = JSON.stringify({ hooksConfig: { enabled: false }, ui: { theme: 'x' } });
    writeFileSync(file, text);
    const r = afterShell();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('the user’s own settings');
    expect(r.stderr).toContain('the next Gemini CLI session runs without lanes-hooks’ hooks');
    expect(r.stderr).toContain('doctor --repair');
    expect(readFileSync(file, 'utf8')).toBe(text);
    const d = doctor();
    expect(d.stdout + d.stderr).toContain(`${file} sets "hooksConfig": { "enabled": false }`);
    const repaired = doctor('--repair');
    expect(repaired.stdout).toContain(`repaired ${file}`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ hooksConfig: {}, ui: { theme: 'x' } });
    expect(afterShell().status).toBe(0);
  });

  it('doctor --repair also puts back a hook script rewritten to exit 0', () => {
    const shim = path.join(sb.coordinator, '.git', 'lanes-hooks', 'hooks', 'pre-push');
    const before = readFileSync(shim, 'utf8');
    writeFileSync(shim, '#!/bin/sh\nexit 0\n');
    expect(doctor('--repair').stdout).toContain(`repaired ${shim}: back as install wrote it`);
    expect(readFileSync(shim, 'utf8')).toBe(before);
  });
});

describe(
  'Codex 0.169.0 (real binary): hooks = false written by exec_command',
  { timeout: 120_000 },
  () => {
    it("is told to the model, and the lane's .codex/config.toml loses the switch", async () => {
      const problem: string = JSON.parse(doctor('--json').stdout).worktrees[0].problems.find(
        (p: string) => p.startsWith('codex:') && p.includes('trust'),
      );
      bins.setCodexTrust(
        problem
          .split('\n')
          .filter((l) => l.startsWith('      '))
          .map((l) => l.trim())
          .join('\n') + '\n',
      );
      const toml = path.join(A, '.codex', 'config.toml');
      const r = await bins.codex(
        A,
        [
          {
            tool: 'exec_command',
            input: { cmd: `printf '[features]\\nhooks = false\\n' > .codex/config.toml` },
          },
        ],
        { sandbox: 'danger-full-access' },
      );
      const res = codexResults(r).join('\n');
      expect(res).toContain('refused by hook-integrity');
      expect(res).toContain('taken out again');
      expect(existsSync(toml) ? readFileSync(toml, 'utf8') : '').not.toContain('hooks = false');
    });
  },
);
