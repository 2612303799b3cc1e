// A cheap fingerprint of everything a lane view depends on that git can move: every ref (branches,
// remote-tracking refs, the store under refs/lanes/) from one `for-each-ref`, each worktree's HEAD
// and index read as files (a detached HEAD or a new worktree is not a ref), and the stats of
// files the caller names. Equal fingerprints: nothing a recompute would see has moved, except
// uncommitted edits (the caller refreshes on a slower clock for those).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gitAsync } from './exec.js';

function stamp(file: string): string {
  try {
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}:${s.ino}`;
  } catch {
    return '-';
  }
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '-';
  }
}

/** The git dirs of the main worktree and of every linked one (`<common>/worktrees/<id>`). */
function worktreeGitDirs(commonDir: string): string[] {
  let ids: string[] = [];
  try {
    ids = readdirSync(path.join(commonDir, 'worktrees')).sort();
  } catch {
    // no linked worktrees
  }
  return [commonDir, ...ids.map((id) => path.join(commonDir, 'worktrees', id))];
}

export async function refsFingerprint(commonDir: string, files: string[] = []): Promise<string> {
  const refs = await gitAsync(['for-each-ref', '--format=%(objectname) %(refname)'], {
    cwd: commonDir,
  });
  const parts = [refs ?? '(for-each-ref failed)'];
  for (const dir of worktreeGitDirs(commonDir))
    parts.push(
      `${dir} ${readOr(path.join(dir, 'HEAD'))} ${stamp(path.join(dir, 'index'))} ${stamp(path.join(dir, 'config.worktree'))} ${readOr(path.join(dir, 'gitdir'))}`,
    );
  parts.push(stamp(path.join(commonDir, 'config')));
  for (const f of files) parts.push(`${f} ${stamp(f)}`);
  return parts.join('\n');
}
