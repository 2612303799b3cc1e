// The refs/lanes/ store as a push leaves it (guard pre-receive): each pushed store ref checked
// operation by operation (store-updates.ts), each operation against who pushes it, and the facts
// the branch rules read from the result — the claims, and the promotions the audit log records.
import type { LanesConfig } from '../config/schema.js';
import { isAncestor, objectExists, resolveRef } from '../git/repo.js';
import { ownCommits } from '../git/patch-ids.js';
import { carryOverProblem } from '../policy/signoff-carry.js';
import { heads, integrationRef, roleBranch, shortBranch } from '../lanes/names.js';
import type { ClaimFact, ClaimsFact } from '../policy/claim-required.js';
import type { RefUpdate, Violation } from '../policy/types.js';
import { QUEUE_REF, queueStore, type QueueOp, type QueueState } from '../queue/model.js';
import { resolves, REVIEWS_REF, reviewStore, type ReviewEntry } from '../reviews/model.js';
import { AUDIT_REF, auditStore, type AuditEntry } from '../store/audit.js';
import { readStore } from '../store/store.js';
import type { HeldRef } from './hub-refs.js';
import { isZeroSha } from '../git/exec.js';
import {
  identitiesConfigured,
  mayPush,
  namesPusher,
  NO_IDENTITY_FIX,
  who,
  type Pusher,
} from './identity.js';
import {
  claimProblem,
  claimScopeProblem,
  endProblem,
  overlapProblem,
  type Claimant,
} from '../policy/claim-required.js';
import { globLimitProblem, MAX_TASK_GLOBS } from '../config/glob-limits.js';

import { checkStoreUpdate } from './store-updates.js';
import { repairVerdict } from './store-repair.js';
import { POLICY_TARGET } from '../policy/merge-requirements.js';

export interface StoreFacts {
  violations: Violation[];
  /** The claims as this push leaves the queue (or why they cannot be known). */
  claims: ClaimsFact;
  /** The SHAs the audit log records a promotion to, as this push leaves it. */
  promoted: Set<string> | null;
  /** The hub's claims before this push (null: unreadable). */
  claimsBefore: ClaimFact[] | null;
  /** The review store as this push leaves it (entries the push adds checked above). */
  reviews: ReviewEntry[];
}

export function checkStores(
  config: LanesConfig,
  updates: RefUpdate[],
  pusher: Pusher | null,
  isCoordinator: boolean,
  pushedValue: (ref: string) => string | undefined,
  /** The hub's refs as this run reads them (guard pre-receive reads the common ones at once). */
  held: HeldRef = resolveRef,
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
  let reviews: ReviewEntry[] | null = null;
  let auditTip: string | null = null;
  const auditUpdate = updates.find((u) => u.ref === AUDIT_REF) ?? null;
  for (const u of updates) {
    if (!u.ref.startsWith('refs/lanes/')) continue;
    const spec = { [QUEUE_REF]: queueStore, [REVIEWS_REF]: reviewStore, [AUDIT_REF]: auditStore }[
      u.ref
    ];
    if (spec && !isZeroSha(u.old) && !isZeroSha(u.new) && !isAncestor(u.old, u.new)) {
      // A rewrite: only a coordinator's audited store repair (guard/store-repair.ts).
      const stamped = auditStamp(config, u, pusher);
      const v = repairVerdict(
        config,
        spec as never,
        u,
        pusher,
        isCoordinator,
        auditUpdate,
        (e) => coordinatorOnly(`a ${e.kind} entry`) ?? stamped(e),
      );
      violations.push(...v);
      if (!v.length) {
        if (u.ref === QUEUE_REF) queue = readStore(queueStore, undefined, u.new).state;
        else if (u.ref === REVIEWS_REF) reviews = readStore(reviewStore, undefined, u.new).state;
        else auditTip = u.new;
      }
      continue;
    }
    if (u.ref === QUEUE_REF) {
      const v = checkStoreUpdate(queueStore, u, (op: QueueOp, state: QueueState) => {
        if (op.op === 'end' && op.end === 'done') return coordinatorOnly('marking a claim done');
        // The lane an operation says it was made in: the claim rules' own view of who asked.
        const from: Claimant = {
          kind:
            op.lane === 'coordinator'
              ? 'coordinator'
              : (config.roles[op.lane]?.kind ?? 'unassigned'),
          role: op.lane,
          owner: null,
        };
        if (op.op === 'add' && op.paths) {
          // Bounded globs only (route 10); an older entry over the limits is read broadly.
          if (op.paths.length > MAX_TASK_GLOBS)
            return `a task names at most ${MAX_TASK_GLOBS} globs (this one ${op.paths.length})`;
          for (const g of op.paths) {
            const limit = globLimitProblem(g);
            if (limit) return `the task glob ${JSON.stringify(g.slice(0, 80))} is ${limit}`;
          }
        }
        if (op.op === 'claim') {
          const problem =
            claimProblem(config, from, op) ??
            claimScopeProblem(config, state.tasks, op) ??
            overlapProblem(state.tasks, state.claims, op);
          if (problem) return problem.why;
          if (!laneOwner(op.role))
            return `a claim for ${op.role} is made by its owners (${config.roles[op.role]!.owners!.join(', ')}); this push is from ${who(pusher)}`;
        }
        if (op.op === 'end') {
          const target = state.claims.find(
            (c) =>
              c.state === 'active' &&
              (op.task !== null ? c.task === op.task : c.branch === op.branch),
          );
          if (!target) return null; // the reducer says why
          const problem = endProblem(from, target, op.end);
          if (problem) return problem.why;
          // Where the hub names pushers, the claim's owner or a coordinator ends it (a push with
          // no identity cannot be either).
          if (identitiesConfigured(config) && !isCoordinator && pusher?.name !== target.owner)
            return `only the claim's owner (${target.owner}) or a coordinator (${config.server.coordinators.join(', ') || 'none named'}) ends it; this push is from ${who(pusher)}`;
        }
        return null;
      });
      violations.push(...v.violations);
      queue = v.state;
    } else if (u.ref === AUDIT_REF) {
      const stamped = auditStamp(config, u, pusher);
      const v = checkStoreUpdate(auditStore, u, (e: AuditEntry) =>
        e.kind === 'override' ? stamped(e) : (coordinatorOnly(`a ${e.kind} entry`) ?? stamped(e)),
      );
      violations.push(...v.violations);
      if (!v.violations.length) auditTip = u.new;
    } else if (u.ref === REVIEWS_REF) {
      const v = checkStoreUpdate(reviewStore, u, (e: ReviewEntry, before: ReviewEntry[]) =>
        reviewProblem(config, e, pushedValue, laneOwner, before),
      );
      violations.push(...v.violations);
      reviews = v.state;
    } else {
      violations.push({
        rule: 'store-integrity',
        object: u.ref,
        why: `${u.ref} is no lanes store ref (${[QUEUE_REF, AUDIT_REF, REVIEWS_REF].join(', ')})`,
        fix: ['push only what lanes-hooks sync pushes under refs/lanes/'],
      });
    }
  }

  // The hub's queue before this push, read once (a read costs three git processes): the claims a
  // push that leaves the queue alone is judged by, and the claims before any push.
  let before: { state: QueueState } | { unreadable: string };
  try {
    before = { state: readStore(queueStore, undefined, held(QUEUE_REF)).state };
  } catch (e) {
    before = { unreadable: (e as Error).message.split('\n')[0]! };
  }
  const pushedQueue: QueueState | null = queue;
  const claims: ClaimsFact = pushedQueue
    ? { claims: pushedQueue.claims }
    : 'state' in before
      ? { claims: before.state.claims }
      : { unreadable: before.unreadable };
  const claimsBefore: ClaimFact[] | null = 'state' in before ? before.state.claims : null;
  if (!reviews)
    try {
      reviews = readStore(reviewStore, undefined, held(REVIEWS_REF)).state;
    } catch {
      reviews = []; // a damaged review store backs nothing
    }
  let promoted: Set<string> | null = null;
  if (config.server.requirePromotionAudit) {
    try {
      const entries = auditTip
        ? readStore(auditStore, undefined, auditTip).state
        : readStore(auditStore, undefined, held(AUDIT_REF)).state;
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
  return { violations, claims, promoted, claimsBefore, reviews };
}

/** The person an entry names: "<name> <email>" and "<name>" are the same one. */
const person = (who: string) => who.replace(/ <[^>]*>$/, '');

/** How far an entry's `at` may lie ahead of the hub's clock. */
export const AUDIT_SKEW_MS = 5 * 60 * 1000;

/**
 * Who and when, as far as the hub can vouch for them. Where the hub names pushers, an entry needs
 * one; where it knows the pusher, the entry's `who` must name them (namesPusher). `at` may not lie
 * ahead of the hub's clock beyond AUDIT_SKEW_MS, nor before the newest entry of the same `who`
 * (its own record is in order; entries of others recorded offline arrive later by sync, so the log
 * as a whole is not).
 */
function auditStamp(
  config: LanesConfig,
  u: RefUpdate,
  pusher: Pusher | null,
  now = Date.now(),
): (e: AuditEntry) => string | null {
  let newest: Map<string, number> | null = null;
  const newestBy = () => {
    if (newest) return newest;
    newest = new Map();
    if (isZeroSha(u.old)) return newest;
    try {
      for (const e of readStore(auditStore, undefined, u.old).state) {
        const t = Date.parse(e.at);
        if (!Number.isNaN(t) && t > (newest.get(person(e.who)) ?? -Infinity))
          newest.set(person(e.who), t);
      }
    } catch {
      // the hub's own log is damaged: judge the new entries on their own
    }
    return newest;
  };
  return (e) => {
    if (!pusher && identitiesConfigured(config))
      return `an audit entry needs an identity on this hub; ${NO_IDENTITY_FIX}`;
    if (pusher && !namesPusher(e.who, pusher))
      return `its who (${JSON.stringify(e.who)}) is not the pusher, ${who(pusher)}: an entry is pushed by the person it names (set \`git config lanes.identity ${pusher.name}\` where you record, then lanes-hooks sync)`;
    const t = Date.parse(e.at);
    if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}T/.test(e.at))
      return `its at (${JSON.stringify(e.at)}) is not a time`;
    if (t > now + AUDIT_SKEW_MS)
      return `its at (${e.at}) lies ahead of the hub's clock (${new Date(now).toISOString()})`;
    const last = newestBy().get(person(e.who));
    if (last !== undefined && t < last)
      return `its at (${e.at}) is before ${e.who}'s newest entry (${new Date(last).toISOString()}): entries are not backdated`;
    newestBy().set(person(e.who), t);
    return null;
  };
}

/** A review entry the hub can vouch for: by a review role, of a delivery role's branch as the hub has it. */
export function reviewProblem(
  config: LanesConfig,
  e: ReviewEntry,
  pushedValue: (ref: string) => string | undefined,
  laneOwner: (role: string) => boolean,
  before: ReviewEntry[],
): string | null {
  if (config.roles[e.reviewer]?.kind !== 'review')
    return `${e.reviewer} is not a review role of this repository`;
  if (!laneOwner(e.reviewer))
    return `entries of ${e.reviewer} are pushed by its owners (${config.roles[e.reviewer]!.owners!.join(', ')})`;
  // A policy sign-off names the exact content (blob id) of a proposed policy file: the hub need not
  // hold it yet (merge-requirements compares it with what integration would commit).
  if (e.target === POLICY_TARGET)
    return e.kind !== 'signoff'
      ? `only a sign-off names the policy (${e.kind} entries name a delivery role)`
      : /^[0-9a-f]{40,64}$/.test(e.sha)
        ? null
        : `its sha (${JSON.stringify(e.sha)}) is no blob id`;
  if (config.roles[e.target]?.kind !== 'delivery')
    return `${e.target} is not a delivery role of this repository`;
  if (e.kind === 'finding') return null;
  // A resolve closes a finding its own reviewer recorded before it (the reviewer check above
  // already holds): one that closes nothing is refused rather than kept as noise.
  if (e.kind === 'resolve')
    return before.some((f) => resolves(e, f))
      ? null
      : `it resolves no finding of ${e.reviewer} on ${e.target} (at ${JSON.stringify(e.finding ?? '')}, ${e.sha.slice(0, 12)}) recorded before it`;
  const branch = heads(roleBranch(config, e.target));
  const tips = [resolveRef(branch), pushedValue(branch)].filter((t): t is string => !!t);
  if (!/^[0-9a-f]{40,64}$/.test(e.sha) || !tips.some((t) => isAncestor(e.sha, t)))
    return `no review of ${e.sha.slice(0, 12)} is possible: it is not on ${shortBranch(branch)} here (a sign-off names a SHA the reviewer read from the hub)`;
  if (e.kind === 'carryover') return carryProblem(config, e, pushedValue, before);
  return null;
}

/**
 * A recorded carry-over holds only if the reviewer approved `from` (in the log before it) and the
 * rule says the sign-off carries (policy/signoff-carry.ts), judged here on the hub's own objects
 * against integration as the hub has it (or as this push leaves it).
 */
function carryProblem(
  config: LanesConfig,
  e: ReviewEntry,
  pushedValue: (ref: string) => string | undefined,
  before: ReviewEntry[],
): string | null {
  const from = e.from ?? '';
  const fix = `(a carry-over is recorded by lanes-hooks merge or land where reviews.carryOver allows it; otherwise: lanes-hooks review signoff ${e.target} at the new SHA)`;
  if (!/^[0-9a-f]{40,64}$/.test(from) || !objectExists(from))
    return `its from (${JSON.stringify(from)}) is no commit here ${fix}`;
  if (
    !before.some(
      (x) =>
        (x.kind === 'signoff' || x.kind === 'carryover') &&
        x.reviewer === e.reviewer &&
        x.target === e.target &&
        x.sha === from,
    )
  )
    return `${e.reviewer} never signed off ${e.target} at ${from.slice(0, 12)}: there is nothing to carry over ${fix}`;
  // The commits of each SHA are counted from `base`, integration when the carry-over was made: it
  // must be on integration here, and under the rebased SHA.
  const base = e.base ?? '';
  const integrations = [pushedValue(integrationRef(config)), resolveRef(integrationRef(config))];
  if (
    !/^[0-9a-f]{40,64}$/.test(base) ||
    !objectExists(base) ||
    !integrations.some((i) => i && isAncestor(base, i)) ||
    !isAncestor(base, e.sha)
  )
    return `its base (${JSON.stringify(base)}) is no commit of ${config.integration} under ${e.sha.slice(0, 12)} here ${fix}`;
  const why = carryOverProblem(
    config,
    { sha: from, own: ownCommits(from, base) },
    { sha: e.sha, own: ownCommits(e.sha, base) },
  );
  return why
    ? `the sign-off of ${from.slice(0, 12)} does not carry over to ${e.sha.slice(0, 12)}: ${why} ${fix}`
    : null;
}
