// guard pre-receive: the same rules on the server, where no local hook can be skipped. Reads the
// pushed `<old> <new> <ref>` lines and applies, per ref: the store's integrity (server-stores.ts),
// path-scope and claim-required to each agent/<role> branch, integration-ff-only, release-exact-sha
// with the promotion audit, and who may push what where the hosting layer names the pusher
// (identity.ts). The policy comes from policy.ts: integration's committed config, or a pinned one.
import type { LanesConfig } from '../config/schema.js';
import { isZeroSha } from '../git/exec.js';
import { commitPaths, netPaths } from '../git/history.js';
import { isAncestor } from '../git/repo.js';
import {
  heads,
  integrationRef,
  releaseRef,
  remoteRef,
  roleBranch,
  roleFromTemplate,
  shortBranch,
} from '../lanes/names.js';
import { laneForRole } from '../lanes/role-lane.js';
import { forbiddenPaths, netScope, pathScope } from '../policy/path-scope.js';
import { claimedTask, claimRequired } from '../policy/claim-required.js';
import { commitTrailersRule } from '../policy/commit-trailers.js';
import { commitTrailers } from '../git/trailers.js';
import { shadowRef } from '../policy/release-exact-sha.js';
import { AUDIT_REF } from '../store/audit.js';
import { QUEUE_REF } from '../queue/model.js';
import { REVIEWS_REF } from '../reviews/model.js';
import { heldRefs, type HeldRef } from './hub-refs.js';
import { mayPush, pusherFrom, who, type Pusher } from './identity.js';
import { checkStores } from './server-stores.js';
import { scopeOf } from '../policy/scope.js';
import { hubNamespace, tooManyRefs } from '../policy/hub-namespace.js';
import { mergeRequirements } from '../policy/merge-requirements.js';
import { mergeFacts } from './merge-facts.js';
import { configInvalid } from '../policy/config-invalid.js';
import { pushedPolicyProblem } from '../lanes/policy.js';
import type { RefUpdate, Violation } from '../policy/types.js';

export function checkServerUpdates(
  config: LanesConfig,
  updates: RefUpdate[],
  pusher: Pusher | null = pusherFrom(),
): Violation[] {
  // Bounded work per push: too many refs is refused before anything is read.
  const tooMany = tooManyRefs(updates.length, config.server.maxRefs);
  if (tooMany.length) return tooMany;
  const out: Violation[] = [];
  const integration = integrationRef(config);
  const release = releaseRef(config);
  const coordinators = config.server.coordinators;
  const isCoordinator = mayPush(coordinators, pusher);
  const newIntegration = updates.find((u) => u.ref === integration && !isZeroSha(u.new))?.new;
  const pushedValue = (ref: string) => updates.find((u) => u.ref === ref)?.new;
  // The refs pushes ask about, read together once (hub-refs.ts): integration, the stores, and
  // every lane's branch (a move of integration asks which lane tips it gains); in a CI clone
  // (no quarantine) their remote-tracking refs too, which stand in for branches it lacks.
  const branches = [
    config.integration,
    ...Object.keys(config.roles).map((role) => roleBranch(config, role)),
  ];
  const held = heldRefs([
    ...branches.map(heads),
    ...(process.env.GIT_QUARANTINE_PATH ? [] : branches.map((b) => remoteRef(config.remote, b))),
    QUEUE_REF,
    REVIEWS_REF,
    AUDIT_REF,
  ]);

  // The store first: claim-required and the promotion audit read it as this push leaves it.
  const stores = checkStores(config, updates, pusher, isCoordinator, pushedValue, held);
  out.push(...stores.violations);

  // A ref as this push leaves the hub (a lane branch pushed beside integration is judged here too).
  const hubValue = (ref: string): string | null => {
    const pushed = pushedValue(ref);
    if (pushed !== undefined) return isZeroSha(pushed) ? null : pushed;
    return hubRef(config, ref, held);
  };

  const otherBranches: RefUpdate[] = [];
  for (const u of updates) {
    const object = `${u.ref} ${u.old.slice(0, 10)} -> ${u.new.slice(0, 10)}`;
    out.push(
      ...hubNamespace({
        ref: u.ref,
        object,
        isCoordinator,
        coordinators,
        allowed: config.server.namespaces,
        pusher: who(pusher),
      }),
    );
    if (u.ref.startsWith('refs/lanes/')) continue;
    // No name git resolves before a governed branch (a tag `master`), in any case, whoever pushes.
    if (!isZeroSha(u.new)) out.push(...shadowRef(config, u.ref, object));
    if (u.ref === integration) {
      if (!isCoordinator)
        out.push({
          rule: 'integration-ff-only',
          object,
          why: `only the coordinator (${coordinators.join(', ')}) moves ${config.integration}; this push is from ${who(pusher)}`,
          fix: ['push your lane branch; the coordinator merges it: lanes-hooks merge <role>'],
        });
      if (isZeroSha(u.new))
        out.push({
          rule: 'integration-ff-only',
          object,
          why: `${config.integration} is never deleted`,
          fix: ['do not delete the integration branch'],
        });
      else if (!isZeroSha(u.old) && !isAncestor(u.old, u.new))
        out.push({
          rule: 'integration-ff-only',
          object,
          why: `not a fast-forward of ${config.integration}: it would rewrite integrated history`,
          fix: [`rebase onto ${config.integration} and push a fast-forward`],
        });
      else {
        out.push(...forbiddenPaths(commitPaths([u.new], isZeroSha(u.old) ? [] : [u.old]), object));
        // The policy integration would hold, read from the pushed tip itself: a repair of a
        // broken policy (admitted by the last good one, guard/policy.ts) is judged by its new file.
        out.push(
          ...configInvalid({
            problem: pushedPolicyProblem(
              u.new,
              isZeroSha(u.old) ? null : u.old,
              u.new.slice(0, 12),
            ),
            object,
            at: 'hub',
            integration: config.integration,
          }),
        );
        // The first push of integration brings the policy (nothing to protect yet); every later
        // move gains only what the hub's own queue and reviews back (merge-requirements).
        if (!isZeroSha(u.old))
          out.push(
            ...mergeRequirements(
              mergeFacts(
                config,
                u,
                {
                  claimsBefore: stores.claimsBefore,
                  claimsAfter: 'claims' in stores.claims ? stores.claims.claims : null,
                  reviews: stores.reviews,
                },
                hubValue,
              ),
            ),
          );
      }
      continue;
    }
    if (u.ref === release) {
      out.push(...checkRelease(config, u, object, newIntegration, stores.promoted, pusher, held));
      if (!isCoordinator)
        out.push({
          rule: 'release-exact-sha',
          object,
          why: `only the coordinator (${coordinators.join(', ')}) promotes; this push is from ${who(pusher)}`,
          fix: ['ask the coordinator: lanes-hooks promote <sha>'],
        });
      continue;
    }
    const role = u.ref.startsWith('refs/heads/')
      ? roleFromTemplate(config.branches.role, shortBranch(u.ref))
      : null;
    if (role === null || !config.roles[role]) {
      // Any other branch: no scope, but no content git refuses to check out either (what the hub
      // holds already under any ref was judged when it came). Judged below, all in one walk.
      if (u.ref.startsWith('refs/heads/') && !isZeroSha(u.new)) otherBranches.push(u);
      continue;
    }
    const owners = config.roles[role]!.owners;
    // Moving or deleting a lane's branch is its owners' (and the coordinators') business.
    if (owners && !mayPush([...owners, ...coordinators], pusher))
      out.push({
        rule: 'lane-branch',
        object,
        why: `${shortBranch(u.ref)} is pushed by the ${role} lane's owners (${owners.join(', ')}); this push is from ${who(pusher)}`,
        fix: [`push your own lane's branch`],
      });
    if (isZeroSha(u.new)) continue;
    const lane = laneForRole(config, role);
    const scope = scopeOf(config, lane);
    const changes = commitPaths([u.new], newCommitsExclude(config, u, held));
    const where = `push to ${shortBranch(u.ref)}`;
    out.push(
      ...forbiddenPaths(changes, where),
      ...pathScope({ config, lane }, scope, changes, where),
    );
    if (config.trailers.require)
      out.push(
        ...commitTrailersRule(
          config,
          role,
          claimedTask(stores.claims, shortBranch(u.ref)),
          commitTrailers([u.new], newCommitsExclude(config, u, held)),
          where,
        ),
      );
    // The net effect on integration as this push leaves it (or as the hub holds it).
    const base = newIntegration ?? hubIntegration(config, held);
    if (base)
      out.push(
        ...netScope(
          { config, lane },
          scope,
          { integration: config.integration, ...netPaths(u.new, base) },
          where,
          changes,
        ),
      );
    out.push(
      ...claimRequired(
        { config, lane },
        [
          {
            localRef: u.ref,
            localSha: u.new,
            remoteRef: u.ref,
            remoteSha: u.old,
            isDelete: false,
          },
        ],
        stores.claims,
        { server: true },
      ),
    );
  }
  // One walk for every other branch the push brings: its cost follows what the push adds, not
  // how many refs it names times how many the hub holds (`--not --all` reads every ref once).
  if (otherBranches.length) {
    const object =
      otherBranches.length === 1
        ? `${otherBranches[0]!.ref} ${otherBranches[0]!.old.slice(0, 10)} -> ${otherBranches[0]!.new.slice(0, 10)}`
        : `${otherBranches.length} branches (${otherBranches
            .slice(0, 3)
            .map((u) => shortBranch(u.ref))
            .join(', ')}${otherBranches.length > 3 ? ', …' : ''})`;
    out.push(
      ...forbiddenPaths(
        commitPaths(
          otherBranches.map((u) => u.new),
          ['--all'],
        ),
        object,
      ),
    );
  }
  return out;
}

function checkRelease(
  config: LanesConfig,
  u: RefUpdate,
  object: string,
  newIntegration: string | undefined,
  promoted: Set<string> | null,
  pusher: Pusher | null,
  held: HeldRef,
): Violation[] {
  const out: Violation[] = [];
  const current = held(integrationRef(config));
  if (isZeroSha(u.new)) {
    out.push({
      rule: 'release-exact-sha',
      object,
      why: `${config.release} must always point at a SHA on ${config.integration}`,
      fix: ['promote a SHA instead: lanes-hooks promote <sha>'],
    });
    return out;
  }
  if (![current, newIntegration].some((i) => i && isAncestor(u.new, i)))
    out.push({
      rule: 'release-exact-sha',
      object,
      why: `${u.new} is not reachable from ${config.integration}`,
      fix: [`merge it to ${config.integration} first, then: lanes-hooks promote <sha>`],
    });
  if (config.server.requirePromotionAudit && !promoted?.has(u.new))
    out.push({
      rule: 'release-exact-sha',
      object,
      why: `every promotion is audited here: ${AUDIT_REF} has no promotion entry for ${u.new}${pusher ? ` (pushed by ${who(pusher)})` : ''}`,
      fix: [
        `lanes-hooks promote ${u.new.slice(0, 12)}   (records the promotion, pushes the audit log, then the release)`,
      ],
    });
  return out;
}

/**
 * What a pushed lane branch does not gain: the integration branch as it stands (the hub's own; in a
 * CI clone, where it may exist only as a remote-tracking ref, that one) and the branch's own old
 * value. Nothing else: commits the hub already holds under another lane's branch count again, so
 * no lane can launder them into its own.
 */
function newCommitsExclude(config: LanesConfig, u: RefUpdate, held: HeldRef): string[] {
  const old = isZeroSha(u.old) ? [] : [u.old];
  const integration = hubIntegration(config, held);
  return integration ? [...old, integration] : old;
}

/** Integration as the hub holds it; in a CI clone (no quarantine), the remote-tracking one may stand in. */
function hubIntegration(config: LanesConfig, held: HeldRef): string | null {
  return hubRef(config, integrationRef(config), held);
}

/** A ref as the hub holds it; in a CI clone (no quarantine), a branch's remote-tracking one may stand in. */
function hubRef(config: LanesConfig, ref: string, held: HeldRef): string | null {
  if (process.env.GIT_QUARANTINE_PATH || !ref.startsWith('refs/heads/')) return held(ref);
  return held(ref) ?? held(remoteRef(config.remote, shortBranch(ref)));
}
