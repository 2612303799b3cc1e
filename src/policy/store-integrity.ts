// The refs/lanes/ store is append-only (LANES-SPEC §6): every change is one more commit on top.
// The hub checks each pushed operation (guard/store-updates.ts); the lanes' own layer refuses
// what no store command does: a delete, or a rewrite that drops recorded history.
import { isZeroSha } from '../util/sha.js';
import type { PushedRef } from './push.js';
import type { Context, RefUpdate, Violation } from './types.js';

const rule = 'store-integrity' as const;
export const isStoreRef = (ref: string) => ref.startsWith('refs/lanes/');

export interface StoreMoveFacts {
  /** The ref's value while the transaction is prepared (null: it does not exist). */
  current: (ref: string) => string | null;
  /** Whether `ancestor` is `descendant` or one of its ancestors. */
  descends: (descendant: string, ancestor: string) => boolean;
  /** The remote's copy of a store ref as `sync` last fetched it, which `sync` replays onto. */
  synced: (ref: string) => string | null;
}

/**
 * reference-transaction, in a lane: store refs move only forward (a commit on top, or the remote's
 * copy with this lane's operations replayed on it, as `sync` does); they are never deleted. The
 * coordinator keeps `doctor --repair`, which may reset a damaged store to an earlier state.
 */
export function storeRefMoves(ctx: Context, updates: RefUpdate[], f: StoreMoveFacts): Violation[] {
  if (ctx.lane.kind === 'coordinator') return [];
  const out: Violation[] = [];
  for (const u of updates.filter((u) => isStoreRef(u.ref))) {
    const current = f.current(u.ref);
    if (isZeroSha(u.new)) {
      out.push({
        rule,
        object: `delete ${u.ref}`,
        why: `${u.ref} is the lanes' shared record: it is never deleted`,
        fix: ['leave it; lanes-hooks sync brings the remote’s copy'],
      });
      continue;
    }
    if (!current || f.descends(u.new, current)) continue;
    const synced = f.synced(u.ref);
    if (synced && f.descends(u.new, synced)) continue;
    out.push({
      rule,
      object: `${u.ref} ${current.slice(0, 10)} -> ${u.new.slice(0, 10)}`,
      why: `not a fast-forward: ${u.ref} keeps its history (only lanes-hooks commands move it, one operation at a time)`,
      fix: [
        'lanes-hooks sync   (to take the remote’s copy)',
        'a damaged store is repaired from the coordinator: lanes-hooks doctor --repair',
      ],
    });
  }
  return out;
}

/**
 * pre-push: store refs are shared by `sync` (which pushes them itself, past this hook); a push by
 * hand that deletes one, or rewrites it where the remote's value is known here, is refused.
 */
export function storePush(
  pushed: PushedRef[],
  descends: (descendant: string, ancestor: string) => boolean,
): Violation[] {
  const out: Violation[] = [];
  for (const p of pushed.filter((p) => isStoreRef(p.remoteRef))) {
    const object = `push ${p.isDelete ? '(delete)' : p.localSha} -> ${p.remoteRef}`;
    if (p.isDelete)
      out.push({
        rule,
        object,
        why: `${p.remoteRef} is the lanes' shared record: it is never deleted`,
        fix: ['do not delete it; lanes-hooks sync shares the store'],
      });
    else if (!isZeroSha(p.remoteSha) && !descends(p.localSha, p.remoteSha))
      out.push({
        rule,
        object,
        why: `not a fast-forward of the remote's ${p.remoteRef} (${p.remoteSha.slice(0, 10)}): it would rewrite what others recorded`,
        fix: [
          'lanes-hooks sync   (replays your operations onto the remote’s and pushes a fast-forward)',
        ],
      });
  }
  return out;
}
