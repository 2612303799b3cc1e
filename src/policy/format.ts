// How a refusal reads: rule id, object, paths (20 at most), why, fix, override.
import { OVERRIDE_HINT, type Violation } from './types.js';

export const MAX_PATHS = 20;

/** A name printed so that no byte of it can fake a line: quoted when it is not plain. */
export function showName(name: string): string {
  return /[\u0000-\u001f\u007f-\u009f"\\]|^\s|\s$|[\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/.test(
    name,
  )
    ? JSON.stringify(name)
    : name;
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
