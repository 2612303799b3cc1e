// Where a JSON text is broken, as a person fixes it: line, column and what was expected there.
// Node's JSON.parse reports a character offset at best, and on Node 20 often nothing but the
// token ("Unexpected token '}', … is not valid JSON"), so the text is scanned here once more,
// following the grammar of RFC 8259, only when JSON.parse has already failed.

export interface JsonSyntaxError {
  /** 1-based. */
  line: number;
  /** 1-based, in characters. */
  column: number;
  message: string;
  /** The text of the bad line. */
  text: string;
}

class Stop {
  constructor(
    readonly at: number,
    readonly message: string,
  ) {}
}

/** The first syntax error in `text`, or null when it is valid JSON. */
export function jsonSyntaxError(text: string): JsonSyntaxError | null {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const fail = (message: string, at = i): never => {
    throw new Stop(at, at >= text.length ? 'unexpected end of file' : message);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = () => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text[i]!;
      if (c === '"') return void i++;
      if (c === '\n') fail('unterminated string (a string cannot span lines)');
      if (c.charCodeAt(0) < 0x20) fail('control character in a string (escape it, e.g. \\t)');
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6)))
            fail('expected four hex digits after \\u', i + 2);
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail('invalid escape in a string', i);
        i += 2;
        continue;
      }
      i++;
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    number.lastIndex = i;
    if (number.test(text) && number.lastIndex > i) return void (i = number.lastIndex);
    for (const word of ['true', 'false', 'null'])
      if (text.startsWith(word, i)) return void (i += word.length);
    if (c === "'") fail('expected a value (JSON strings take double quotes)');
    fail('expected a value');
  };
  const object = () => {
    i++;
    ws();
    if (text[i] === '}') return void i++;
    for (;;) {
      ws();
      if (text[i] !== '"')
        fail(text[i] === '}' ? 'expected a key (JSON has no trailing commas)' : 'expected a "key"');
      string();
      ws();
      if (text[i] !== ':') fail("expected ':'");
      i++;
      value();
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') return void i++;
      fail("expected ',' or '}'");
    }
  };
  const array = () => {
    i++;
    ws();
    if (text[i] === ']') return void i++;
    for (;;) {
      ws();
      if (text[i] === ']') fail('expected a value (JSON has no trailing commas)');
      value();
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') return void i++;
      fail("expected ',' or ']'");
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail('expected the end of the file after the value');
    return null;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    const at = Math.min(e.at, text.length);
    const before = text.slice(0, at);
    const lineStart = before.lastIndexOf('\n') + 1;
    const lineEnd = text.indexOf('\n', at) === -1 ? text.length : text.indexOf('\n', at);
    return {
      line: before.split('\n').length,
      column: at - lineStart + 1,
      message: e.message,
      text: text.slice(lineStart, lineEnd).replace(/\r$/, ''),
    };
  }
}

/** The bad line and a caret under the column, as compilers show it (tabs kept, so it lines up). */
export function caretLines(text: string, column: number): string[] {
  const pad = text.slice(0, column - 1).replace(/[^\t]/g, ' ');
  return [`  ${text}`, `  ${pad}^`];
}

/**
 * A loader message's first line with its position the way compilers and editors take it:
 * `master:.lanesrc.json: line 3, column 14: expected a "key"` reads
 * `master:.lanesrc.json:3:14: expected a "key"`. Lines without a position are left as they are
 * (a schema error names its key path: `.lanesrc.json: roles.B-ui.paths[1]: expected string`).
 */
export function compactProblem(message: string): string {
  const first = message.split('\n')[0]!;
  return first.replace(
    /^(.*?): line (\d+)(?:, column (\d+))?: /,
    (_, file: string, line: string, col?: string) => `${file}:${line}${col ? `:${col}` : ''}: `,
  );
}
