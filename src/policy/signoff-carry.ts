// Sign-offs across a clean rebase (docs/reference.md, "Sign-offs across a rebase"): a sign-off of
// one SHA counts for another only where the config allows it and the lane's own commits are
// unchanged — the same number, in the same order, each with the same stable patch id and the same
// paths, none a merge. Pure: merge, land and the hub's check of a recorded carry-over all ask it.
import type { LanesConfig } from '../config/schema.js';

/** What the rule needs of one of the lane's own commits (git/patch-ids.ts gathers it). */
export interface OwnCommitFact {
  commit: string;
  merge: boolean;
  patchId: string | null;
  paths: string[];
}

/** Why the sign-off of `from` does not carry to `to`, or null when it does. */
export function carryOverProblem(
  config: LanesConfig,
  from: { sha: string; own: OwnCommitFact[] },
  to: { sha: string; own: OwnCommitFact[] },
): string | null {
  const f = from.sha.slice(0, 12);
  const t = to.sha.slice(0, 12);
  if (!config.reviews.carryOver)
    return 'reviews.carryOver is off: a sign-off counts for its exact SHA only';
  if (from.sha === to.sha) return null;
  if (!to.own.length) return `${t} has no commits of its own beyond integration`;
  if (from.own.length !== to.own.length)
    return `${f} has ${from.own.length} commits of its own and ${t} has ${to.own.length}`;
  for (const [i, a] of from.own.entries()) {
    const b = to.own[i]!;
    const which = `commit ${i + 1} of ${from.own.length} (${a.commit.slice(0, 12)} -> ${b.commit.slice(0, 12)})`;
    if (a.merge || b.merge) return `${which} is a merge: its resolution has no patch id`;
    if (a.patchId === null || b.patchId === null || a.patchId !== b.patchId)
      return `${which} changed: its patch differs (git range-diff ${f}...${t} shows how)`;
    if (a.paths.join('\0') !== b.paths.join('\0')) return `${which} changes other paths`;
  }
  return null;
}
