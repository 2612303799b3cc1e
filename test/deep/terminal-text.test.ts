// Route 9 at full strength (deep tier): every command that prints the queue, the audit log or a
// lane's brief, run on a lane whose local store was forged to hold hostile text, and on a world
// where merge printed hostile trailers. None of them prints an active character raw. The pure
// breadth is in test/terminal-text.test.ts (fast tier); the merge and hub cases below.
import { describe, expect, it } from 'vitest';
import { forge, hub, SLOW, tip } from '../attacks/hub.js';
import { ALL as EVERY, ESCAPES, inert } from '../helpers/terminal-text.js';

const ALL =
  '\u001b]52;c;Z2l0IHB1c2g=\u0007\u001b[1A\u001b[2K\u0007ok\rfake\u009b1A\u009d52;c;eA==\u009ca\u202eb\u2067x\u2069a\u2028b\u007f';

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

describe('lane text in every command, with real git', () => {
  const sb = hub();
  const A = sb.addLane('A-backend');
  const C = sb.coordinator;
  const out = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;

  it('merge prints a lane’s hostile trailers quoted, in text and JSON', SLOW, () => {
    const task = sb.mustCli(C, 'queue', 'add', 'Build the API', '--role', 'A-backend').trim();
    // Shared by the coordinator: a lane's sync carries only its own entries (route a, c354905).
    sb.mustCli(C, 'sync');
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
    sb.mustCli(A, 'sync');
    sb.write(A, 'backend/api.ts');
    sb.must(A, 'add', '--', 'backend/api.ts');
    const trailers = [
      `Task: ${ESCAPES['OSC 52']}`,
      `Agent: ${ESCAPES['CSI 1A']}${ESCAPES['CSI 2K']}${ESCAPES.BEL}${ESCAPES.CR}`,
      `Lane: A${ESCAPES['C1 CSI']}${ESCAPES['bidi RLO']}${ESCAPES['line separator']}`,
    ].join('\n');
    const c = sb.run(A, 'git', [
      'commit',
      '-q',
      '--cleanup=verbatim',
      '-m',
      `feat: api ${EVERY}\n\n${trailers}`,
    ]);
    expect(c.status, c.stderr).toBe(0);
    expect(sb.must(A, 'log', '-1', '--format=%B')).toContain('\u001b]52;c;');
    expect(sb.git(A, 'push', '-q', 'origin', 'agent/A-backend').status).toBe(0);
    const dry = sb.cli(C, 'land', '--dry-run');
    inert(out(dry));
    const json = sb.cli(C, 'land', '--dry-run', '--json');
    inert(out(json));
    const m = sb.cli(C, 'merge', 'A-backend');
    expect(m.status, out(m)).toBe(0);
    inert(out(m));
    expect(m.stdout).toContain('provenance: Lane: "A\\302\\2331Aa\\342\\200\\256b');
    expect(m.stdout).toContain('Agent: "\\033[1A\\033[2K\\aok\\rfake"');
    expect(m.stdout).toContain('Task: "\\033]52;c;');
    inert(out(sb.cli(C, 'queue', 'list')));
  });

  it('queue add and claim refuse control characters in titles, owners and roles', SLOW, () => {
    const r = sb.cli(C, 'queue', 'add', `title ${ESCAPES['OSC 52']}`, '--role', 'A-backend');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('control characters');
    inert(out(r));
    const owner = sb.cli(
      A,
      'queue',
      'claim',
      '--role',
      'A-backend',
      '--owner',
      `x${ESCAPES['CSI 2K']}`,
      '--branch',
      'agent/A-backend',
    );
    expect(owner.status).not.toBe(0);
    inert(out(owner));
  });

  it(
    'the hub refuses store entries with control characters: a claim’s role, an audit rule',
    SLOW,
    () => {
      sb.must(C, 'fetch', '-q', 'origin', '+refs/lanes/*:refs/forge/*');
      const parent = sb.must(C, 'rev-parse', 'refs/forge/queue');
      const before = tip(sb, 'refs/lanes/queue');
      const op = {
        op: 'add',
        title: `fix ${ESCAPES['CSI 1A']}${ESCAPES['CSI 2K']}`,
        role: `A-backend${ESCAPES['C1 CSI']}`,
        at: 'now',
        by: 'mallory',
        lane: 'A-backend',
      };
      const state = JSON.parse(sb.must(C, 'show', `${parent}:state.json`));
      state.tasks.push({
        id: `T${state.nextTask}`,
        title: op.title,
        role: op.role,
        state: 'open',
        at: 'now',
      });
      state.nextTask++;
      const forged = forge(sb, C, parent, {
        'op.json': JSON.stringify(op),
        'state.json': JSON.stringify(state),
        'claims.txt': sb.git(C, 'show', `${parent}:claims.txt`).stdout,
      });
      const q = sb.git(C, 'push', '-q', '--no-verify', 'origin', `${forged}:refs/lanes/queue`);
      expect(q.status).not.toBe(0);
      inert(q.stderr);
      expect(tip(sb, 'refs/lanes/queue')).toBe(before);

      const auditParent = sb
        .git(C, 'rev-parse', '-q', '--verify', 'refs/forge/audit')
        .stdout.trim();
      const entry = {
        at: 'now',
        who: 'mallory',
        lane: 'A-backend',
        rule: `path-scope${ESCAPES['OSC 52']}`,
        object: 'x',
        reason: `ok${ESCAPES['CSI 1A']}${ESCAPES['CSI 2K']}`,
        kind: 'override',
      };
      const a = forge(sb, C, auditParent || null, { 'op.json': JSON.stringify(entry) });
      const before2 = tip(sb, 'refs/lanes/audit');
      const p = sb.git(C, 'push', '-q', '--no-verify', 'origin', `${a}:refs/lanes/audit`);
      expect(p.status).not.toBe(0);
      inert(p.stderr);
      expect(tip(sb, 'refs/lanes/audit')).toBe(before2);
    },
  );
});
