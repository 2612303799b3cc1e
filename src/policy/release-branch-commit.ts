// Nothing but `promote` moves the release branch (docs/reference.md, "Rules, layer by layer").
import { releaseRef, remoteRef, shortBranch } from '../lanes/names.js';
import { isZeroSha } from '../util/sha.js';
import type { Context, RefUpdate, Violation } from './types.js';

const why = (ctx: Context) =>
  `${ctx.config.release} is moved only by \`lanes-hooks promote\`, to one exact SHA already on ${ctx.config.integration}`;

/** pre-commit: the friendlier, earlier refusal of a commit on the release branch. */
export function releaseCommit(ctx: Context, branch: string | null): Violation[] {
  if (branch !== releaseRef(ctx.config)) return [];
  return [
    {
      rule: 'release-branch-commit',
      object: `commit on ${shortBranch(branch)}`,
      why: why(ctx),
      fix: [
        ctx.lane.ownBranch
          ? `git switch ${shortBranch(ctx.lane.ownBranch)}`
          : `git switch ${ctx.config.integration}`,
        'then promote a SHA of the integration branch: lanes-hooks promote <sha>',
      ],
    },
  ];
}

export interface ReleaseMoveFacts {
  /** The remote's release as last fetched: mirroring it is not moving release. */
  remoteRelease: string | null;
  /**
   * Whether `sha` is a promotion: recorded as one in the audit log and on the remote's
   * integration. Asked only in the coordinator; no environment variable stands in for it.
   */
  promoted: (sha: string) => boolean;
  /** How to put files back if the refused command had moved them. */
  restore: string[];
}

/** reference-transaction: any update (or delete) of the local release branch that is not a promotion. */
export function releaseRefMoves(
  ctx: Context,
  updates: RefUpdate[],
  f: ReleaseMoveFacts,
): Violation[] {
  const ref = releaseRef(ctx.config);
  const coordinator = ctx.lane.kind === 'coordinator';
  return updates
    .filter((u) => u.ref === ref)
    .filter(
      // Deleting the local copy moves nothing the remote holds; a lane still leaves it alone
      // (every worktree shares it), the coordinator may (promote or a fetch brings it back).
      (u) =>
        isZeroSha(u.new)
          ? !coordinator
          : u.new !== f.remoteRelease && !(coordinator && f.promoted(u.new)),
    )
    .map((u) => ({
      rule: 'release-branch-commit' as const,
      object: isZeroSha(u.new) ? `delete ${ref}` : `${ref} -> ${u.new}`,
      why: isZeroSha(u.new)
        ? `${ctx.config.release} is shared by every worktree: a lane neither moves nor deletes it`
        : `${why(ctx)}; ${coordinator ? 'a move must be a promotion recorded in the audit log, or' : 'here it may only'} mirror ${remoteRef(ctx.config.remote, ctx.config.release)}`,
      fix: ['lanes-hooks promote <sha-on-integration>   (from the coordinator)', ...f.restore],
    }));
}
