// Lanes commit only on their own branch; review branches are read-only mirrors (docs/reference.md,
// "Rules, layer by layer").
import { isZeroSha } from '../util/sha.js';
import {
  heads,
  integrationRef,
  releaseRef,
  roleBranch,
  roleFromTemplate,
  remoteRef,
  shortBranch,
} from '../lanes/names.js';
import type { PushedRef } from './push.js';
import type { Context, RefUpdate, Violation } from './types.js';

/** pre-commit: the branch being committed on. Detached commits during a rebase/am are the rebase's. */
export function laneCommitBranch(
  ctx: Context,
  branch: string | null,
  transient: boolean,
): Violation[] {
  const { lane } = ctx;
  if (!lane.ownBranch || (lane.kind !== 'delivery' && lane.kind !== 'review')) return [];
  if (branch === lane.ownBranch) return [];
  if (branch === null && (transient || lane.kind === 'review')) return []; // review: review-detached-head speaks
  if (branch === releaseRef(ctx.config)) return []; // release-branch-commit speaks
  const mirrorOf = branch
    ? roleFromTemplate(ctx.config.branches.review, shortBranch(branch))
    : null;
  return [
    {
      rule: 'lane-branch',
      object: `commit on ${branch ? shortBranch(branch) : 'a detached HEAD'}`,
      why: mirrorOf
        ? `${shortBranch(branch!)} is a read-only mirror of ${roleBranch(ctx.config, mirrorOf)}; the ${lane.role} lane commits only on ${shortBranch(lane.ownBranch)}`
        : `the ${lane.role} lane commits only on ${shortBranch(lane.ownBranch)}`,
      fix: [
        `git switch ${shortBranch(lane.ownBranch)}   (git stash first to carry uncommitted work)`,
      ],
    },
  ];
}

export interface BranchMoveFacts {
  /** The branch HEAD is attached to while the transaction is prepared. */
  headBranch: string | null;
  /** Current value of each ref a review mirror may point at (local and remote delivery branches). */
  refValue: (ref: string) => string | null;
  restore: string[];
}

/** The refs a review mirror of `role` may point at. */
export function mirrorSources(ctx: Context, role: string): string[] {
  const b = roleBranch(ctx.config, role);
  return [heads(b), remoteRef(ctx.config.remote, b)];
}

/** The delivery role a review branch mirrors, or null when `ref` is no review branch. */
export const mirroredRole = (ctx: Context, ref: string): string | null =>
  ref.startsWith('refs/heads/')
    ? roleFromTemplate(ctx.config.branches.review, shortBranch(ref))
    : null;

/** reference-transaction: review mirrors only follow their delivery branch; lanes move only their own branch. */
export function laneBranchMoves(
  ctx: Context,
  updates: RefUpdate[],
  f: BranchMoveFacts,
): Violation[] {
  const out: Violation[] = [];
  for (const u of updates) {
    const role = mirroredRole(ctx, u.ref);
    if (role === null || isZeroSha(u.new)) continue;
    const sources = mirrorSources(ctx, role);
    if (sources.some((s) => f.refValue(s) === u.new)) continue;
    out.push({
      rule: 'lane-branch',
      object: `${u.ref} -> ${u.new}`,
      why: `${shortBranch(u.ref)} is a read-only mirror: it may only point where ${sources.map(shortBranch).join(' or ')} points`,
      fix: [
        `git switch -C ${shortBranch(u.ref)} ${sources[1]!.replace('refs/remotes/', '')}   (after git fetch ${ctx.config.remote})`,
        ...f.restore,
      ],
    });
  }
  const { lane } = ctx;
  if (
    (lane.kind === 'delivery' || lane.kind === 'review') &&
    f.headBranch &&
    updates.some((u) => u.ref === 'HEAD')
  ) {
    const governedElsewhere = [lane.ownBranch, integrationRef(ctx.config), releaseRef(ctx.config)];
    const moved = updates.find((u) => u.ref === f.headBranch);
    if (moved && !governedElsewhere.includes(moved.ref) && mirroredRole(ctx, moved.ref) === null) {
      out.push({
        rule: 'lane-branch',
        object: `${moved.ref} -> ${moved.new}`,
        why: `the ${lane.role} lane moves only ${shortBranch(lane.ownBranch!)}`,
        fix: [`git switch ${shortBranch(lane.ownBranch!)}`, ...f.restore],
      });
    }
  }
  return out;
}

/**
 * reference-transaction: a lane deletes no branch but its own (branches are shared by every
 * worktree: another lane's branch, or a review mirror, deleted here is gone there). Nor its own
 * while it is checked out here: \`git branch -m\` renames by such a delete, and git runs no hook
 * for the name it creates. Integration and release have their own rules; the coordinator is free.
 */
export function laneRefDeletes(
  ctx: Context,
  updates: RefUpdate[],
  headBranch: string | null,
): Violation[] {
  const { lane, config } = ctx;
  if (lane.kind === 'coordinator') return [];
  const out: Violation[] = [];
  for (const u of updates) {
    if (!isZeroSha(u.new) || !u.ref.startsWith('refs/heads/')) continue;
    if (u.ref === integrationRef(config) || u.ref === releaseRef(config)) continue;
    const branch = shortBranch(u.ref);
    const role = roleFromTemplate(config.branches.role, branch);
    const mirror = roleFromTemplate(config.branches.review, branch);
    const laneBranch = role !== null && !!config.roles[role];
    const mirrorBranch = mirror !== null && !!config.roles[mirror];
    if (u.ref === lane.ownBranch ? u.ref !== headBranch : !laneBranch && !mirrorBranch) continue;
    if (mirrorBranch && !laneBranch && lane.kind === 'review') continue; // its own mirrors
    out.push({
      rule: 'lane-branch',
      object: `delete ${u.ref}`,
      why:
        u.ref === lane.ownBranch
          ? `${branch} is this lane's branch, checked out here: deleting or renaming it leaves the lane without its branch`
          : `the ${lane.role ?? 'unassigned'} lane moves or deletes no ref but its own; ${branch} belongs to ${laneBranch ? `the ${role} lane` : `the review of ${mirror}`}`,
      fix: [
        lane.ownBranch
          ? `leave it; work on ${shortBranch(lane.ownBranch)}`
          : 'leave it; the coordinator manages lane branches',
      ],
    });
  }
  return out;
}

/**
 * pre-push: a lane pushes only its own branch among the lane branches. Pushing another lane's
 * `agent/<role>` (or a review mirror) would hand that lane commits it never made.
 */
export function lanePush(ctx: Context, pushed: PushedRef[]): Violation[] {
  const { lane, config } = ctx;
  if (lane.kind !== 'delivery' && lane.kind !== 'review') return [];
  const out: Violation[] = [];
  for (const p of pushed) {
    // Deletes too: a lane deletes no branch but its own on the remote either.
    if (p.remoteRef === lane.ownBranch || !p.remoteRef.startsWith('refs/heads/')) continue;
    const branch = shortBranch(p.remoteRef);
    const role = roleFromTemplate(config.branches.role, branch);
    const mirror = roleFromTemplate(config.branches.review, branch);
    if ((role === null || !config.roles[role]) && (mirror === null || !config.roles[mirror]))
      continue;
    out.push({
      rule: 'lane-branch',
      object: `push ${p.isDelete ? '(delete)' : p.localRef} -> ${p.remoteRef}`,
      why: `the ${lane.role} lane pushes (and deletes) only ${shortBranch(lane.ownBranch!)}; ${branch} belongs to ${role ?? `the review of ${mirror}`}`,
      fix: [`git push ${config.remote} ${shortBranch(lane.ownBranch!)}`],
    });
  }
  return out;
}
