// The audit log (docs/reference.md, "Overrides" and "The store under `refs/lanes/`"): overrides and
// promotions, one commit each at refs/lanes/audit.
import * as z from 'zod';
import { inertString } from '../util/text.js';
import { gitMaybe } from '../git/exec.js';
import { commitOp, readOps, readStore, type StoreSpec } from './store.js';

export const AUDIT_REF = 'refs/lanes/audit';

const entrySchema = z.object({
  at: inertString(),
  who: inertString(),
  lane: inertString(),
  rule: inertString(),
  object: inertString(),
  reason: inertString(),
  /**
   * override; promotion (promote); landing and rebase (land: a lane landed, a lane asked to rebase);
   * repair (store repair: a store's history rebuilt, its object "<ref> <old> -> <new>").
   */
  kind: z.enum(['override', 'promotion', 'landing', 'rebase', 'repair']),
  /** The git command it happened in (its pid and start): the hooks of one command share it. */
  operation: inertString().optional(),
});
export type AuditEntry = z.infer<typeof entrySchema>;

export const auditStore: StoreSpec<AuditEntry[], AuditEntry> = {
  ref: AUDIT_REF,
  snapshot: false,
  empty: () => [],
  apply: (entries, e) => ({ state: [...entries, e] }),
  author: (e) => e.lane,
  describe: (e) => `${e.kind}: ${e.rule} ${e.object} by ${e.who} (${e.lane})`,
  parseState: () => [],
  parseOp: (raw) => entrySchema.parse(raw),
};

/**
 * Record an entry. One overridden git command is one entry even when two of its hooks (pre-commit
 * and reference-transaction) each refused it for the same rule: the operation key tells them apart.
 */
export function recordAudit(entry: Omit<AuditEntry, 'at' | 'who'>, cwd?: string): AuditEntry {
  const full: AuditEntry = { at: new Date().toISOString(), who: auditWho(cwd), ...entry };
  if (
    full.operation &&
    recentAudit(cwd).some((e) => e.operation === full.operation && e.rule === full.rule)
  )
    return full;
  commitOp(auditStore, full, cwd);
  return full;
}

function recentAudit(cwd?: string): AuditEntry[] {
  const tip = gitMaybe(['rev-parse', '-q', '--verify', AUDIT_REF], { cwd });
  return tip ? readOps(auditStore, tip, null, cwd, 10) : [];
}

/** `at`: the store's tip when the caller already looked it up (null: no store yet). */
export const readAudit = (cwd?: string, at?: string | null): AuditEntry[] =>
  readStore(auditStore, cwd, at).state;

/**
 * Who an entry names: `lanes.identity` where set (the name the hub knows this person by, e.g. per
 * worktree with `git config --worktree lanes.identity alice`), else git's user. A hub that knows
 * its pushers accepts an entry only from the person it names (docs/server.md).
 */
export function auditWho(cwd?: string): string {
  const identity = gitMaybe(['config', '--get', 'lanes.identity'], { cwd })?.trim();
  return identity || gitUser(cwd);
}

/** "Name <email>" of whoever runs git here (git's own idea of the committer, env included). */
export function gitUser(cwd?: string): string {
  const ident = gitMaybe(['var', 'GIT_COMMITTER_IDENT'], { cwd });
  return ident ? ident.replace(/\s+\d+\s+[+-]\d{4}$/, '') : 'unknown';
}

/**
 * The rebase land asked of `branch` while it stays at `tip` (the newest such entry), or null: once
 * the lane pushes a new tip, the request is answered.
 */
export function pendingRebase(
  entries: AuditEntry[],
  branch: string,
  tip: string | null,
): AuditEntry | null {
  if (!tip) return null;
  const e = [...entries]
    .reverse()
    .find((x) => x.kind === 'rebase' && x.object.startsWith(`${branch} at `));
  return e && e.object === `${branch} at ${tip}` ? e : null;
}
