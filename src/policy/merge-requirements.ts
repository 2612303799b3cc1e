// merge-requirements: what the hub lets integration gain (guard pre-receive). A coordinator's push
// of integration is not trusted on its word: the coordinator shares its machine, git directory and
// store refs with the lanes, so a lane commit may ride along in it. Each commit integration gains is
// either (a) under a lane tip the hub itself accepted on `agent/<role>`, under an active claim in the
// hub's own queue, with every required sign-off of that exact SHA (or a valid carry-over) in the
// hub's own review store; or (b) a coordinator's own commit: on no lane branch the hub holds and
// naming no lane in its `Lane:` trailer (integration-ff-only already insists on a coordinator's
// identity for every move of integration). A change of the committed policy file also needs the
// sign-off of `reviews.policy` (by default the governance review roles) for its exact content.
// Pure: the facts come from guard/merge-facts.ts.
import type { Violation } from './types.js';

/** One lane's standing on the hub, as the rule judges it. */
export interface LaneStanding {
  role: string;
  /** `agent/<role>`. */
  branch: string;
  /** The hub's tip of the branch (or the value this push gives it); null: no such branch. */
  tip: string | null;
  /** Whether an active claim on the branch is in the hub's queue (before or after this push). */
  claimed: boolean;
  /** For each SHA on the branch that someone signed off: the review roles that approve it. */
  signedBy: Map<string, Set<string>>;
}

/**
 * The SHAs of a lane the hub backs for integration: its tip when nothing is required of reviews,
 * else each SHA on the branch that every required role approves; and why the tip itself is not.
 */
export function laneApproval(
  lane: LaneStanding,
  required: readonly string[],
  requireClaim: boolean,
): { approved: string[]; problems: string[] } {
  if (!lane.tip) return { approved: [], problems: [`${lane.branch} is not on the hub`] };
  if (requireClaim && !lane.claimed)
    return {
      approved: [],
      problems: [`no active claim on ${lane.branch} in the hub's queue`],
    };
  const candidates = required.length ? [...lane.signedBy.keys()] : [lane.tip];
  const approved = candidates.filter((sha) =>
    required.every((r) => lane.signedBy.get(sha)?.has(r)),
  );
  const missing = required.filter((r) => !lane.signedBy.get(lane.tip!)?.has(r));
  return {
    approved,
    problems: missing.length
      ? [
          `no sign-off of ${lane.tip.slice(0, 12)} by ${missing.join(', ')} in the hub's refs/lanes/reviews`,
        ]
      : [],
  };
}

export interface MergeFacts {
  integration: string;
  /** `refs/heads/master <old> -> <new>`. */
  object: string;
  /** The commits integration gains, newest first. */
  added: string[];
  /** Of `added`, those under a lane SHA that laneApproval backs. */
  approved: ReadonlySet<string>;
  /** Of `added`, the lane whose branch on the hub holds it (for those not approved). */
  laneHeld: ReadonlyMap<string, string>;
  /** Of `added`, the lane role a `Lane:` trailer names (a coordinator's commit names none). */
  laneTrailer: ReadonlyMap<string, string>;
  /** Why each lane's tip is not backed (for the message). */
  laneProblems: ReadonlyMap<string, string[]>;
  policy: PolicyChange | null;
}

export interface PolicyChange {
  /** The policy file at the new tip (`.lanesrc.json`), or null when the change removes it. */
  file: string | null;
  /** Its blob id: what a policy sign-off names. */
  blob: string;
  /** Whether the file is a JS or TS config (code: never loaded from a commit). */
  code: boolean;
  reviewers: string[];
  /** The reviewers whose sign-off of `blob` the hub's review store holds. */
  signed: string[];
}

/** The review store's target of a policy sign-off: no role can take the name (ROLE_NAME). */
export const POLICY_TARGET = ':policy';

const MAX_LISTED = 5;
const listed = (shas: string[]) =>
  shas
    .slice(0, MAX_LISTED)
    .map((s) => s.slice(0, 12))
    .join(', ') + (shas.length > MAX_LISTED ? ` and ${shas.length - MAX_LISTED} more` : '');

export function mergeRequirements(f: MergeFacts): Violation[] {
  const out: Violation[] = [];
  const unbacked = new Map<string, string[]>();
  for (const c of f.added) {
    if (f.approved.has(c)) continue;
    const role = f.laneHeld.get(c) ?? f.laneTrailer.get(c);
    if (role) unbacked.set(role, [...(unbacked.get(role) ?? []), c]);
  }
  for (const [role, commits] of unbacked) {
    const problems = f.laneProblems.get(role) ?? [];
    out.push({
      rule: 'merge-requirements',
      object: f.object,
      why: `${f.integration} would gain ${commits.length} commit(s) of the ${role} lane (${listed(commits)}) that the hub does not back${problems.length ? `: ${problems.join('; ')}` : ': no claimed, signed-off tip of its branch on the hub holds them'}`,
      fix: [
        `the ${role} lane pushes its branch under its claim, the required reviewers sign off that SHA and sync, then: lanes-hooks merge ${role}`,
      ],
    });
  }
  const p = f.policy;
  if (p?.code)
    out.push({
      rule: 'merge-requirements',
      object: f.object,
      why: `it makes the committed policy ${p.file}, a JS or TS config: code, which the hub, CI and the lanes never load from a commit (every later push would be refused)`,
      fix: [
        'keep the policy in .lanesrc.json (or .lanesrc.yaml, package.json#lanes); where a JS config is wanted, the hub admin pins a reviewed copy: git config lanes.config <file>',
      ],
    });
  else if (p) {
    const missing = p.reviewers.filter((r) => !p.signed.includes(r));
    if (missing.length)
      out.push({
        rule: 'merge-requirements',
        object: f.object,
        why: `it changes the policy (${p.file ?? 'removes the committed config'}, blob ${p.blob.slice(0, 12)}), which needs the sign-off of ${missing.join(', ')} (reviews.policy) for that exact content in the hub's refs/lanes/reviews`,
        fix: [
          ...missing.map(
            (r) =>
              `in the ${r} lane: lanes-hooks review signoff --policy ${f.integration} && lanes-hooks sync`,
          ),
          'then push again (docs/server.md, "Changing the policy")',
        ],
      });
  }
  return out;
}
