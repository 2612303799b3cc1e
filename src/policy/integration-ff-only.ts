// The integration branch moves only forward, only from the coordinator (docs/reference.md, "Rules,
// layer by layer").
import { isZeroSha } from '../util/sha.js';
import { integrationRef, remoteRef, shortBranch } from '../lanes/names.js';
import type { PushedRef } from './push.js';
import type { Context, RefUpdate, Violation } from './types.js';

const rule = 'integration-ff-only' as const;

/** pre-push: pushes of the remote's integration branch. */
export function integrationPush(ctx: Context, pushed: PushedRef[]): Violation[] {
  const ref = integrationRef(ctx.config);
  const out: Violation[] = [];
  for (const p of pushed.filter((p) => p.remoteRef === ref)) {
    const object = `push ${p.isDelete ? '(delete)' : p.localSha} -> ${ref}`;
    if (ctx.lane.kind !== 'coordinator') {
      out.push({
        rule,
        object,
        why: `only the coordinator pushes ${ctx.config.integration} (this is ${ctx.lane.role ?? 'an unassigned worktree'})`,
        fix: [
          `push your lane branch instead; the coordinator merges it: lanes-hooks merge ${ctx.lane.role ?? '<role>'}`,
        ],
      });
    } else if (p.isDelete) {
      out.push({
        rule,
        object,
        why: `${ctx.config.integration} is never deleted on the remote`,
        fix: ['do not delete the integration branch'],
      });
    } else if (!p.remoteKnown) {
      out.push({
        rule,
        object,
        why: `the remote's ${ctx.config.integration} (${p.remoteSha}) is not in this repository, so a fast-forward cannot be verified`,
        fix: [
          `git fetch ${ctx.config.remote} && git merge --ff-only ${ctx.config.remote}/${ctx.config.integration}`,
        ],
      });
    } else if (!p.fastForward) {
      out.push({
        rule,
        object,
        why: `not a fast-forward of the remote's ${ctx.config.integration} (${p.remoteSha}): it would rewrite integrated history`,
        fix: [
          `git pull --ff-only ${ctx.config.remote} ${ctx.config.integration}, then fast-forward merge the lane branch`,
        ],
      });
    }
  }
  return out;
}

/** reference-transaction: in a lane, no local command moves or deletes integration (mirroring the remote is fine). */
export function integrationMoves(
  ctx: Context,
  updates: RefUpdate[],
  remoteIntegration: string | null,
  restore: string[],
): Violation[] {
  if (ctx.lane.kind === 'coordinator') return [];
  const ref = integrationRef(ctx.config);
  return updates
    .filter((u) => u.ref === ref && (isZeroSha(u.new) || u.new !== remoteIntegration))
    .map((u) => ({
      rule,
      object: isZeroSha(u.new) ? `delete ${ref}` : `${ref} -> ${u.new}`,
      why: `in a lane nothing moves ${ctx.config.integration}; it follows ${shortBranch(remoteRef(ctx.config.remote, ctx.config.integration)).replace('refs/remotes/', '')} and the coordinator's merges`,
      fix: [
        ctx.lane.ownBranch
          ? `work on ${shortBranch(ctx.lane.ownBranch)}`
          : 'work on your lane branch',
        ...restore,
      ],
    }));
}
