import * as z from 'zod';

// Text from a lane on a terminal: the one quoting function every command prints lane text through,
// and the test the stores' schemas use to refuse such text before anyone prints it.
//
// Who writes the text: a lane writes its own commit subjects and trailers, branch and file names,
// queue titles, owners and roles, review findings and (through `sync`) audit entries. A terminal
// executes what it reads: ESC sequences (OSC 52 sets the clipboard, CSI 1A / 2K erase the line
// above), their 8-bit C1 forms (U+009B is CSI on many terminals), a raw \r that rewinds the line,
// and the bidi overrides that reorder what a person reads (U+202E, "Trojan Source",
// CVE-2021-42574). None of them may reach a terminal as it is.

const C_ESCAPES: Record<number, string> = {
  7: 'a',
  8: 'b',
  9: 't',
  10: 'n',
  11: 'v',
  12: 'f',
  13: 'r',
};

/**
 * Characters that a terminal or a bidi-aware renderer acts on instead of showing: C0 controls,
 * DEL, C1 controls, the Unicode format characters that move or hide text (bidi marks, embeddings,
 * overrides and isolates, the Arabic letter mark, zero-width space, word joiner and its invisible
 * operators, the BOM, the interlinear annotation marks) and the line and paragraph separators.
 * ZWJ and ZWNJ (U+200C, U+200D) stay: emoji and Persian words need them and they move nothing.
 */
const ACTIVE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/u;
const ACTIVE_G = new RegExp(ACTIVE.source, 'gu');

/** Whether a store's text field is acceptable: no character of ACTIVE in it. */
export const isInertText = (s: string): boolean => !ACTIVE.test(s);

/** The zod message the stores' schemas give for a text field that fails isInertText. */
export const INERT_TEXT_MESSAGE =
  'control characters (ESC, \\r, C1, bidi overrides, …) are not allowed in store text';

const octal = (c: number) => `\\${c.toString(8).padStart(3, '0')}`;

/** One active character as git's quote_c_style writes a byte: a C escape, else octal bytes. */
function escapeChar(ch: string): string {
  const c = ch.codePointAt(0)!;
  if (c >= 0xdc80 && c <= 0xdcff) return octal(c - 0xdc00); // a non-UTF-8 byte (git/exec.ts)
  if (c < 0x20 || c === 0x7f) return C_ESCAPES[c] ? `\\${C_ESCAPES[c]}` : octal(c);
  // Above U+007F: its UTF-8 bytes in octal, as git prints a non-ASCII path with core.quotePath.
  return [...Buffer.from(ch, 'utf8')].map(octal).join('');
}

/**
 * A string from a store, a commit or a config, printed so that no character of it can act on a
 * terminal or fake a line, as a person can read and copy it. Plain text as it is. Text with bytes
 * that are not UTF-8 (kept as U+DC80–U+DCFF by git/exec.ts decodePath), with active characters
 * (ACTIVE) or with blank edges is quoted as git quotes paths (quote_c_style, core.quotePath): in
 * double quotes, `\"` and `\\`, the C escapes `\t \n …`, every other such character as the octal
 * of its bytes (`"\377.ts"`, `"\342\200\256"` for U+202E).
 */
export function showText(text: string): string {
  // The `u` flag: a surrogate pair (an emoji) is one character, a lone U+DC80–U+DCFF a non-UTF-8 byte.
  if (!/[\u0000-\u001f\u007f"\\\udc80-\udcff]|^\s|\s$/u.test(text) && !ACTIVE.test(text))
    return text;
  let out = '"';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ACTIVE.test(ch) || (c >= 0xdc80 && c <= 0xdcff)) out += escapeChar(ch);
    else out += ch;
  }
  return out + '"';
}

/**
 * A whole message composed by lanes-hooks (a refusal, a report line) made safe for a terminal:
 * its own line breaks stay, every other active character is escaped as showText escapes it. The
 * net under showText: a field that a message builder forgot to quote still cannot act.
 */
export const inertLines = (message: string): string =>
  message.replace(ACTIVE_G, (ch) => (ch === '\n' ? ch : escapeChar(ch)));

/**
 * JSON for stdout (`--json`): JSON.stringify escapes C0 controls in strings but leaves C1
 * controls, bidi overrides and U+2028 as they are; here every active character in a string is a
 * `\uXXXX` escape too, so the JSON is the same value and inert on a terminal. Outside strings
 * JSON.stringify writes only its own indentation, the one place a raw \n is left.
 */
export const jsonText = (value: unknown): string =>
  JSON.stringify(value, null, 2).replace(ACTIVE_G, (ch) =>
    ch === '\n' ? ch : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

/**
 * A store's text field (queue, reviews, audit): a string with no active character. The hub replays
 * every pushed store operation through the same schemas, so it refuses such text too.
 */
export const inertString = () => z.string().refine(isInertText, { message: INERT_TEXT_MESSAGE });
