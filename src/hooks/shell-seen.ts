// What the after-shell report already named: a shell command is blamed only for what IT changed.
// The worktree check after a shell tool (agent-hook) sees every file outside the lane's scope,
// including one an earlier command left behind and the model was already told about; naming that
// again under the next command ("exec_command changed the worktree") blames the wrong command.
// Each report records, per path outside the scope, how the file stood (size, change time, kind);
// the next check names only paths that are new or changed since. A file put back and written
// again is reported again.
//
// Who could write this record: anything in the lane's session that can write to the git dir (a
// shell command can; file tools are refused there, hook-integrity). Forging it silences only this
// advisory report: git's pre-commit still refuses the out-of-scope change
// (test/agents.test.ts, "a forged record of reported files silences the report, not the commit").
import { lstatSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Worktree } from '../git/repo.js';

const FILE = 'lanes-hooks.shell-seen.json';

/** How `rel` stands in the worktree now: absent, or its kind, size and change time. */
function stamp(top: string, rel: string): string {
  try {
    const s = lstatSync(path.join(top, rel));
    const kind = s.isSymbolicLink() ? 'l' : s.isDirectory() ? 'd' : 'f';
    return `${kind}:${s.size}:${s.ctimeMs}:${s.mtimeMs}`;
  } catch {
    return 'gone';
  }
}

function readSeen(wt: Worktree): Record<string, string> {
  try {
    const v = JSON.parse(readFileSync(path.join(wt.gitDir, FILE), 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/**
 * Of the paths outside the scope (`outside`), those not already reported as they stand; the record
 * is replaced by the current set, so a path put back drops out of it.
 */
export function newSinceLastReport(wt: Worktree, outside: string[]): Set<string> {
  if (!wt.top) return new Set(outside);
  const seen = readSeen(wt);
  const now: Record<string, string> = {};
  const fresh = new Set<string>();
  for (const rel of outside) {
    now[rel] = stamp(wt.top, rel);
    if (seen[rel] !== now[rel]) fresh.add(rel);
  }
  try {
    writeFileSync(path.join(wt.gitDir, FILE), JSON.stringify(now));
  } catch {
    /* an unwritable git dir: every later report names all of them again, nothing is lost */
  }
  return fresh;
}
