// The audit log (LANES-SPEC §4, §6): overrides and promotions, kept at refs/lanes/audit.
import { gitMaybe } from '../git/exec.js';
import { appendEntry, readEntries } from './log.js';

export const AUDIT_REF = 'refs/lanes/audit';

export interface AuditEntry {
  at: string;
  who: string;
  lane: string;
  rule: string;
  object: string;
  reason: string;
  kind: 'override' | 'promotion';
}

export function recordAudit(entry: Omit<AuditEntry, 'at' | 'who'>, cwd?: string): AuditEntry {
  const full: AuditEntry = { at: new Date().toISOString(), who: gitUser(cwd), ...entry };
  appendEntry(
    AUDIT_REF,
    full,
    `${full.kind}: ${full.rule} ${full.object} by ${full.who} (${full.lane})`,
    cwd,
  );
  return full;
}

export const readAudit = (cwd?: string): AuditEntry[] => readEntries<AuditEntry>(AUDIT_REF, cwd);

/** "Name <email>" of whoever runs git here (git's own idea of the committer, env included). */
function gitUser(cwd?: string): string {
  const ident = gitMaybe(['var', 'GIT_COMMITTER_IDENT'], { cwd });
  return ident ? ident.replace(/\s+\d+\s+[+-]\d{4}$/, '') : 'unknown';
}
