// One installer for every agent (src/agents/settings.ts, AGENT_TARGETS): one record file, every
// file planned before any is written, and an install made before the installers were one (two
// record files, `agents.json` with `createdDir`, `agents-extra.json`) still uninstalled exactly.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/world.js';
import { coordinatorSandbox } from '../helpers/template.js';

const sb = coordinatorSandbox({ setup: true });
const HOME = path.join(sb.root, 'home');
const env = {
  HOME,
  CLAUDE_CONFIG_DIR: path.join(HOME, '.claude'),
  CODEX_HOME: path.join(HOME, '.codex'),
};
const cli = (cwd: string, ...args: string[]) => sb.run(cwd, process.execPath, [CLI, ...args], env);
const base = path.join(sb.coordinator, '.git', 'lanes-hooks');
const exclude = path.join(sb.coordinator, '.git', 'info', 'exclude');
type Rec = { agent: string; file: string; createdDirs?: string[]; createdDir?: string | null };

describe('install --agent: one installer, one record file', () => {
  it('refuses the whole install when one file of any agent is unreadable: nothing written', () => {
    const C = sb.lane('C-ops');
    mkdirSync(path.join(C, '.gemini'), { recursive: true });
    writeFileSync(path.join(C, '.gemini', 'settings.json'), '{ not json');
    const r = cli(C, 'install', '--agent', 'all');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('.gemini/settings.json is not valid JSON');
    // Not one agent's file was written.
    expect(existsSync(path.join(C, '.claude'))).toBe(false);
    expect(existsSync(path.join(base, 'agents.json'))).toBe(false);
  });

  it('an install recorded in the two old record files uninstalls byte for byte', () => {
    const B = sb.lane('B-ui');
    const gemini = path.join(B, '.gemini', 'settings.json');
    mkdirSync(path.dirname(gemini), { recursive: true });
    const geminiBefore = '{"theme": "dark"}\n';
    writeFileSync(gemini, geminiBefore);
    const excludeBefore = readFileSync(exclude, 'utf8');
    const dirs = ['.claude', '.codex', '.opencode', '.qwen', '.cursor', '.github'];
    const existed = dirs.map((d) => existsSync(path.join(B, d)));
    const r = cli(B, 'install', '--agent', 'all');
    expect(r.status, r.stderr).toBe(0);
    // install says which agents the OS does not hold (only Claude Code has --sandbox).
    expect(r.stdout).toContain(
      'not sandboxed: claude, codex, gemini, qwen, opencode, copilot, cursor: their shell commands are checked after they run (claude: add --sandbox',
    );
    // One record file for all seven agents.
    const records = JSON.parse(readFileSync(path.join(base, 'agents.json'), 'utf8')) as Rec[];
    expect(new Set(records.map((x) => x.agent))).toEqual(
      new Set(['claude', 'codex', 'gemini', 'qwen', 'opencode', 'copilot', 'cursor']),
    );
    expect(existsSync(path.join(base, 'agents-extra.json'))).toBe(false);
    expect(readFileSync(gemini, 'utf8')).toContain('agent-hook');

    // Rewritten as the two installers recorded it: Claude Code and Codex in agents.json with a
    // single createdDir, the registry agents in agents-extra.json.
    const classic = records
      .filter((x) => x.agent === 'claude' || x.agent === 'codex')
      .map(({ createdDirs, ...x }) => ({ ...x, createdDir: createdDirs?.[0] ?? null }));
    const extra = records.filter((x) => x.agent !== 'claude' && x.agent !== 'codex');
    expect(classic.some((x) => x.createdDir === path.join(B, '.claude'))).toBe(true);
    writeFileSync(path.join(base, 'agents.json'), JSON.stringify(classic));
    writeFileSync(path.join(base, 'agents-extra.json'), JSON.stringify(extra));

    expect(cli(B, 'uninstall').status).toBe(0);
    expect(readFileSync(gemini, 'utf8')).toBe(geminiBefore);
    expect(dirs.map((d) => existsSync(path.join(B, d)))).toEqual(existed);
    expect(existsSync(path.join(sb.coordinator, '.codex', 'hooks.json'))).toBe(false);
    expect(readFileSync(exclude, 'utf8')).toBe(excludeBefore);
    expect(existsSync(path.join(base, 'agents-extra.json'))).toBe(false);
  });
});
