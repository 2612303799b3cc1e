// Review findings and sign-offs (docs/reference.md, "The store under `refs/lanes/`"): kept in the
// store at refs/lanes/reviews, each against the exact SHA that was reviewed, never in the product
// tree.
import * as z from 'zod';
import { inertString } from '../util/text.js';
import type { SyncSpec } from '../store/sync.js';
import { commitOp, readStore } from '../store/store.js';

export const SEVERITIES = ['info', 'minor', 'major', 'blocker'] as const;

const reviewSchema = z.object({
  /**
   * A carryover is a reviewer's sign-off of `from` counted for `sha`, its clean rebase. A resolve
   * closes one finding of the same reviewer (`finding`: that finding's `at`, at the same `sha`): a
   * sign-off alone resolves nothing, so that "approve with comments" leaves the comments open.
   */
  kind: z.enum(['finding', 'signoff', 'carryover', 'resolve']),
  /** The review role that wrote it. */
  reviewer: inertString(),
  /** The delivery role whose branch was reviewed. */
  target: inertString(),
  sha: inertString(),
  text: inertString().nullable(),
  severity: z.enum(SEVERITIES).nullable(),
  at: inertString(),
  by: inertString(),
  /** carryover only: the SHA the reviewer signed off (or a carry-over reached). */
  from: inertString().optional(),
  /** carryover only: the integration commit both SHAs' own commits were counted from. */
  base: inertString().optional(),
  /** resolve only: the `at` of the finding it resolves (with reviewer, target and sha: which one). */
  finding: inertString().optional(),
});
export type ReviewEntry = z.infer<typeof reviewSchema>;

export const REVIEWS_REF = 'refs/lanes/reviews';

export const reviewStore: SyncSpec<ReviewEntry[], ReviewEntry> = {
  ref: REVIEWS_REF,
  snapshot: false,
  empty: () => [],
  apply: (entries, e) => ({ state: [...entries, e] }),
  author: (e) => e.reviewer,
  describe: (e) =>
    e.kind === 'signoff'
      ? `signoff: ${e.reviewer} signs off ${e.target} at ${e.sha.slice(0, 10)}`
      : e.kind === 'resolve'
        ? `resolve: ${e.reviewer} resolves its finding of ${e.finding ?? '?'} on ${e.target}`
        : e.kind === 'carryover'
          ? `carryover: ${e.reviewer}'s sign-off of ${e.target} at ${(e.from ?? '').slice(0, 10)} counts for ${e.sha.slice(0, 10)}`
          : `finding (${e.severity}): ${e.reviewer} on ${e.target} at ${e.sha.slice(0, 10)}`,
  parseState: () => [],
  parseOp: (raw) => reviewSchema.parse(raw),
};

const approves = (e: ReviewEntry) => e.kind === 'signoff' || e.kind === 'carryover';

/** The review roles that signed off `target` at exactly `sha` (a recorded carry-over names `from`). */
export const signoffsFor = (
  entries: ReviewEntry[],
  target: string,
  sha: string | null,
): { role: string; sha: string; from?: string }[] => {
  const out: { role: string; sha: string; from?: string }[] = [];
  for (const e of entries) {
    if (!approves(e) || e.target !== target || e.sha !== sha) continue;
    if (out.some((o) => o.role === e.reviewer)) continue;
    out.push(
      e.kind === 'carryover'
        ? { role: e.reviewer, sha: e.sha, from: e.from }
        : { role: e.reviewer, sha: e.sha },
    );
  }
  return out;
};

/**
 * The SHAs `reviewer` approved for `target` other than `sha` (signed off, or reached by a recorded
 * carry-over), newest first: what a sign-off could carry over from.
 */
export function approvedShas(
  entries: ReviewEntry[],
  reviewer: string,
  target: string,
  except: string,
): string[] {
  const out: string[] = [];
  for (const e of [...entries].reverse())
    if (approves(e) && e.reviewer === reviewer && e.target === target && e.sha !== except)
      if (!out.includes(e.sha)) out.push(e.sha);
  return out;
}

/** Record a carry-over (merge and land, once the rule allowed it). */
export function recordCarryOver(
  e: { reviewer: string; target: string; sha: string; from: string; base: string; by: string },
  cwd?: string,
): void {
  commitOp(
    reviewStore,
    {
      kind: 'carryover',
      reviewer: e.reviewer,
      target: e.target,
      sha: e.sha,
      from: e.from,
      base: e.base,
      text: null,
      severity: null,
      at: new Date().toISOString(),
      by: e.by,
    },
    cwd,
  );
}

/** `at`: the store's tip when the caller already looked it up (null: no store yet). */
export const readReviews = (cwd?: string, at?: string | null): ReviewEntry[] =>
  readStore(reviewStore, cwd, at).state;

/** Whether `r` (a resolve) closes finding `f`: the same reviewer, lane, SHA and finding. */
export const resolves = (r: ReviewEntry, f: ReviewEntry): boolean =>
  r.kind === 'resolve' &&
  f.kind === 'finding' &&
  r.reviewer === f.reviewer &&
  r.target === f.target &&
  r.sha === f.sha &&
  r.finding === f.at;

/**
 * Each finding of the log with its number (1, 2, … per delivery role, in the order recorded: the
 * store is append-only, so a number never changes) and whether a later resolve closed it.
 */
export function numberedFindings(
  entries: ReviewEntry[],
): { entry: ReviewEntry; n: number; resolvedBy: ReviewEntry | null }[] {
  const counts = new Map<string, number>();
  const out: { entry: ReviewEntry; n: number; resolvedBy: ReviewEntry | null }[] = [];
  entries.forEach((e, i) => {
    if (e.kind !== 'finding') return;
    const n = (counts.get(e.target) ?? 0) + 1;
    counts.set(e.target, n);
    const resolvedBy = entries.slice(i + 1).find((x) => resolves(x, e)) ?? null;
    out.push({ entry: e, n, resolvedBy });
  });
  return out;
}
