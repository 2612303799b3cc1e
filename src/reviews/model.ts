// Review findings and sign-offs (docs/reference.md, "The store under `refs/lanes/`"): kept in the
// store at refs/lanes/reviews, each against the exact SHA that was reviewed, never in the product
// tree.
import * as z from 'zod';
import type { SyncSpec } from '../store/sync.js';
import { readStore } from '../store/store.js';

export const SEVERITIES = ['info', 'minor', 'major', 'blocker'] as const;

const reviewSchema = z.object({
  kind: z.enum(['finding', 'signoff']),
  /** The review role that wrote it. */
  reviewer: z.string(),
  /** The delivery role whose branch was reviewed. */
  target: z.string(),
  sha: z.string(),
  text: z.string().nullable(),
  severity: z.enum(SEVERITIES).nullable(),
  at: z.string(),
  by: z.string(),
});
export type ReviewEntry = z.infer<typeof reviewSchema>;

export const REVIEWS_REF = 'refs/lanes/reviews';

export const reviewStore: SyncSpec<ReviewEntry[], ReviewEntry> = {
  ref: REVIEWS_REF,
  snapshot: false,
  empty: () => [],
  apply: (entries, e) => ({ state: [...entries, e] }),
  describe: (e) =>
    e.kind === 'signoff'
      ? `signoff: ${e.reviewer} signs off ${e.target} at ${e.sha.slice(0, 10)}`
      : `finding (${e.severity}): ${e.reviewer} on ${e.target} at ${e.sha.slice(0, 10)}`,
  parseState: () => [],
  parseOp: (raw) => reviewSchema.parse(raw),
};

/** The review roles that signed off `target` at exactly `sha`. */
export const signoffsFor = (
  entries: ReviewEntry[],
  target: string,
  sha: string | null,
): { role: string; sha: string }[] =>
  entries
    .filter((e) => e.kind === 'signoff' && e.target === target && e.sha === sha)
    .map((e) => ({ role: e.reviewer, sha: e.sha }));

export const readReviews = (cwd?: string): ReviewEntry[] => readStore(reviewStore, cwd).state;
