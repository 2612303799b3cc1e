// pre-push: every pushed ref against the integration, release and path rules.
import { isZeroSha } from '../git/exec.js';
import { commitPaths, netPaths } from '../git/history.js';
import { isAncestor, objectExists, resolveRef } from '../git/repo.js';
import { integrationRef, releaseRef, remoteRef, shortBranch } from '../lanes/names.js';
import { integrationPush } from '../policy/integration-ff-only.js';
import { laneUnassigned } from '../policy/lane-unassigned.js';
import { configInvalid } from '../policy/config-invalid.js';
import { pushedPolicyProblem } from '../lanes/policy.js';
import { lanePush } from '../policy/lane-branch.js';
import { forbiddenPaths, netScope, pathScope } from '../policy/path-scope.js';
import type { PushedRef } from '../policy/push.js';
import { releasePush, shadowPush } from '../policy/release-exact-sha.js';
import { scopeOf } from '../policy/scope.js';
import { gitMaybe } from '../git/exec.js';
import { hookContext, type HookContext } from './context.js';
import { promotionRecorded, recordPromotion } from '../store/promotions.js';
import { claimedTask, claimRequired, type ClaimsFact } from '../policy/claim-required.js';
import { commitTrailersRule } from '../policy/commit-trailers.js';
import { commitTrailers } from '../git/trailers.js';
import { readQueue } from '../queue/queue.js';
import { UserError } from '../util/errors.js';
import { verdict } from './verdict.js';
import { isStoreRef, storePush } from '../policy/store-integrity.js';

export function parsePushLines(input: string): PushedRef[] {
  return input
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length === 4)
    .map(([localRef, localSha, remoteRef, remoteSha]) => ({
      localRef: localRef!,
      localSha: localSha!,
      remoteRef: remoteRef!,
      remoteSha: remoteSha!,
      isDelete: isZeroSha(localSha!),
    }));
}

export async function prePush(remoteName: string, input: string): Promise<number> {
  const ctx = hookContext();
  const { config, lane } = ctx;
  // Store refs (refs/lanes/*) are pushed by `sync`, past this hook, with their own compare-and-swap:
  // by hand, only a fast-forward passes (the hub checks each operation).
  const all = parsePushLines(input);
  const storeViolations = storePush(all, (d, a) => !objectExists(a) || isAncestor(a, d));
  const pushed = all.filter((p) => !isStoreRef(p.remoteRef));
  if (!pushed.length) return storeViolations.length ? verdict(ctx, storeViolations) : 0;
  // argv[1] is a remote's name, or a URL pushed to directly (then no tracking refs describe it).
  const named = gitMaybe(['config', '--get', `remote.${remoteName}.url`]) !== null;
  const trackedIntegration = named ? resolveRef(remoteRef(remoteName, config.integration)) : null;
  const pushedIntegration = pushed.find(
    (p) => p.remoteRef === integrationRef(config) && !p.isDelete,
  )?.localSha;

  for (const p of pushed) {
    if (p.isDelete) continue;
    if (p.remoteRef === integrationRef(config)) {
      p.remoteKnown = isZeroSha(p.remoteSha) || objectExists(p.remoteSha);
      p.fastForward =
        isZeroSha(p.remoteSha) || (p.remoteKnown && isAncestor(p.remoteSha, p.localSha));
    }
    if (p.remoteRef === releaseRef(config)) {
      // Reachable from the remote's integration as fetched, or as this very push leaves it.
      p.onIntegration = [trackedIntegration, pushedIntegration].some(
        (i) => i && isAncestor(p.localSha, i),
      );
    }
  }

  const violations = [
    ...storeViolations,
    ...laneUnassigned(ctx, 'push'),
    ...integrationPush(ctx, pushed),
    ...releasePush(ctx, pushed),
    ...shadowPush(ctx, pushed),
  ];
  // The policy integration would hold: every lane's, the hub's and CI's once it lands.
  for (const p of pushed)
    if (p.remoteRef === integrationRef(config) && !p.isDelete)
      violations.push(
        ...configInvalid({
          problem: pushedPolicyProblem(
            p.localSha,
            !isZeroSha(p.remoteSha) && objectExists(p.remoteSha) ? p.remoteSha : null,
            p.localRef.startsWith('refs/heads/')
              ? shortBranch(p.localRef)
              : p.localSha.slice(0, 12),
          ),
          object: `push ${p.localRef} -> ${p.remoteRef}`,
          at: 'push',
          integration: config.integration,
        }),
      );
  const claims = claimsFact();
  violations.push(...claimRequired(ctx, pushed, claims));
  violations.push(...lanePush(ctx, pushed));
  const scope = lane.kind === 'unassigned' ? null : scopeOf(config, lane);
  // What is known of integration: the remote's tracking ref when $1 is a remote; for a URL, the
  // configured remote's tracking ref and the local branch (both exclude; the first one found is
  // the base of the net effect). A named remote never fetched falls back to the local branch.
  const localIntegration = resolveRef(integrationRef(config));
  const tracked = named
    ? trackedIntegration
    : resolveRef(remoteRef(config.remote, config.integration));
  const trackedName = `${named ? remoteName : config.remote}/${config.integration}`;
  const known: [string, string | null][] = named
    ? [tracked ? [trackedName, tracked] : [config.integration, localIntegration]]
    : [
        [trackedName, tracked],
        [config.integration, localIntegration],
      ];
  const base = known.flatMap(([, sha]) => (sha ? [sha] : []));
  const integrationName = known.find(([, sha]) => sha)?.[0] ?? config.integration;
  for (const p of pushed) {
    if (p.isDelete || !p.remoteRef.startsWith('refs/heads/')) continue;
    // What the ref gains beyond integration and its own previous value on the remote; commits
    // that other refs already hold count too (no laundering through another lane's branch).
    const old = !isZeroSha(p.remoteSha) && objectExists(p.remoteSha) ? [p.remoteSha] : [];
    const changes = commitPaths([p.localSha], [...base, ...old]);
    const object = `push ${p.localRef} -> ${p.remoteRef}`;
    // Provenance, where required: every commit the lane's own branch gains.
    if (config.trailers.require && lane.role && p.remoteRef === lane.ownBranch)
      violations.push(
        ...commitTrailersRule(
          config,
          lane.role,
          claimedTask(claims, shortBranch(p.remoteRef)),
          commitTrailers([p.localSha], [...base, ...old]),
          object,
        ),
      );
    // Content git refuses to check out: every lane, the coordinator too, every branch.
    violations.push(...forbiddenPaths(changes, object));
    if (!scope) continue;
    violations.push(...pathScope(ctx, scope, changes, object));
    // And what the branch would change in integration, whichever commits it took to get there.
    if (base[0]) {
      const net = netPaths(p.localSha, base[0]);
      violations.push(
        ...netScope(ctx, scope, { integration: integrationName, ...net }, object, changes),
      );
    }
  }
  const code = verdict(ctx, violations);
  if (code === 0 && lane.kind === 'coordinator' && named)
    await auditReleasePush(ctx, pushed, remoteName);
  return code;
}

/**
 * A release move pushed by plain `git push` from the coordinator is a promotion like any other:
 * record it in the audit log and share the log first, so the hub sees the entry (and a hub that
 * requires it accepts the release). `promote` has done both already.
 */
async function auditReleasePush(
  ctx: HookContext,
  pushed: PushedRef[],
  remote: string,
): Promise<void> {
  const release = pushed.find((p) => p.remoteRef === releaseRef(ctx.config) && !p.isDelete);
  if (!release || promotionRecorded(release.localSha)) return;
  const before = isZeroSha(release.remoteSha) ? null : release.remoteSha;
  await recordPromotion(
    { ...ctx.config, remote },
    before,
    release.localSha,
    'git push of the release branch',
    ctx.lane.role ?? 'coordinator',
  );
  process.stderr.write(
    `lanes-hooks: promotion of ${ctx.config.release} to ${release.localSha.slice(0, 12)} recorded in the audit log and synced with ${remote}\n`,
  );
}

/** The queue's claims; a damaged store is a fact too (claim-required then fails closed). */
function claimsFact(): ClaimsFact {
  try {
    return { claims: readQueue().claims };
  } catch (e) {
    if (e instanceof UserError) return { unreadable: e.message.split('\n')[0]! };
    throw e;
  }
}
