// The release branch points at one exact SHA already on the remote's integration
// (docs/reference.md, "Rules, layer by layer").
import { releaseRef } from '../lanes/names.js';
import type { PushedRef } from './push.js';
import type { Context, Violation } from './types.js';

/** pre-push: a push of the release branch. From a lane it is not a promotion at all. */
export function releasePush(ctx: Context, pushed: PushedRef[]): Violation[] {
  const ref = releaseRef(ctx.config);
  const out: Violation[] = [];
  for (const p of pushed.filter((p) => p.remoteRef === ref)) {
    const object = `push ${p.isDelete ? '(delete)' : p.localSha} -> ${ref}`;
    if (ctx.lane.kind !== 'coordinator') {
      out.push({
        rule: 'release-branch-commit',
        object,
        why: `only the coordinator's \`lanes-hooks promote\` moves ${ctx.config.release}`,
        fix: ['ask the coordinator to promote: lanes-hooks promote <sha>'],
      });
    } else if (p.isDelete) {
      out.push({
        rule: 'release-exact-sha',
        object,
        why: `${ctx.config.release} must always point at a SHA on ${ctx.config.integration}`,
        fix: ['promote a SHA instead of deleting: lanes-hooks promote <sha>'],
      });
    } else if (!p.onIntegration) {
      out.push({
        rule: 'release-exact-sha',
        object,
        why: `${p.localSha} is not reachable from ${ctx.config.remote}/${ctx.config.integration}: release may only point at integrated commits`,
        fix: [`merge it to ${ctx.config.integration} first, then: lanes-hooks promote <sha>`],
      });
    }
  }
  return out;
}
