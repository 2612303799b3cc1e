// Route 9: no text a lane wrote reaches a terminal raw. A lane writes its own commit trailers,
// queue entries and (through sync) audit entries; a terminal acts on ESC sequences (OSC 52 sets
// the clipboard, CSI 1A / 2K erase the line above), BEL, a raw \r, the 8-bit C1 CSI and the bidi
// overrides. How a lane would go around it: put them in a trailer and wait for `merge`/`land`
// to print its provenance; push a store entry with them to the hub and wait for `sync` + `audit`
// or `queue list`; or forge the local store ref so that `brief` prints it. Each route is a test:
// here the one quoting function, in process; every command with real git in
// test/deep/terminal-text.test.ts.
import { describe, expect, it } from 'vitest';
import { inertLines, isInertText, jsonText, showText } from '../src/util/text.js';
import { showName } from '../src/policy/format.js';
import { auditStore } from '../src/store/audit.js';
import { queueStore } from '../src/queue/model.js';
import { reviewStore } from '../src/reviews/model.js';
import { ALL, ESCAPES, inert } from './helpers/terminal-text.js';

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
