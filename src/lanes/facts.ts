// Gather what resolveLane needs from git and the file system.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { LanesConfig } from '../config/schema.js';
import { listWorktrees, worktreeLanesConfig, type Worktree } from '../git/repo.js';
import { laneDir } from './names.js';
import { resolveLane, type Lane } from './resolve.js';

export function laneOf(wt: Worktree, config: LanesConfig): Lane {
  const recorded = worktreeLanesConfig(wt.top ?? wt.gitDir);
  return resolveLane(
    {
      worktreeId: wt.id,
      isMain: wt.isMain,
      recordedRole: recorded.get('lanes.role') ?? null,
      recordedFor: recorded.get('lanes.worktree') ?? null,
      recordedOwner: recorded.get('lanes.owner') ?? null,
      // Always looked up: a recorded role counts only where it agrees with the path.
      roleByPath: wt.isMain ? null : roleByPath(wt, config),
    },
    config,
  );
}

/** The coordinator checkout: the main worktree's directory (a bare hub's own directory). */
export function coordinatorDir(wt: Worktree): string {
  if (wt.isMain && wt.top) return wt.top;
  if (path.basename(wt.commonDir) === '.git') return path.dirname(wt.commonDir);
  return listWorktrees(wt.top ?? wt.gitDir)[0]?.path ?? wt.commonDir;
}

/** The role whose configured path (`worktrees`) is this worktree's directory, if any. */
export function roleByPath(wt: Worktree, config: LanesConfig): string | null {
  if (!wt.top) return null;
  const here = real(wt.top);
  const base = coordinatorDir(wt);
  for (const role of Object.keys(config.roles)) {
    if (real(laneDir(config, base, role)) === here) return role;
  }
  return null;
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}
