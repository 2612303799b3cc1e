// Route 9's hostile text (test/terminal-text.test.ts, the pure breadth; test/deep/terminal-text.test.ts,
// every command with real git): the terminal sequences a lane would plant, and the check that a
// command's output holds none of them raw.
import { expect } from 'vitest';

const b64 = (s: string) => Buffer.from(s).toString('base64');
/** Every sequence of the route, each on its own and all together. */
export const ESCAPES: Record<string, string> = {
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
export const ALL = Object.values(ESCAPES).join('');

/** Nothing but a line feed of the active characters (C0, DEL, C1, bidi controls, separators). */
export const ACTIVE =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
export const inert = (out: string) => {
  const m = ACTIVE.exec(out);
  expect(m && JSON.stringify(out.slice(Math.max(0, m.index - 40), m.index + 10))).toBeNull();
};
