// How a refusal reads: rule id, object, paths (20 at most), why, fix, override.
import { OVERRIDE_HINT, type Violation } from './types.js';

export const MAX_PATHS = 20;

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
 * A name printed so that no byte of it can fake a line, as a person can read and copy it. Plain names as they are. A name with bytes that are not
 * UTF-8 (kept as U+DC80–U+DCFF by git/exec.ts decodePath) or with control characters is quoted as
 * git quotes paths (quote_c_style, core.quotePath): in double quotes, `\"` and `\\`, the C escapes
 * `\t \n …`, every other such byte as three octal digits (`"\377.ts"`). Invisible or blank-edged
 * names are quoted so that their edges show.
 */
export function showName(name: string): string {
  const needsEscape = /[\u0000-\u001f\u007f"\\\udc80-\udcff]/.test(name);
  if (
    !needsEscape &&
    !/[\u0080-\u009f]|^\s|\s$|[\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/.test(
      name,
    )
  )
    return name;
  let out = '"';
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xdc80 && c <= 0xdcff) out += `\\${(c - 0xdc00).toString(8).padStart(3, '0')}`;
    else if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c < 0x20 || c === 0x7f) out += `\\${C_ESCAPES[c] ?? c.toString(8).padStart(3, '0')}`;
    else out += ch;
  }
  return out + '"';
}

export function formatViolation(v: Violation, overridden?: string): string {
  const lines = [
    overridden
      ? `lanes-hooks: ${v.rule} OVERRIDDEN (${showName(overridden)})`
      : `lanes-hooks: refused by ${v.rule}`,
    `  what: ${showName(v.object)}`,
  ];
  if (v.paths?.length) {
    for (const p of v.paths.slice(0, MAX_PATHS)) lines.push(`    ${showName(p)}`);
    if (v.paths.length > MAX_PATHS) lines.push(`    … and ${v.paths.length - MAX_PATHS} more`);
  }
  lines.push(`  why:  ${v.why}`);
  if (!overridden) {
    v.fix.forEach((f, i) => lines.push(`  ${i ? '      ' : 'fix:  '}${f}`));
    lines.push(`  override: ${OVERRIDE_HINT}`);
  }
  return lines.join('\n');
}
