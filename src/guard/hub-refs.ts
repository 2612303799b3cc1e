// The hub's refs as one guard run reads them. Every push asks about the same few (integration,
// and the queue, reviews and audit stores): they are listed by one `git for-each-ref` the first
// time one is asked, instead of a `git rev-parse` each, and integration was resolved twice (issue
// 31: a lane branch push started 17 git processes at the hub, docs/speed.md). Any other ref is
// read when first asked. Each is read once per run: a ref that moved while the guard ran (another
// push) would be judged from its first value either way.
//
// The listed refs are matched exactly (for-each-ref lists a pattern's refs; only the full name is
// taken): a `git rev-parse refs/lanes/queue` also takes `refs/heads/refs/lanes/queue` when the
// queue is absent, a branch any pusher may create. Reading the exact name is the hub's own ref.
import { refValues, resolveRef } from '../git/repo.js';

/** A ref's value as this run reads it (null: absent). */
export type HeldRef = (ref: string) => string | null;

/** `listed`: full ref names (refs/…) read together on the first ask of any of them. */
export function heldRefs(listed: readonly string[]): HeldRef {
  const names = [...new Set(listed.filter((r) => r.startsWith('refs/')))];
  let together: Map<string, string | null> | null = null;
  const seen = new Map<string, string | null>();
  return (ref) => {
    const known = seen.get(ref);
    if (known !== undefined) return known;
    let value: string | null;
    if (names.includes(ref)) {
      together ??= refValues(names);
      value = together.get(ref) ?? null;
    } else value = resolveRef(ref);
    seen.set(ref, value);
    return value;
  };
}
