// Help is generated from the option tables parse() reads (src/cli/spec.ts): every option of every
// command appears in that command's help, through every way of asking for it.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { COMMAND_SPECS, GROUPS } from '../src/cli/spec.js';
import { CLI } from './helpers/world.js';

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { cwd: os.tmpdir(), encoding: 'utf8' });

describe('help', () => {
  const names = Object.keys(COMMAND_SPECS) as (keyof typeof COMMAND_SPECS)[];

  it('every option of every command appears in its help, by --help and by help <command>', () => {
    for (const name of names) {
      const words = name.split(' ');
      const byFlag = cli(...words, '--help');
      if (name !== 'hook') {
        expect(byFlag.status, `${name} --help`).toBe(0);
        expect(byFlag.stderr, name).toBe('');
      }
      const byHelp = cli('help', ...words);
      expect(byHelp.status, `help ${name}`).toBe(0);
      if (name !== 'hook') expect(byHelp.stdout, name).toBe(byFlag.stdout);
      expect(byHelp.stdout).toContain(`lanes-hooks ${name}`);
      for (const [option, spec] of Object.entries(COMMAND_SPECS[name].options)) {
        const flag = `--${option}${'arg' in spec && spec.arg ? ` ${spec.arg}` : ''}`;
        // In the synopsis and in the option list, with its help text.
        expect(byHelp.stdout.split(flag).length - 1, `${name}: ${flag}`).toBeGreaterThanOrEqual(2);
        expect(byHelp.stdout, `${name}: ${flag}`).toContain(spec.help.split('\n')[0]);
      }
    }
  });

  it('a group prints each subcommand with its options', () => {
    for (const group of Object.keys(GROUPS)) {
      const r = cli(group, '--help');
      expect(r.status).toBe(0);
      for (const name of names.filter((n) => n.startsWith(`${group} `)))
        for (const option of Object.keys(COMMAND_SPECS[name].options))
          expect(r.stdout, `${name} --${option}`).toContain(`--${option}`);
    }
  });

  it('the main help lists every top-level command with all its options', () => {
    const r = cli('--help');
    expect(r.status).toBe(0);
    expect(cli('help').stdout).toBe(r.stdout);
    for (const name of names.filter((n) => !n.includes(' ') && n !== 'hook'))
      for (const option of Object.keys(COMMAND_SPECS[name].options))
        expect(r.stdout, `${name} --${option}`).toMatch(
          new RegExp(`^  ${name}\\b.*--${option}\\b`, 'm'),
        );
    for (const shown of [
      'doctor [--repair]',
      'setup [--dry-run] [--agent',
      '--interval <seconds>',
      'merge <role> [--no-push]',
    ])
      expect(r.stdout).toContain(shown);
  });

  it('help install is install’s help; agent-hook --help exits 0 with its own', () => {
    const install = cli('help', 'install');
    expect(install.stdout).toMatch(/^lanes-hooks install \[--role <role>\] \[--agent/);
    expect(install.stdout).not.toContain('Commands:');
    const agent = cli('agent-hook', '--help');
    expect(agent.status).toBe(0);
    expect(agent.stdout).toMatch(/^lanes-hooks agent-hook <agent>\n/);
    for (const name of [
      'Claude Code',
      'Codex',
      'Gemini CLI',
      'Qwen Code',
      'OpenCode',
      'Copilot',
      'Cursor',
    ])
      expect(agent.stdout).toContain(name);
    expect(cli('help', 'frobnicate').status).toBe(2);
  });

  it('an option that is not in the table is refused, naming the command’s help', () => {
    const r = cli('status', '--intervall', '3');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('See: lanes-hooks status --help');
  });
});
