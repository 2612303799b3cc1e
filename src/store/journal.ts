// What this worktree's own lanes-hooks wrote into the shared store (issue 28, route a). Every
// worktree of a repository shares refs/lanes/*: a lane that skips the hooks
// (`git -c core.hooksPath=/dev/null update-ref`) can put an entry in another role's name there, and
// that role's own `sync` would carry it to the hub under its identity. So each store write made by
// this CLI (commitOp) is noted in the worktree's own git directory, by the content of the
// operation, and `sync` pushes only entries a journal vouches for (store/sync.ts).
//
// What this does not do: the journal is a file the same OS user can write, so a lane that knows
// about it can append to another worktree's journal too. It raises the bar (a forgery needs two
// coordinated writes in another worktree's git directory); the boundary is one OS user or container
// and one hub identity per lane (docs/server.md, "What the coordinator trusts").
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gitMaybe } from '../git/exec.js';

const FILE = 'lanes-journal';

/** Canonical JSON (sorted keys): one operation, one key, whatever its serialisation. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );
}

export const opKey = (ref: string, op: unknown): string =>
  `${ref} ${createHash('sha256').update(canonical(op)).digest('hex')}`;

/** The journal of the worktree at `cwd` (its own git directory, not the shared one). */
export function journalFile(cwd?: string): string | null {
  const dir = gitMaybe(['rev-parse', '--absolute-git-dir'], { cwd });
  return dir ? path.join(dir, FILE) : null;
}

/** Note that this worktree's lanes-hooks wrote `op` to `ref`. A journal that cannot be written costs only the vouching. */
export function noteWritten(ref: string, op: unknown, cwd?: string): void {
  const file = journalFile(cwd);
  if (!file) return;
  try {
    appendFileSync(file, opKey(ref, op) + '\n');
  } catch {
    /* read-only git directory: sync then holds the entry back and says why */
  }
}

/** The keys a worktree's journal holds (its git directory). */
export function readJournal(gitDir: string): Set<string> {
  try {
    return new Set(readFileSync(path.join(gitDir, FILE), 'utf8').split('\n').filter(Boolean));
  } catch {
    return new Set();
  }
}
