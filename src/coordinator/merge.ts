// merge <role> (docs/server.md, "The coordinator's commands"): the seed's coordinator sequence,
// checked at every step — clean coordinator on integration, fast-forward-only pull, an active claim
// and every required sign-off for the exact SHA, `merge --ff-only`, push, claim done. Nothing moves
// when a check fails.
import { EXIT, UserError } from '../util/errors.js';
import { git, gitRun } from '../git/exec.js';
import { describePush, fetchRemote, pushRemote } from '../git/remote.js';
import { isAncestor, objectExists, resolveRef } from '../git/repo.js';
import type { HookContext } from '../hooks/context.js';
import { integrationRef, remoteRef, roleBranch, shortBranch } from '../lanes/names.js';
import { claimRequired } from '../policy/claim-required.js';
import { formatViolation } from '../policy/format.js';
import type { Violation } from '../policy/types.js';
import { endClaim, readQueue } from '../queue/queue.js';
import {
  approvedShas,
  readReviews,
  recordCarryOver,
  signoffsFor,
  type ReviewEntry,
} from '../reviews/model.js';
import { ownCommits } from '../git/patch-ids.js';
import { commitTrailers, provenanceOf, provenanceText } from '../git/trailers.js';
import { carryOverProblem } from '../policy/signoff-carry.js';
import { gitUser, recordAudit } from '../store/audit.js';
import { landingObject } from '../lifecycle/unverified.js';
import { laneForRole } from '../lanes/role-lane.js';
import { commitPaths, netPaths } from '../git/history.js';
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

/** Fetch, then bring integration to <remote>/<integration> fast-forward only; its SHA. */
export async function pullIntegration(
  ctx: HookContext,
  command: string,
  log: (s: string) => void,
): Promise<string> {
  const { config } = ctx;
  await fetchRemote(config.remote, [], { what: command });
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
  return head;
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
  const changes = commitPaths([sha], [base]);
  const object = `merge of ${config.remote}/${branch}`;
  violations.push(
    ...forbiddenPaths(changes, object),
    ...pathScope({ config, lane }, scope, changes, object),
    ...netScope(
      { config, lane },
      scope,
      { integration: config.integration, ...netPaths(sha, base) },
      object,
    ),
  );
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

export async function merge(
  ctx: HookContext,
  role: string | undefined,
  push: boolean,
  log: (s: string) => void,
): Promise<number> {
  requireCoordinator(ctx, 'merge');
  const { config } = ctx;
  if (!role || !config.roles[role] || config.roles[role]!.kind !== 'delivery')
    throw new UserError(
      `merge: name a delivery role (${Object.keys(config.roles)
        .filter((r) => config.roles[r]!.kind === 'delivery')
        .join(', ')})`,
    );
  requireCleanIntegration(ctx, 'merge');

  const branch = roleBranch(config, role);
  const base = await pullIntegration(ctx, 'merge', log);

  const sha = resolveRef(remoteRef(config.remote, branch));
  if (!sha)
    throw new UserError(
      `merge: ${config.remote}/${branch} does not exist: the ${role} lane pushes its branch first`,
      EXIT.refused,
    );
  const { violations, missing, signed } = laneReadiness(ctx, role, sha, base);
  for (const v of violations) process.stderr.write(formatViolation(v) + '\n');
  if (missing.length)
    process.stderr.write(missingSignoffText('merge', role, sha, missing, config.reviews.carryOver));
  if (violations.length || missing.length) return EXIT.refused;
  log(
    `merge: ${branch} at ${sha.slice(0, 12)} is claimed${config.reviews.required.length ? ` and signed off by ${config.reviews.required.join(', ')}` : ''}`,
  );
  log(`merge: provenance: ${provenanceText(provenanceOf(commitTrailers([sha], [base])))}`);
  for (const s of signed.filter((x) => x.from))
    log(
      `merge: ${s.role}'s sign-off of ${s.from!.slice(0, 12)} carried over to ${sha.slice(0, 12)} (its own commits are unchanged; recorded in refs/lanes/reviews)`,
    );

  if (!isAncestor('HEAD', sha)) {
    throw new UserError(
      `merge: ${config.remote}/${branch} is not a fast-forward of ${config.integration}; the ${role} lane rebases onto ${config.remote}/${config.integration} and pushes again. Nothing was moved.`,
      EXIT.conflict,
    );
  }
  const ff = run(['merge', '--quiet', '--ff-only', sha]);
  if (!ff.ok) throw new UserError(`merge: git merge --ff-only failed: ${ff.out}`, EXIT.refused);
  log(`merge: ${config.integration} fast-forwarded to ${sha.slice(0, 12)}`);
  // Recorded before the push: status advises pushing only the moves merge/land recorded
  // (lifecycle/unverified.ts), and a refused push leaves this move to push again.
  recordAudit({
    lane: 'coordinator',
    rule: 'integration-ff-only',
    object: landingObject(config.integration, base, sha, branch),
    reason: 'merge: claimed, signed off',
    kind: 'landing',
  });
  if (push) await pushIntegration(ctx, 'merge', log);
  endClaim({ lane: 'coordinator' }, 'done', { branch: shortBranch(`refs/heads/${branch}`) });
  log(`merge: claim on ${branch} marked done`);
  return EXIT.ok;
}

export async function pushIntegration(
  ctx: HookContext,
  command: string,
  log: (s: string) => void,
): Promise<void> {
  const { config } = ctx;
  const p = await pushRemote(config.remote, [`${config.integration}:${config.integration}`]);
  if (!p.ok)
    throw new UserError(
      `${command}: ${config.integration} moved here, but the ${describePush(config.remote, p)}\nPush it once fixed: git push ${config.remote} ${config.integration}`,
      EXIT.refused,
    );
  log(`${command}: pushed ${config.integration} to ${config.remote}`);
}

export function fastForwardTo(sha: string): { ok: boolean; out: string } {
  return run(['merge', '--quiet', '--ff-only', sha]);
}
