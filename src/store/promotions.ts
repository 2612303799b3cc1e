// Promotions in the audit log: however release is moved from the coordinator (`promote`, or a
// plain `git push` of the release branch, seen by pre-push), the move is recorded once and the log
// is shared with the remote before the release lands there.
import { EXIT, UserError } from '../util/errors.js';
import type { LanesConfig } from '../config/schema.js';
import { auditStore, readAudit, recordAudit } from './audit.js';
import { syncStores } from './sync.js';

/** Whether the local audit log already records a promotion of release to `sha`. */
export function promotionRecorded(sha: string): boolean {
  return readAudit().some((e) => e.kind === 'promotion' && e.object.endsWith(`-> ${sha}`));
}

/**
 * Record a promotion of release to `target` (once) and share the audit log with the remote, so
 * that a hub requiring the entry (server.requirePromotionAudit) finds it with the release move.
 */
export async function recordPromotion(
  config: LanesConfig,
  before: string | null,
  target: string,
  reason: string,
  lane: string,
  /** The remote's store refs a fetch of this command just brought (promote): not fetched again. */
  fetched?: Map<string, string>,
): Promise<void> {
  if (!promotionRecorded(target))
    recordAudit({
      lane,
      rule: 'release-exact-sha',
      object: `${config.release}: ${before ?? '(none)'} -> ${target}`,
      reason,
      kind: 'promotion',
    });
  const [report] = await syncStores([auditStore], config.remote, undefined, undefined, {
    fetched,
  });
  if (report?.lost.length)
    throw new UserError(
      `the audit log could not be shared: ${report.lost.join('; ')}`,
      EXIT.conflict,
    );
}
