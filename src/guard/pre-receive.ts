// guard pre-receive (LANES-SPEC §5): the same rules on the server, where no local hook can be
// skipped. Reads `<old> <new> <ref>` lines; applies path-scope (by the role owning each agent
// branch), integration-ff-only and release-exact-sha; the config comes from .lanesrc.json at the
// integration branch's tip in this repository, or --config.
import { readFileSync } from 'node:fs';
import { UserError } from '../util/errors.js';
import { parseConfig } from '../config/load.js';
import type { LanesConfig } from '../config/schema.js';
import { gitMaybe, isZeroSha } from '../git/exec.js';
import { commitPaths } from '../git/history.js';
import { isAncestor, resolveRef } from '../git/repo.js';
import {
  heads,
  integrationRef,
  releaseRef,
  roleBranch,
  remoteRef,
  roleFromTemplate,
  shortBranch,
} from '../lanes/names.js';
import { laneForRole } from '../lanes/role-lane.js';
import { pathScope } from '../policy/path-scope.js';
import { claimRequired, type ClaimsFact } from '../policy/claim-required.js';
import { QUEUE_REF, queueStore, type QueueOp, type QueueState } from '../queue/model.js';
import { REVIEWS_REF, reviewStore, type ReviewEntry } from '../reviews/model.js';
import { AUDIT_REF, auditStore, type AuditEntry } from '../store/audit.js';
import { readStore } from '../store/store.js';
import { pusherFrom, type Pusher } from './identity.js';
import { checkStoreUpdate } from './store-updates.js';
import { scopeOf } from '../policy/scope.js';
import type { RefUpdate, Violation } from '../policy/types.js';

export function serverConfig(configFile: string | undefined): LanesConfig {
  if (configFile) {
    let text: string;
    try {
      text = readFileSync(configFile, 'utf8');
    } catch (e) {
      throw new UserError(`guard: cannot read ${configFile}: ${(e as Error).message}`);
    }
    return parseJson(text, configFile);
  }
  // The integration branch's name is itself configurable: start from the default's tip.
  const defaults = parseConfig({}, 'defaults');
  const first = gitMaybe(['cat-file', 'blob', `${integrationRef(defaults)}:.lanesrc.json`]);
  const config =
    first === null ? defaults : parseJson(first, `${defaults.integration}:.lanesrc.json`);
  if (config.integration === defaults.integration) return config;
  const own = gitMaybe(['cat-file', 'blob', `${integrationRef(config)}:.lanesrc.json`]);
  return own === null ? config : parseJson(own, `${config.integration}:.lanesrc.json`);
}

function parseJson(text: string, name: string): LanesConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${name}: cannot be read: ${(e as Error).message}`);
  }
  return parseConfig(raw, name);
}

/** Whether `pusher` is on `list`; no identity, or nobody listed, keeps the rules without it. */
function mayPush(list: string[], pusher: Pusher | null): boolean {
  return !pusher || !list.length || list.includes(pusher.name);
}

const who = (p: Pusher | null) => (p ? `${p.name} (from ${p.source})` : 'nobody');

export function checkServerUpdates(
  config: LanesConfig,
  updates: RefUpdate[],
  pusher: Pusher | null = pusherFrom(),
): Violation[] {
  const out: Violation[] = [];
  const integration = integrationRef(config);
  const release = releaseRef(config);
  const coordinators = config.server.coordinators;
  const isCoordinator = mayPush(coordinators, pusher);
  const newIntegration = updates.find((u) => u.ref === integration && !isZeroSha(u.new))?.new;
  const pushedValue = (ref: string) => updates.find((u) => u.ref === ref)?.new;

  // The store first: claim-required and the promotion audit read it as this push leaves it.
  const stores = checkStores(config, updates, pusher, isCoordinator, pushedValue);
  out.push(...stores.violations);

  for (const u of updates) {
    const object = `${u.ref} ${u.old.slice(0, 10)} -> ${u.new.slice(0, 10)}`;
    if (u.ref.startsWith('refs/lanes/')) continue;
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
      continue;
    }
    if (u.ref === release) {
      out.push(...checkRelease(config, u, object, newIntegration, stores.promoted, pusher));
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
    if (role === null || !config.roles[role]) continue;
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
    out.push(
      ...pathScope(
        { config, lane },
        scopeOf(config, lane),
        commitPaths([u.new], newCommitsExclude(config, u)),
        `push to ${shortBranch(u.ref)}`,
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
  return out;
}

function checkRelease(
  config: LanesConfig,
  u: RefUpdate,
  object: string,
  newIntegration: string | undefined,
  promoted: Set<string> | null,
  pusher: Pusher | null,
): Violation[] {
  const out: Violation[] = [];
  const current = resolveRef(integrationRef(config));
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

interface StoreFacts {
  violations: Violation[];
  /** The claims as this push leaves the queue (or why they cannot be known). */
  claims: ClaimsFact;
  /** The SHAs the audit log records a promotion to, as this push leaves it. */
  promoted: Set<string> | null;
}

function checkStores(
  config: LanesConfig,
  updates: RefUpdate[],
  pusher: Pusher | null,
  isCoordinator: boolean,
  pushedValue: (ref: string) => string | undefined,
): StoreFacts {
  const violations: Violation[] = [];
  const coordinatorOnly = (what: string) =>
    isCoordinator
      ? null
      : `${what} needs a coordinator (${config.server.coordinators.join(', ')}); this push is from ${who(pusher)}`;
  const laneOwner = (role: string) => {
    const owners = config.roles[role]?.owners;
    return !owners || mayPush([...owners, ...config.server.coordinators], pusher);
  };

  let queue: QueueState | null = null;
  let auditTip: string | null = null;
  for (const u of updates) {
    if (!u.ref.startsWith('refs/lanes/')) continue;
    if (u.ref === QUEUE_REF) {
      const v = checkStoreUpdate(queueStore, u, (op: QueueOp) => {
        if (op.op === 'end' && op.end === 'done') return coordinatorOnly('marking a claim done');
        if (op.op === 'claim' && !laneOwner(op.role))
          return `a claim for ${op.role} is made by its owners (${config.roles[op.role]!.owners!.join(', ')}); this push is from ${who(pusher)}`;
        return null;
      });
      violations.push(...v.violations);
      queue = v.state;
    } else if (u.ref === AUDIT_REF) {
      const v = checkStoreUpdate(auditStore, u, (e: AuditEntry) =>
        e.kind === 'promotion' ? coordinatorOnly('a promotion entry') : null,
      );
      violations.push(...v.violations);
      if (!v.violations.length) auditTip = u.new;
    } else if (u.ref === REVIEWS_REF) {
      const v = checkStoreUpdate(reviewStore, u, (e: ReviewEntry) =>
        reviewProblem(config, e, pushedValue, laneOwner),
      );
      violations.push(...v.violations);
    } else {
      violations.push({
        rule: 'store-integrity',
        object: u.ref,
        why: `${u.ref} is no lanes store ref (${[QUEUE_REF, AUDIT_REF, REVIEWS_REF].join(', ')})`,
        fix: ['push only what lanes-hooks sync pushes under refs/lanes/'],
      });
    }
  }

  let claims: ClaimsFact;
  try {
    claims = { claims: (queue ?? readStore(queueStore).state).claims };
  } catch (e) {
    claims = { unreadable: (e as Error).message.split('\n')[0]! };
  }
  let promoted: Set<string> | null = null;
  if (config.server.requirePromotionAudit) {
    try {
      const entries = auditTip
        ? readStore(auditStore, undefined, auditTip).state
        : readStore(auditStore).state;
      promoted = new Set(
        entries
          .filter((e) => e.kind === 'promotion')
          .map((e) => /-> ([0-9a-f]{40,64})$/.exec(e.object)?.[1])
          .filter((x): x is string => !!x),
      );
    } catch {
      promoted = new Set();
    }
  }
  return { violations, claims, promoted };
}

/** A review entry the hub can vouch for: by a review role, of a delivery role's branch as the hub has it. */
function reviewProblem(
  config: LanesConfig,
  e: ReviewEntry,
  pushedValue: (ref: string) => string | undefined,
  laneOwner: (role: string) => boolean,
): string | null {
  if (config.roles[e.reviewer]?.kind !== 'review')
    return `${e.reviewer} is not a review role of this repository`;
  if (config.roles[e.target]?.kind !== 'delivery')
    return `${e.target} is not a delivery role of this repository`;
  if (!laneOwner(e.reviewer))
    return `entries of ${e.reviewer} are pushed by its owners (${config.roles[e.reviewer]!.owners!.join(', ')})`;
  if (e.kind !== 'signoff') return null;
  const branch = heads(roleBranch(config, e.target));
  const tips = [resolveRef(branch), pushedValue(branch)].filter((t): t is string => !!t);
  if (!/^[0-9a-f]{40,64}$/.test(e.sha) || !tips.some((t) => isAncestor(e.sha, t)))
    return `no review of ${e.sha.slice(0, 12)} is possible: it is not on ${shortBranch(branch)} here (a sign-off names a SHA the reviewer read from the hub)`;
  return null;
}

/**
 * What a pushed lane branch does not gain: the integration branch as it stands (the hub's own; in a
 * CI clone, where it may exist only as a remote-tracking ref, that one) and the branch's own old
 * value. Nothing else: commits the hub already holds under another lane's branch count again, so
 * no lane can launder them into its own.
 */
function newCommitsExclude(config: LanesConfig, u: RefUpdate): string[] {
  const old = isZeroSha(u.old) ? [] : [u.old];
  const integration = process.env.GIT_QUARANTINE_PATH
    ? resolveRef(integrationRef(config))
    : (resolveRef(integrationRef(config)) ??
      resolveRef(remoteRef(config.remote, config.integration)));
  return integration ? [...old, integration] : old;
}
