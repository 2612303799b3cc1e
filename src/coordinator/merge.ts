// What merge and land share (land.ts; `merge <role>` is land's single-lane form): a clean
// coordinator on integration, a fast-forward-only pull, and a lane's readiness — an active claim,
// scope, and every required sign-off for the exact SHA, judged on the stores it is given.
import { EXIT, UserError } from '../util/errors.js';
import { git, gitRun } from '../git/exec.js';
import { fetchWithStores } from '../store/hub-copy.js';
import { objectExists, resolveRef } from '../git/repo.js';
import type { HookContext } from '../hooks/context.js';
import { integrationRef, remoteRef, roleBranch } from '../lanes/names.js';
import { claimRequired } from '../policy/claim-required.js';
import type { Violation } from '../policy/types.js';
import { readQueue } from '../queue/queue.js';
import {
  approvedShas,
  readReviews,
  recordCarryOver,
  signoffsFor,
  type ReviewEntry,
} from '../reviews/model.js';
import { ownCommits } from '../git/patch-ids.js';
import { carryOverProblem } from '../policy/signoff-carry.js';
import { gitUser } from '../store/audit.js';
import { laneForRole } from '../lanes/role-lane.js';
import { commitPaths, netPaths, type CommitPaths, type NetEffect } from '../git/history.js';
import type { LaneChanges } from '../git/lane-changes.js';
import { forbiddenPaths, netScope, pathScope } from '../policy/path-scope.js';
import { scopeOf } from '../policy/scope.js';

export function requireCoordinator(ctx: HookContext, command: string): void {
  if (ctx.lane.kind !== 'coordinator') {
    throw new UserError(
      `${command}: only the coordinator merges and promotes; run it in the coordinator checkout (the main worktree), not in ${ctx.lane.role ?? 'an unassigned worktree'}`,
      EXIT.refused,
    );
  }
}

function run(args: string[]): { ok: boolean; out: string } {
  const r = gitRun(args);
  return { ok: r.ok, out: `${r.stdout}${r.stderr}`.trim() };
}

/** The coordinator is clean and on integration: what merge and land start from. */
export function requireCleanIntegration(ctx: HookContext, command: string): void {
  const { config } = ctx;
  if (git(['status', '--porcelain', '--untracked-files=no']) !== '')
    throw new UserError(
      `${command}: the coordinator has uncommitted changes; commit or stash them first`,
      EXIT.refused,
    );
  if (git(['symbolic-ref', '-q', 'HEAD']) !== integrationRef(config))
    throw new UserError(
      `${command}: switch the coordinator to ${config.integration} first: git switch ${config.integration}`,
      EXIT.refused,
    );
}

/**
 * Fetch, then bring integration to <remote>/<integration> fast-forward only: where integration
 * starts (`head`), the hub's integration as fetched (`upstream`, the lease of land's push), and
 * the hub's store refs the same fetch brought (`stores`, store/hub-copy.ts fetchWithStores) for
 * hubStores(): one fetch where land made three (issue 31).
 */
export async function pullIntegration(
  ctx: HookContext,
  command: string,
  log: (s: string) => void,
): Promise<{ head: string; upstream: string | null; stores: Map<string, string> }> {
  const { config } = ctx;
  const stores = await fetchWithStores(config.remote, ctx.wt.gitDir, command);
  log(`${command}: fetched ${config.remote}`);
  const upstream = resolveRef(remoteRef(config.remote, config.integration));
  if (upstream && !run(['merge', '--quiet', '--ff-only', upstream]).ok) {
    throw new UserError(
      `${command}: ${config.integration} has commits that ${config.remote}/${config.integration} does not: not a fast-forward. Push or drop them first.`,
      EXIT.conflict,
    );
  }
  const head = git(['rev-parse', 'HEAD']);
  log(
    `${command}: ${config.integration} is at ${config.remote}/${config.integration} (${head.slice(0, 7)})`,
  );
  return { head, upstream, stores };
}

/** What stands between a lane's pushed SHA and integration, merge's checks and land's alike. */
export interface Readiness {
  violations: Violation[];
  /** Required review roles with no sign-off of this exact SHA (nor one carried to it). */
  missing: string[];
  /** The review roles that signed off, and how. */
  signed: { role: string; sha: string; from?: string }[];
}

/**
 * A lane's pushed `sha` judged against integration at `base`: an active claim, every commit and
 * the net effect in the role's scope, and a sign-off of every required review role for `sha`.
 */
export function laneReadiness(
  ctx: HookContext,
  role: string,
  sha: string,
  base: string,
  opts: {
    record: boolean;
    /** The queue's claims and the reviews, when the caller read them once for many lanes. */
    stores?: { claims: ReturnType<typeof readQueue>['claims']; reviews: ReviewEntry[] };
    /** The lane's commits and net effect against `base`, when the caller asked them for many lanes. */
    changes?: LaneChanges;
  } = { record: true },
): Readiness {
  const { config } = ctx;
  const branch = roleBranch(config, role);
  const lane = laneForRole(config, role);
  const violations: Violation[] = [
    ...claimRequired(
      { config, lane },
      [
        {
          localRef: `refs/heads/${branch}`,
          localSha: sha,
          remoteRef: `refs/heads/${branch}`,
          remoteSha: sha,
          isDelete: false,
        },
      ],
      { claims: opts.stores?.claims ?? readQueue().claims },
    ),
  ];
  // The server checks every push, but a branch pushed before the rules (or past an override) is
  // judged again here: each commit integration would gain, and the net effect (what the
  // fast-forward would change in integration) must lie in the role's scope.
  const scope = scopeOf(config, lane);
  const object = `merge of ${config.remote}/${branch}`;
  const judge = (changes: CommitPaths[], net: NetEffect) => [
    ...forbiddenPaths(changes, object),
    ...pathScope({ config, lane }, scope, changes, object),
    ...netScope(
      { config, lane },
      scope,
      { integration: config.integration, ...net },
      object,
      changes,
    ),
  ];
  let inScope = opts.changes
    ? judge(opts.changes.commits, opts.changes.net)
    : judge(commitPaths([sha], [base]), netPaths(sha, base));
  // A batch's commits are git's, in an order of its own (lane-changes.ts): where they are refused,
  // the message lists them, so they are asked again alone, in the order of the lane's own walk.
  if (inScope.length && opts.changes && !opts.changes.ordered)
    inScope = judge(commitPaths([sha], [base]), opts.changes.net);
  violations.push(...inScope);
  const reviews = opts.stores?.reviews ?? readReviews();
  const signed = signoffsFor(reviews, role, sha);
  const missing: string[] = [];
  for (const reviewer of config.reviews.required) {
    if (signed.some((s) => s.role === reviewer)) continue;
    const from = config.reviews.carryOver
      ? carrySource(ctx, reviewer, role, sha, base, reviews)
      : null;
    if (!from) {
      missing.push(reviewer);
      continue;
    }
    signed.push({ role: reviewer, sha, from });
    if (opts.record) recordCarryOver({ reviewer, target: role, sha, from, base, by: gitUser() });
  }
  return { violations, missing, signed };
}

/**
 * A SHA `reviewer` approved for `role` whose sign-off carries over to `sha` (its own commits
 * unchanged: policy/signoff-carry.ts), newest first; null when none does.
 */
function carrySource(
  ctx: HookContext,
  reviewer: string,
  role: string,
  sha: string,
  base: string,
  reviews: ReviewEntry[],
): string | null {
  const now = { sha, own: ownCommits(sha, base) };
  for (const from of approvedShas(reviews, reviewer, role, sha).slice(0, MAX_CARRY_SOURCES)) {
    if (!objectExists(from)) continue;
    if (carryOverProblem(ctx.config, { sha: from, own: ownCommits(from, base) }, now) === null)
      return from;
  }
  return null;
}
/** How many earlier approvals of a reviewer are tried as a carry-over's source. */
const MAX_CARRY_SOURCES = 8;

/** merge's words for a missing sign-off. */
export function missingSignoffText(
  command: string,
  role: string,
  sha: string,
  missing: string[],
  carryOver = false,
) {
  return (
    `lanes-hooks: ${command} refused: no sign-off from ${missing.join(', ')} for ${sha} (${carryOver ? 'a sign-off of an older SHA counts only when this is a clean rebase of it: the same commits, patch ids and paths' : 'a sign-off of an older SHA does not count'})\n` +
    missing
      .map(
        (r) =>
          `  fix: in the ${r} lane: lanes-hooks review refresh ${role} && lanes-hooks review signoff ${role}\n`,
      )
      .join('')
  );
}

export function fastForwardTo(sha: string): { ok: boolean; out: string } {
  return run(['merge', '--quiet', '--ff-only', sha]);
}
