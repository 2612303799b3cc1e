// promote [<sha>] (docs/server.md, "The coordinator's commands"): point the release branch at one exact SHA already on the
// remote's integration, record the promotion in the audit log, and push it. The promotion is
// recorded first: the reference-transaction hook lets the coordinator move release only to a SHA
// its audit log records as a promotion (no environment variable moves release).
import { EXIT, UserError } from '../util/errors.js';
import { isAncestor, listWorktrees, resolveCommit, resolveRef } from '../git/repo.js';
import { gitRun } from '../git/exec.js';
import type { HookContext } from '../hooks/context.js';
import { releaseRef, remoteRef } from '../lanes/names.js';
import { formatViolation } from '../policy/format.js';
import { AUDIT_REF } from '../store/audit.js';
import { describePush, pushRemote } from '../git/remote.js';
import { fetchWithStores } from '../store/hub-copy.js';
import { recordPromotion } from '../store/promotions.js';
import { requireCoordinator } from './merge.js';
import { shadowRef } from '../policy/release-exact-sha.js';
import { allRefs } from '../git/repo.js';
import type { LanesConfig } from '../config/schema.js';

/** Refs here that shadow a governed name (release-exact-sha), with how to remove each. */
function shadowsPresent(config: LanesConfig) {
  return allRefs().flatMap((ref) => shadowRef(config, ref, `${ref} (in this repository)`));
}

export async function promote(
  ctx: HookContext,
  rev: string | undefined,
  log: (s: string) => void,
): Promise<number> {
  requireCoordinator(ctx, 'promote');
  const { config } = ctx;
  // The branches and the hub's stores in one fetch: the audit log's sync below starts from what
  // it brought instead of fetching the log again (issue 31).
  const stores = await fetchWithStores(config.remote, ctx.wt.gitDir, 'promote');
  const integration = remoteRef(config.remote, config.integration);
  const target = resolveCommit(rev ?? integration);
  if (!target) throw new UserError(`promote: ${rev ?? integration} is not a commit`);
  // With no <sha>, the target is integration's tip itself (peeled to its commit: the question
  // below peels too), which is on integration: neither read nor asked again.
  const tip = rev === undefined ? target : resolveRef(integration);
  if (!tip || (target !== tip && !isAncestor(target, tip))) {
    process.stderr.write(
      formatViolation({
        rule: 'release-exact-sha',
        object: `promote ${target}`,
        why: `${target} is not reachable from ${config.remote}/${config.integration}: release may only point at integrated commits`,
        fix: [
          `merge it first (lanes-hooks merge <role>), then: lanes-hooks promote ${target.slice(0, 12)}`,
        ],
      }) + '\n',
    );
    return EXIT.refused;
  }
  const ref = releaseRef(config);
  const holder = listWorktrees().find((w) => w.branch === ref);
  if (holder)
    throw new UserError(
      `promote: ${config.release} is checked out in ${holder.path}; switch that worktree away first (moving it would leave its files behind)`,
      EXIT.refused,
    );
  const before = resolveRef(remoteRef(config.remote, config.release));
  // A shadow of release or integration (a tag `release/platform-control`) would make every clone
  // resolve the name to it: nothing is promoted while one exists here.
  const shadows = shadowsPresent(config);
  if (shadows.length) {
    process.stderr.write(shadows.map((v) => formatViolation(v)).join('\n\n') + '\n');
    return EXIT.refused;
  }
  // The audit log first: the hook checks it before the move, and a hub that requires the
  // promotion entry finds it when the release lands.
  await recordPromotion(
    config,
    before,
    target,
    `promote ${rev ?? `${config.remote}/${config.integration}`}`,
    ctx.lane.role ?? 'coordinator',
    stores,
  );
  log(`promote: recorded in ${AUDIT_REF} and synced with ${config.remote}`);
  const moved = gitRun(['update-ref', '-m', `lanes-hooks promote ${target}`, ref, target]);
  if (!moved.ok)
    throw new UserError(
      `promote: moving ${config.release} failed:\n${moved.stderr.trim()}`,
      EXIT.refused,
    );
  log(`promote: ${config.release} -> ${target}`);
  const pushed = await pushRemote(config.remote, [`${target}:${ref}`], {
    leases: [`${ref}:${before ?? ''}`],
  });
  if (!pushed.ok)
    throw new UserError(
      `promote: ${config.release} moved here, but the ${describePush(config.remote, pushed)}\nRun lanes-hooks promote ${target.slice(0, 12)} again once fixed.`,
      EXIT.refused,
    );
  log(`promote: pushed ${config.release} to ${config.remote}`);
  return EXIT.ok;
}
