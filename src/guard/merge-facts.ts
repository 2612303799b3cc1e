// The facts merge-requirements judges a move of integration by (policy/merge-requirements.ts),
// read from the hub's own refs and stores alone: its lane branches (or the values this same push
// gives them, which the guard judges in the same run), its queue, its review store as this push
// leaves it (each entry checked by server-stores.ts). The work is linear in what the push adds:
// one walk for what integration gains, one per configured lane for what its branch holds beyond
// integration, one for what the backed SHAs cover.
import { isCodeConfig } from '../config/load.js';
import { policyReviewers, type LanesConfig } from '../config/schema.js';
import { git, isZeroSha } from '../git/exec.js';
import { ownCommits } from '../git/patch-ids.js';
import { objectExists } from '../git/repo.js';
import { trailersOf } from '../git/trailers.js';
import { heads, roleBranch } from '../lanes/names.js';
import { configBlobs, packageLanes, policyBlob } from '../lanes/policy.js';
import type { ClaimFact } from '../policy/claim-required.js';
import {
  laneApproval,
  POLICY_TARGET,
  type LaneStanding,
  type MergeFacts,
  type PolicyChange,
} from '../policy/merge-requirements.js';
import { carryOverProblem } from '../policy/signoff-carry.js';
import type { RefUpdate } from '../policy/types.js';
import { approvedShas, type ReviewEntry } from '../reviews/model.js';

/** How many earlier approvals of a reviewer are tried as a carry-over's source (as merge does). */
const MAX_CARRY_SOURCES = 8;

const revList = (args: string[]): string[] =>
  git(['rev-list', ...args, '--'])
    .split('\n')
    .filter(Boolean);

export interface HubStores {
  /** The queue's claims before this push and as it leaves them (either may be unreadable: null). */
  claimsBefore: ClaimFact[] | null;
  claimsAfter: ClaimFact[] | null;
  /** The review store as this push leaves it. */
  reviews: ReviewEntry[];
}

export function mergeFacts(
  config: LanesConfig,
  u: RefUpdate,
  stores: HubStores,
  /** A ref's value on the hub as this push leaves it (in CI: the remote-tracking stand-in). */
  hubValue: (ref: string) => string | null,
): MergeFacts {
  const old = u.old;
  const object = `${u.ref} ${old.slice(0, 10)} -> ${u.new.slice(0, 10)}`;
  const added = revList([u.new, `^${old}`]);
  const addedSet = new Set(added);
  const approvals = (e: ReviewEntry) => e.kind === 'signoff' || e.kind === 'carryover';

  const laneProblems = new Map<string, string[]>();
  const backed: string[] = [];
  const held = new Map<string, Set<string>>();
  for (const role of Object.keys(config.roles)) {
    const branch = roleBranch(config, role);
    const tip = hubValue(heads(branch));
    const onBranch = new Set(tip ? revList([tip, `^${old}`]) : []);
    held.set(role, onBranch);
    if (![...onBranch].some((c) => addedSet.has(c))) continue;
    const signedBy = new Map<string, Set<string>>();
    for (const e of stores.reviews) {
      if (!approvals(e) || e.target !== role || !(onBranch.has(e.sha) || e.sha === tip)) continue;
      signedBy.set(e.sha, (signedBy.get(e.sha) ?? new Set()).add(e.reviewer));
    }
    // A sign-off carries over to the tip where merge would carry it (its own commits unchanged).
    if (tip && config.reviews.carryOver)
      for (const reviewer of config.reviews.required) {
        if (signedBy.get(tip)?.has(reviewer)) continue;
        const from = carrySource(config, stores.reviews, reviewer, role, tip, old);
        if (from) signedBy.set(tip, (signedBy.get(tip) ?? new Set()).add(reviewer));
      }
    const claimed = [stores.claimsBefore, stores.claimsAfter].some((claims) =>
      claims?.some((c) => c.state === 'active' && c.branch === branch),
    );
    const standing: LaneStanding = { role, branch, tip, claimed, signedBy };
    const a = laneApproval(standing, config.reviews.required, config.queue.requireClaim);
    backed.push(...a.approved);
    laneProblems.set(role, a.problems);
  }
  const approved = new Set(backed.length ? revList([...new Set(backed), `^${old}`]) : []);

  const laneHeld = new Map<string, string>();
  const rest: string[] = [];
  for (const c of added) {
    if (approved.has(c)) continue;
    const role = [...held].find(([, set]) => set.has(c))?.[0];
    if (role) laneHeld.set(c, role);
    else rest.push(c);
  }
  const laneTrailer = new Map<string, string>();
  for (const t of trailersOf(rest)) {
    const named = (t.trailers['Lane'] ?? t.trailers['lane'] ?? []).find((r) => config.roles[r]);
    if (named) laneTrailer.set(t.commit, named);
  }
  return {
    integration: config.integration,
    object,
    added,
    approved,
    laneHeld,
    laneTrailer,
    laneProblems,
    policy: policyChange(config, old, u.new, stores.reviews),
  };
}

function carrySource(
  config: LanesConfig,
  reviews: ReviewEntry[],
  reviewer: string,
  role: string,
  tip: string,
  base: string,
): string | null {
  const now = { sha: tip, own: ownCommits(tip, base) };
  for (const from of approvedShas(reviews, reviewer, role, tip).slice(0, MAX_CARRY_SOURCES)) {
    if (!/^[0-9a-f]{40,64}$/.test(from) || !objectExists(from)) continue;
    if (carryOverProblem(config, { sha: from, own: ownCommits(from, base) }, now) === null)
      return from;
  }
  return null;
}

/**
 * Whether integration's committed policy changes from `old` to `next`, and if so the exact content
 * a sign-off must name. A package.json counts only through its `lanes` key (a dependency bump is no
 * policy change).
 */
function policyChange(
  config: LanesConfig,
  old: string,
  next: string,
  reviews: ReviewEntry[],
): PolicyChange | null {
  const before = configBlobs(old);
  const after = configBlobs(next);
  const places = new Set([...before.keys(), ...after.keys()]);
  const changed = [...places].some((p) =>
    p === 'package.json'
      ? packageLanes(before.get(p)) !== packageLanes(after.get(p))
      : before.get(p) !== after.get(p),
  );
  if (!changed) return null;
  const { file, blob } = policyBlob(after);
  const reviewers = policyReviewers(config);
  const signed = reviewers.filter((r) =>
    reviews.some(
      (e) =>
        e.kind === 'signoff' && e.reviewer === r && e.target === POLICY_TARGET && e.sha === blob,
    ),
  );
  return { file, blob, code: !!file && isCodeConfig(file), reviewers, signed };
}

export const isCreation = (u: RefUpdate) => isZeroSha(u.old);
