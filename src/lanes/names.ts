// Branch and path names derived from the config's templates, in one place.
import path from 'node:path';
import type { LanesConfig } from '../config/schema.js';

export const heads = (branch: string): string => `refs/heads/${branch}`;
export const shortBranch = (ref: string): string => ref.replace(/^refs\/heads\//, '');

export const roleBranch = (c: LanesConfig, role: string): string =>
  c.branches.role.replaceAll('{role}', role);
export const reviewBranch = (c: LanesConfig, role: string): string =>
  c.branches.review.replaceAll('{role}', role);
export const integrationRef = (c: LanesConfig): string => heads(c.integration);
export const releaseRef = (c: LanesConfig): string => heads(c.release);
export const remoteRef = (remote: string, branch: string): string =>
  `refs/remotes/${remote}/${branch}`;

/** The role a branch name was made for by `template` (`review/{role}`), or null. */
export function roleFromTemplate(template: string, branch: string): string | null {
  const at = template.indexOf('{role}');
  const prefix = template.slice(0, at);
  const suffix = template.slice(at + '{role}'.length);
  if (!branch.startsWith(prefix) || !branch.endsWith(suffix)) return null;
  const role = branch.slice(prefix.length, branch.length - suffix.length);
  return role && !role.includes('/') ? role : null;
}

/** Where a role's worktree lives: `worktrees` resolved against the coordinator checkout. */
export const laneDir = (c: LanesConfig, coordinatorDir: string, role: string): string =>
  path.resolve(coordinatorDir, c.worktrees.replaceAll('{role}', role));
