// How a refusal reads: rule id, object, paths (20 at most), why, fix, override.
import { OVERRIDE_HINT, type Violation } from './types.js';
import { inertLines, showText } from '../util/text.js';

export const MAX_PATHS = 20;

/** The one quoting function (util/text.ts), under the name the policy layer has always used. */
export const showName = showText;

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
  lines.push(`  why:  ${inertLines(v.why)}`);
  if (!overridden) {
    v.fix.forEach((f, i) => lines.push(`  ${i ? '      ' : 'fix:  '}${inertLines(f)}`));
    lines.push(`  override: ${OVERRIDE_HINT}`);
  }
  return lines.join('\n');
}
