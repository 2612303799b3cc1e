// Help is generated from the option tables parse() reads (src/cli/spec.ts): the main help, a
// group's, `help <command>` and `--help`, each as a process of its own. Every option of every
// command, asked both ways through the batch, a mistyped command and an unknown option:
// test/deep/help.test.ts (issue 29).
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { COMMAND_SPECS, GROUPS } from '../src/cli/spec.js';
import { CLI } from './helpers/world.js';

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { cwd: os.tmpdir(), encoding: 'utf8' });

describe('help', () => {
  const names = Object.keys(COMMAND_SPECS) as (keyof typeof COMMAND_SPECS)[];

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
});
