// Temporary worktrees (land's checks): a detached checkout of one exact SHA beside the repository,
// removed afterwards whatever the checks did in it.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { git, gitMaybe } from './exec.js';

/** `git worktree add --detach <tmp> <sha>`: the directory, holding exactly that commit's tree. */
export function addTempWorktree(sha: string, cwd?: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lanes-land-'));
  rmSync(dir, { recursive: true, force: true });
  git(['worktree', 'add', '--quiet', '--detach', dir, sha], { cwd });
  return dir;
}

/** Remove it (forced: the checks may have left files), and its administrative entry. */
export function removeTempWorktree(dir: string, cwd?: string): void {
  if (gitMaybe(['worktree', 'remove', '--force', '--force', dir], { cwd }) === null) {
    rmSync(dir, { recursive: true, force: true });
    gitMaybe(['worktree', 'prune'], { cwd });
  }
}
