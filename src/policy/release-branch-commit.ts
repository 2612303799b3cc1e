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
  /** The SHA `promote` is moving release to, already checked to be on the remote's integration. */
  promoteSha: string | null;
  /** How to put files back if the refused command had moved them. */
  restore: string[];
}

/** reference-transaction: any update of the local release branch that is not a promotion. */
export function releaseRefMoves(
  ctx: Context,
  updates: RefUpdate[],
  f: ReleaseMoveFacts,
): Violation[] {
  const ref = releaseRef(ctx.config);
  return updates
    .filter((u) => u.ref === ref && !isZeroSha(u.new))
    .filter((u) => u.new !== f.remoteRelease && u.new !== f.promoteSha)
    .map((u) => ({
      rule: 'release-branch-commit' as const,
      object: `${ref} -> ${u.new}`,
      why: `${why(ctx)}; it may only mirror ${remoteRef(ctx.config.remote, ctx.config.release)}`,
      fix: ['lanes-hooks promote <sha-on-integration>', ...f.restore],
    }));
}
