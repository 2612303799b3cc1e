// The in-process CLI (helpers/in-process.ts) must be indistinguishable from the process for what
// tests assert: the same exit code, stdout and stderr, byte for byte, for reads, a refusal
// (exit 1), usage errors (exit 2), a command outside any repository, and a command that writes
// (each way on its own copy of the same world, paths and times normalised). It must leave this process's
// cwd and environment as they were, and send the commands that need a process to one.
import { describe, expect, it } from 'vitest';
import { needsProcess, useInProcessCli } from '../helpers/in-process.js';
import { world } from '../helpers/world.js';

describe('the CLI in process gives what the process gives', () => {
  const sb = world(['A-backend']);
  const A = sb.lanes['A-backend']!;
  const C = sb.coordinator;

  const cases: [string, string, string[]][] = [
    ['status', C, ['status']],
    ['status --json in a lane', A, ['status', '--json']],
    ['queue list', C, ['queue', 'list']],
    ['doctor', A, ['doctor']],
    ['brief', A, ['brief']],
    ['--version', C, ['--version']],
    ['help of a subcommand', C, ['queue', 'claim', '--help']],
    ['a refusal: promote in a lane (exit 1)', A, ['promote']],
    ['a usage error: an unknown command (exit 2)', C, ['bogus']],
    ['a usage error: a role not in the config (exit 2)', C, ['queue', 'claim', '--role', 'nope']],
    ['outside any repository (exit 2)', sb.root, ['status']],
  ];
  for (const [name, dir, args] of cases)
    it(name, () => {
      const cwd = process.cwd();
      const env = JSON.stringify(process.env);
      const inside = sb.cliInProcess(dir, ...args);
      expect(process.cwd()).toBe(cwd);
      expect(JSON.stringify(process.env)).toBe(env);
      const outside = sb.cliProcess(dir, ...args);
      expect(inside).toEqual(outside);
    });

  it('the exit codes are the ones each case stands for', () => {
    expect(sb.cliInProcess(C, 'status').status).toBe(0);
    expect(sb.cliInProcess(A, 'promote').status).toBe(1);
    expect(sb.cliInProcess(C, 'bogus').status).toBe(2);
  });

  it('a command that writes: queue claim, then the overlap refused, on two copies of a world', () => {
    const [one, two] = [world(['A-backend']), world(['A-backend'])];
    const steps = [
      [
        'queue',
        'claim',
        '--role',
        'A-backend',
        '--owner',
        'agent-a',
        '--branch',
        'agent/A-backend',
      ],
      ['queue', 'claim', '--role', 'A-backend', '--owner', 'agent-b', '--branch', 'agent/other'],
      ['queue', 'list'],
      ['sync'],
    ];
    const norm = (r: { status: number; stdout: string; stderr: string }, root: string) =>
      JSON.stringify(r)
        .replaceAll(root, '<root>')
        .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>');
    const statuses: number[] = [];
    for (const step of steps) {
      const inside = one.cliInProcess(one.lanes['A-backend']!, ...step);
      const outside = two.cliProcess(two.lanes['A-backend']!, ...step);
      expect(norm(inside, one.root)).toBe(norm(outside, two.root));
      statuses.push(inside.status);
    }
    expect(statuses[0]).toBe(0);
    expect(statuses[1]).not.toBe(0);
    expect(statuses.slice(2)).toEqual([0, 0]);
    // The claim is a ref each way: the same store content.
    const store = (w: typeof one) =>
      w.must(w.remote, 'ls-tree', '-r', '--name-only', 'refs/lanes/queue');
    expect(store(one)).toBe(store(two));
    expect(store(one)).not.toBe('');
  });

  it('sb.cli goes in process only once the file asks, and never for what needs a process', () => {
    expect(needsProcess(['hook', 'pre-commit'])).toMatch(/stdin/);
    expect(needsProcess(['agent-hook', '--agent', 'claude'])).toMatch(/stdin/);
    expect(needsProcess(['guard', 'pre-receive'])).toMatch(/stdin/);
    expect(needsProcess(['status', '--watch'])).toMatch(/keeps running/);
    expect(needsProcess(['demo'])).not.toBeNull();
    expect(needsProcess(['queue', 'list'])).toBeNull();
    expect(() => sb.cliInProcess(C, 'hook', 'pre-commit')).toThrow(/cannot run in process/);
    useInProcessCli();
    try {
      // The same answer either way; a hook still runs as git runs it (its own process).
      expect(sb.cli(C, 'queue', 'list')).toEqual(sb.cliProcess(C, 'queue', 'list'));
      const r = sb.cli(C, 'hook', 'pre-commit');
      expect(r).toEqual(sb.cliProcess(C, 'hook', 'pre-commit'));
    } finally {
      useInProcessCli(false);
    }
  });
});
