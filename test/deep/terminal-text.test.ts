// Route 9 at full strength (deep tier): every command that prints the queue, the audit log or a
// lane's brief, run on a lane whose local store was forged to hold hostile text, and on a world
// where merge printed hostile trailers. None of them prints an active character raw. The pure
// breadth and the merge/hub cases are in test/terminal-text.test.ts (fast tier).
import { describe, expect, it } from 'vitest';
import { forge, hub, SLOW } from '../attacks/hub.js';

const ALL =
  '\u001b]52;c;Z2l0IHB1c2g=\u0007\u001b[1A\u001b[2K\u0007ok\rfake\u009b1A\u009d52;c;eA==\u009ca\u202eb\u2067x\u2069a\u2028b\u007f';
const ACTIVE =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
const inert = (out: string) => {
  const m = ACTIVE.exec(out);
  expect(m && JSON.stringify(out.slice(Math.max(0, m.index - 40), m.index + 10))).toBeNull();
};

describe('lane text in every command (deep)', () => {
  const sb = hub();
  const A = sb.addLane('A-backend');
  const C = sb.coordinator;
  const out = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;

  it('commands on a sound store print nothing active', SLOW, () => {
    const task = sb.mustCli(C, 'queue', 'add', 'Build the API', '--role', 'A-backend').trim();
    sb.mustCli(
      A,
      'queue',
      'claim',
      '--role',
      'A-backend',
      '--owner',
      'agent-a',
      '--branch',
      'agent/A-backend',
      '--task',
      task,
    );
    sb.write(A, 'backend/api.ts');
    sb.must(A, 'add', '--', 'backend/api.ts');
    sb.must(
      A,
      'commit',
      '-q',
      '--cleanup=verbatim',
      '-m',
      `feat ${ALL}\n\nTask: ${ALL}\nAgent: ${ALL}`,
    );
    for (const cmd of [
      ['status'],
      ['status', '--json'],
      ['queue', 'list'],
      ['queue', 'list', '--json'],
      ['audit'],
      ['audit', '--json'],
      ['brief'],
      ['brief', '--json'],
      ['doctor', '--all'],
      ['land', '--dry-run'],
      ['land', '--dry-run', '--json'],
    ])
      inert(out(sb.cli(C, ...cmd)));
  });

  it('a forged local store is reported, never printed raw (brief, queue list, audit)', SLOW, () => {
    const parent = sb.must(A, 'rev-parse', 'refs/lanes/queue');
    const state = JSON.parse(sb.must(A, 'show', `${parent}:state.json`));
    for (const t of state.tasks) t.title = `T ${ALL}`;
    const forged = forge(sb, A, parent, {
      'op.json': sb.must(A, 'show', `${parent}:op.json`),
      'state.json': JSON.stringify(state),
      'claims.txt': sb.git(A, 'show', `${parent}:claims.txt`).stdout,
    });
    // The lane's own hooks refuse this; the forger switches them off in its own repository.
    sb.must(A, '-c', 'core.hooksPath=/dev/null', 'update-ref', 'refs/lanes/queue', forged);
    try {
      for (const cmd of [['brief'], ['queue', 'list'], ['status'], ['audit'], ['doctor', '--all']])
        inert(out(sb.cli(A, ...cmd)));
    } finally {
      sb.must(A, '-c', 'core.hooksPath=/dev/null', 'update-ref', 'refs/lanes/queue', parent);
    }
  });
});
