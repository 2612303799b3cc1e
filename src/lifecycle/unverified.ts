// Integration commits that merge/land did not make (issue 28, route 1's coordinator half). The
// coordinator's integration branch lives in the git dir every lane shares: whatever moved it there,
// status advises pushing it only when every unpushed commit is a fast-forward that merge or land
// recorded (a `landing` entry of the coordinator in refs/lanes/audit, whose local moves are
// replayed by role: a lane cannot write one). Anything else is named, with its (claimed) author.
import type { AuditEntry } from '../store/audit.js';

/** The audit object merge and land write for a move of integration: `<branch> <from> -> <to> (<lane branch>)`. */
export const landingObject = (integration: string, from: string, to: string, branch: string) =>
  `${integration} ${from} -> ${to} (${branch})`;

/**
 * Whether the recorded landings of `integration` lead, one fast-forward after another, from
 * `remoteTip` to `localTip`. Only the coordinator's entries count.
 */
export function landedByCoordinator(
  entries: readonly AuditEntry[],
  integration: string,
  remoteTip: string,
  localTip: string,
): boolean {
  const fromOf = new Map<string, string>();
  const prefix = `${integration} `;
  for (const e of entries) {
    if (e.kind !== 'landing' || e.lane !== 'coordinator' || !e.object.startsWith(prefix)) continue;
    const m = /^([0-9a-f]{40,64}) -> ([0-9a-f]{40,64}) \(/.exec(e.object.slice(prefix.length));
    if (m) fromOf.set(m[2]!, m[1]!);
  }
  const seen = new Set<string>();
  for (let t = localTip; t !== remoteTip;) {
    const from = fromOf.get(t);
    if (!from || seen.has(t)) return false;
    seen.add(t);
    t = from;
  }
  return true;
}
