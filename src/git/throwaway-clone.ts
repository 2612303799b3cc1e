// land's checks run lane code, so they get a throwaway clone of one exact SHA, not a worktree of the
// coordinator's repository: a linked worktree shares the coordinator's git directory (its refs,
// config, hooks and stores), so a check script could move integration or forge a store entry there.
// The clone is a fresh `git init` that fetched that one commit by SHA (a local fetch copies the
// objects: nothing is hardlinked or shared through alternates), with no remote, no FETCH_HEAD and
// nothing of the user's or the system's git config.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { git, gitMaybe } from './exec.js';
import { listWorktrees } from './repo.js';

/** The prefix of every throwaway directory, and of the temporary worktrees older versions made. */
export const CHECK_DIR_PREFIX = 'lanes-land-';

/** The environment for git in the clone: no GIT_* of the caller, no user or system config. */
function bareGitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_')) env[k] = v;
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
  };
}

export interface ThrowawayClone {
  /** The directory holding both: removed as a whole. */
  box: string;
  /** The checkout of the SHA (where the checks run). */
  repo: string;
  /** An empty home for the checks (HOME): the user's dotfiles and credentials are not there. */
  home: string;
}

/**
 * A clone of exactly `sha` from the repository at `cwd` (default: the current one) in a new
 * temporary directory, checked out detached. Throws (and leaves nothing) when git fails.
 */
export function throwawayClone(sha: string, cwd?: string): ThrowawayClone {
  const source = path.resolve(cwd ?? '.', git(['rev-parse', '--git-common-dir'], { cwd }));
  const box = mkdtempSync(path.join(os.tmpdir(), CHECK_DIR_PREFIX));
  const repo = path.join(box, 'repo');
  const home = path.join(box, 'home');
  try {
    mkdirSync(home);
    const env = bareGitEnv();
    const pins = ['-c', 'core.hooksPath=/dev/null', '-c', 'advice.detachedHead=false'];
    git([...pins, 'init', '--quiet', repo], { env });
    // By SHA from a local path (protocol v2 serves any object the source has). --no-write-fetch-head:
    // the clone keeps no record of where it came from.
    git([...pins, 'fetch', '--quiet', '--no-tags', '--no-write-fetch-head', source, sha], {
      cwd: repo,
      env,
    });
    git([...pins, 'checkout', '--quiet', '--detach', sha], { cwd: repo, env });
    return { box, repo, home };
  } catch (e) {
    rmSync(box, { recursive: true, force: true });
    throw e;
  }
}

export function removeThrowaway(box: string): void {
  rmSync(box, { recursive: true, force: true });
}

/**
 * What an interrupted land of an older version left: temporary worktrees (`lanes-land-*` under the
 * temp directory) still registered in the coordinator's repository. Each is removed and pruned;
 * the paths removed are returned.
 */
export function removeLeftoverWorktrees(cwd?: string): string[] {
  const tmp = path.resolve(os.tmpdir());
  const gone: string[] = [];
  for (const w of listWorktrees(cwd)) {
    const dir = path.resolve(w.path);
    if (path.dirname(dir) !== tmp || !path.basename(dir).startsWith(CHECK_DIR_PREFIX)) continue;
    if (gitMaybe(['worktree', 'remove', '--force', '--force', dir], { cwd }) === null)
      rmSync(dir, { recursive: true, force: true });
    gone.push(dir);
  }
  if (gone.length) gitMaybe(['worktree', 'prune'], { cwd });
  return gone;
}
