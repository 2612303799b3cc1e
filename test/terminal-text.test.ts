// Route 9: no text a lane wrote reaches a terminal raw. A lane writes its own commit trailers,
// queue entries and (through sync) audit entries; a terminal acts on ESC sequences (OSC 52 sets
// the clipboard, CSI 1A / 2K erase the line above), BEL, a raw \r, the 8-bit C1 CSI and the bidi
// overrides. How a lane would go around it: put them in a trailer and wait for `merge`/`land`
// to print its provenance; push a store entry with them to the hub and wait for `sync` + `audit`
// or `queue list`; or forge the local store ref so that `brief` prints it. Each route is a test.
import { describe, expect, it } from 'vitest';
import { inertLines, isInertText, jsonText, showText } from '../src/util/text.js';
import { showName } from '../src/policy/format.js';
import { auditStore } from '../src/store/audit.js';
import { queueStore } from '../src/queue/model.js';
import { reviewStore } from '../src/reviews/model.js';
import { forge, hub, SLOW, tip } from './attacks/hub.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
/** Every sequence of the route, each on its own and all together. */
const ESCAPES: Record<string, string> = {
  'OSC 52': `\u001b]52;c;${b64('git push -f origin agent/A-backend:master')}\u0007`,
  'CSI 1A': '\u001b[1A',
  'CSI 2K': '\u001b[2K',
  BEL: '\u0007',
  CR: 'ok\rfake',
  'C1 CSI': '\u009b1A',
  'C1 OSC': '\u009d52;c;eA==\u009c',
  'bidi RLO': 'a\u202eb',
  'bidi isolate': '\u2067x\u2069',
  'line separator': 'a\u2028b',
  DEL: 'a\u007f',
};
const ALL = Object.values(ESCAPES).join('');

/** Nothing but a line feed of the active characters (C0, DEL, C1, bidi controls, separators). */
const ACTIVE =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
const inert = (out: string) => {
  const m = ACTIVE.exec(out);
  expect(m && JSON.stringify(out.slice(Math.max(0, m.index - 40), m.index + 10))).toBeNull();
};

describe('the one quoting function (pure)', () => {
  it.each(Object.entries({ ...ESCAPES, all: ALL }))('escapes %s', (_name, text) => {
    const shown = showText(`x ${text} y`);
    inert(shown);
    expect(shown.startsWith('"') && shown.endsWith('"')).toBe(true);
    expect(showName).toBe(showText);
    inert(inertLines(`line one ${text}\nline two`));
    expect(inertLines('a\nb')).toBe('a\nb');
    expect(isInertText(text)).toBe(false);
  });

  it('escapes as git quotes a path: C escapes, octal bytes of UTF-8, plain text untouched', () => {
    expect(showText('\u001b[2K')).toBe('"\\033[2K"');
    expect(showText('a\rb\u0007')).toBe('"a\\rb\\a"');
    expect(showText('\u009b')).toBe('"\\302\\233"');
    expect(showText('a\u202eb')).toBe('"a\\342\\200\\256b"');
    expect(showText('say "hi"')).toBe('"say \\"hi\\""');
    for (const plain of ['backend/api.ts', 'Ünïcødé 名前', 'emoji 👩\u200d💻', 'a b']) {
      expect(showText(plain)).toBe(plain);
      expect(isInertText(plain)).toBe(true);
    }
  });

  it('JSON output keeps the value and escapes what JSON.stringify leaves raw', () => {
    const value = { title: ALL, list: [ALL, 'plain'] };
    const out = jsonText(value);
    inert(out);
    expect(JSON.parse(out)).toEqual(value);
  });

  it('the store schemas refuse active characters in every text field', () => {
    const at = '2026-12-06T00:00:00Z';
    for (const text of Object.values(ESCAPES)) {
      const claim = { op: 'claim', role: text, owner: 'o', branch: 'agent/A-backend', task: null };
      expect(() => queueStore.parseOp({ ...claim, at, by: 'x', lane: 'A-backend' })).toThrow();
      const add = { op: 'add', title: text, role: null, at, by: 'x', lane: 'A-backend' };
      expect(() => queueStore.parseOp(add)).toThrow();
      const entry = {
        at,
        who: 'x',
        lane: 'A',
        rule: text,
        object: 'o',
        reason: 'r',
        kind: 'override',
      };
      expect(() => auditStore.parseOp(entry)).toThrow();
      const review = {
        kind: 'finding',
        reviewer: 'D-arch',
        target: 'A-backend',
        sha: 'a'.repeat(40),
        text,
        severity: 'info',
        at,
        by: 'x',
      };
      expect(() => reviewStore.parseOp(review)).toThrow();
      // The same entries with plain text are accepted: the refusal is the text, not the shape.
      expect(
        queueStore.parseOp({ ...claim, role: 'A-backend', at, by: 'x', lane: 'A' }),
      ).toBeTruthy();
      expect(auditStore.parseOp({ ...entry, rule: 'path-scope' })).toBeTruthy();
      expect(reviewStore.parseOp({ ...review, text: 'fine' })).toBeTruthy();
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
      `feat: api ${ALL}\n\n${trailers}`,
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
