// Deep tier: every option of every command appears in that command's help, by --help and by
// help <command>, asked through the batch (test/helpers/cli-batch.mjs), and the batch checked
// against separate processes; a mistyped command and an option not in the table, each a process of
// its own. The other ways of asking: test/help.test.ts.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_SPECS } from '../../src/cli/spec.js';
import { CLI } from '../helpers/world.js';

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { cwd: os.tmpdir(), encoding: 'utf8' });

type Run = { status: number; stdout: string; stderr: string };

/**
 * The built CLI run once per argument list in ONE Node process (helpers/cli-batch.mjs: the
 * bundle imported afresh per run, its streams captured, the exit code read): the same bundle,
 * argv, dispatch, output and exit code, without a Node start per call. Used where a test asks
 * every command in turn; each kind of call is also made as a process of its own, and the first
 * test checks that both give the same answers.
 */
function cliBatch(calls: string[][]): Run[] {
  const r = spawnSync(
    process.execPath,
    [path.resolve('test/helpers/cli-batch.mjs'), CLI, JSON.stringify(calls)],
    { cwd: os.tmpdir(), encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  if (r.status !== 0) throw new Error(`cli-batch failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Run[];
}

describe('help', () => {
  const names = Object.keys(COMMAND_SPECS) as (keyof typeof COMMAND_SPECS)[];

  it('the batch answers as separate processes do: status, stdout and stderr', () => {
    const calls = [
      ['queue', 'claim', '--help'],
      ['help', 'queue', 'claim'],
      ['hook', '--help'],
      ['help', 'frobnicate'],
      ['status', '--intervall', '3'],
    ];
    cliBatch(calls).forEach((b, i) => {
      const p = cli(...calls[i]!);
      expect(b, calls[i]!.join(' ')).toEqual({
        status: p.status,
        stdout: p.stdout,
        stderr: p.stderr,
      });
    });
  });

  it('every option of every command appears in its help, by --help and by help <command>', () => {
    const runs = cliBatch(
      names.flatMap((name) => [
        [...name.split(' '), '--help'],
        ['help', ...name.split(' ')],
      ]),
    );
    for (const [i, name] of names.entries()) {
      const byFlag = runs[2 * i]!;
      if (name !== 'hook') {
        expect(byFlag.status, `${name} --help`).toBe(0);
        expect(byFlag.stderr, name).toBe('');
      }
      const byHelp = runs[2 * i + 1]!;
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

  it('a mistyped command gets "did you mean", not the whole help (issue 30)', () => {
    for (const args of [['stauts'], ['help', 'stauts'], ['qeueu', 'list']]) {
      const r = cli(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/did you mean (status|queue)\?/);
      expect(r.stderr).toContain('lanes-hooks --help');
      expect(r.stderr.split('\n').length).toBeLessThan(5);
      expect(r.stdout).toBe('');
    }
    const far = cli('frobnicate');
    expect(far.status).toBe(2);
    expect(far.stderr).toContain('unknown command "frobnicate"\n');
    expect(far.stderr).not.toContain('did you mean');
  });

  it('an option that is not in the table is refused, naming the command’s help', () => {
    const r = cli('status', '--intervall', '3');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('See: lanes-hooks status --help');
  });
});
