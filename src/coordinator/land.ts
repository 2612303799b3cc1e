// land [--dry-run] (docs/reference.md, "Landing lanes"): the coordinator's merge for every lane
// that is ready, in queue order. Ready is merge's own check (laneReadiness): pushed under an
// active claim, in scope, signed off at its exact SHA by every required review role. Each that
// fast-forwards integration as it stands after the ones before it is checked (`checks` in the
// config, run in a temporary worktree of that exact SHA, removed afterwards) and landed as merge
// lands it (ff-only, claim done, audited); one that does not is asked to rebase (recorded in the
// audit log, where status and brief find it). A failing check lands nothing of that lane and names
// it. --dry-run moves nothing, runs no check and records nothing.
import { spawnSync } from 'node:child_process';
import { EXIT, UserError } from '../util/errors.js';
import { isAncestor, refValues } from '../git/repo.js';
import { addTempWorktree, removeTempWorktree } from '../git/worktree.js';
import { commitTrailers, provenanceOf, provenanceText } from '../git/trailers.js';
import type { HookContext } from '../hooks/context.js';
import { remoteRef, roleBranch, roleFromTemplate } from '../lanes/names.js';
import { readQueue, endClaim } from '../queue/queue.js';
import { readReviews, type ReviewEntry } from '../reviews/model.js';
import { pendingRebase, readAudit, recordAudit } from '../store/audit.js';
import {
  fastForwardTo,
  laneReadiness,
  pullIntegration,
  pushIntegration,
  requireCleanIntegration,
  requireCoordinator,
} from './merge.js';

export interface LandReport {
  landed: {
    role: string;
    sha: string;
    checks: 'passed' | 'none' | 'not run';
    /** The Lane:, Task: and Agent: trailers of the commits it brings. */
    provenance: ReturnType<typeof provenanceOf>;
  }[];
  waiting: { role: string; reason: string; sha?: string; rebase?: boolean }[];
}

export interface LandOptions {
  dryRun: boolean;
  push: boolean;
}

/** The delivery roles to consider, in queue order: each active claim of a lane branch, oldest first. */
function candidates(ctx: HookContext): { role: string; task: string | null; owner: string }[] {
  const { config } = ctx;
  const out: { role: string; task: string | null; owner: string }[] = [];
  for (const c of readQueue().claims) {
    if (c.state !== 'active') continue;
    const role = roleFromTemplate(config.branches.role, c.branch);
    if (!role || config.roles[role]?.kind !== 'delivery' || out.some((o) => o.role === role))
      continue;
    out.push({ role, task: c.task, owner: c.owner });
  }
  return out;
}

/** Run the project's checks on `sha` in a temporary worktree: the exit status and its output's tail. */
function runChecks(command: string, sha: string, role: string): { ok: boolean; detail: string } {
  const dir = addTempWorktree(sha);
  try {
    const r = spawnSync('sh', ['-c', command], {
      cwd: dir,
      env: { ...process.env, LANES_LAND_SHA: sha, LANES_LAND_ROLE: role },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    // The checks' own words go to stderr, so that --json keeps stdout to itself.
    if (out) process.stderr.write(out.endsWith('\n') ? out : out + '\n');
    const tail = out.trim().split('\n').slice(-3).join(' | ');
    return {
      ok: r.status === 0,
      detail: r.error
        ? r.error.message
        : `exit ${r.status ?? `signal ${r.signal}`}${tail ? `: ${tail}` : ''}`,
    };
  } finally {
    removeTempWorktree(dir);
  }
}

export async function land(
  ctx: HookContext,
  opts: LandOptions,
  log: (s: string) => void,
): Promise<{ code: number; report: LandReport }> {
  requireCoordinator(ctx, 'land');
  requireCleanIntegration(ctx, 'land');
  const { config } = ctx;
  const integration = config.integration;
  const start = await pullIntegration(ctx, 'land', log);
  let base = start;
  let failed = false;
  const report: LandReport = { landed: [], waiting: [] };
  const moved: { role: string; branch: string; from: string; to: string }[] = [];
  const wait = (
    role: string,
    reason: string,
    extra: Partial<LandReport['waiting'][number]> = {},
  ) => {
    report.waiting.push({ role, reason, ...extra });
    log(`land: ${role} waits: ${reason}`);
  };

  let stores: { claims: ReturnType<typeof readQueue>['claims']; reviews: ReviewEntry[] } | null =
    null;
  const queued = candidates(ctx);
  // Every lane's pushed tip in one git call (nothing below moves a remote-tracking ref).
  const pushed = refValues(queued.map((c) => remoteRef(config.remote, roleBranch(config, c.role))));
  for (const { role } of queued) {
    const branch = roleBranch(config, role);
    const sha = pushed.get(remoteRef(config.remote, branch)) ?? null;
    if (!sha) {
      wait(role, `${config.remote}/${branch} does not exist: the lane pushes its branch first`);
      continue;
    }
    if (isAncestor(sha, base)) {
      wait(role, `nothing to land: ${config.remote}/${branch} is already on ${integration}`, {
        sha,
      });
      continue;
    }
    // The claims and reviews read once for every lane (nothing in this loop changes the claims);
    // read again after a carried-over sign-off was recorded.
    stores ??= { claims: readQueue().claims, reviews: readReviews() };
    const ready = laneReadiness(ctx, role, sha, base, { record: !opts.dryRun, stores });
    if (!opts.dryRun && ready.signed.some((s) => s.from)) stores = null;
    if (ready.violations.length) {
      wait(role, ready.violations.map((v) => `refused by ${v.rule}: ${v.why}`).join('; '), { sha });
      continue;
    }
    if (ready.missing.length) {
      wait(
        role,
        `no sign-off from ${ready.missing.join(', ')} for ${sha.slice(0, 12)} (fix: in the review lane: lanes-hooks review refresh ${role} && lanes-hooks review signoff ${role})`,
        { sha },
      );
      continue;
    }
    for (const s of ready.signed.filter((x) => x.from))
      log(
        `land: ${role}: ${s.role}'s sign-off of ${s.from!.slice(0, 12)} carried over to ${sha.slice(0, 12)} (its own commits are unchanged)`,
      );
    if (!isAncestor(base, sha)) {
      wait(
        role,
        `not a fast-forward of ${integration} at ${base.slice(0, 12)}: rebase requested (the lane: git fetch && git rebase ${config.remote}/${integration} && git push --force-with-lease)`,
        { sha, rebase: true },
      );
      // Asked once per pushed tip: a second run while the lane has not pushed records nothing new.
      if (!opts.dryRun && !pendingRebase(readAudit(), branch, sha))
        recordAudit({
          lane: 'coordinator',
          rule: 'integration-ff-only',
          object: `${branch} at ${sha}`,
          reason: `land: not a fast-forward of ${integration} at ${base}; rebase onto ${config.remote}/${integration} and push again`,
          kind: 'rebase',
        });
      continue;
    }
    const provenance = provenanceOf(commitTrailers([sha], [base]));
    log(`land: ${role}: provenance: ${provenanceText(provenance)}`);
    if (opts.dryRun) {
      report.landed.push({ role, sha, checks: 'not run', provenance });
      log(
        `land: ${role} would land at ${sha.slice(0, 12)}${config.checks ? ' (checks not run)' : ''}`,
      );
      base = sha;
      continue;
    }
    let checks: LandReport['landed'][number]['checks'] = 'none';
    if (config.checks) {
      log(`land: ${role}: running checks on ${sha.slice(0, 12)}: ${config.checks}`);
      const c = runChecks(config.checks, sha, role);
      if (!c.ok) {
        failed = true;
        process.stderr.write(
          `lanes-hooks: land: the checks failed on ${role} at ${sha} (${c.detail}): ${role} is not landed\n  fix: in the ${role} lane, make \`${config.checks}\` pass and push again\n`,
        );
        wait(role, `checks failed on ${sha.slice(0, 12)} (${c.detail})`, { sha });
        continue;
      }
      checks = 'passed';
    }
    const ff = fastForwardTo(sha);
    if (!ff.ok) throw new UserError(`land: git merge --ff-only failed: ${ff.out}`, EXIT.refused);
    moved.push({ role, branch, from: base, to: sha });
    report.landed.push({ role, sha, checks, provenance });
    log(`land: ${integration} fast-forwarded to ${role} at ${sha.slice(0, 12)}`);
    base = sha;
  }

  // Pushed once; only then (as merge does) are the claims done and the landings recorded, so that
  // a refused push leaves the queue saying the work is still in flight.
  if (!opts.dryRun && base !== start && opts.push) await pushIntegration(ctx, 'land', log);
  for (const m of moved) {
    recordAudit({
      lane: 'coordinator',
      rule: 'integration-ff-only',
      object: `${integration} ${m.from} -> ${m.to} (${m.branch})`,
      reason: `land: claimed, signed off${config.checks ? ', checks passed' : ''}`,
      kind: 'landing',
    });
    endClaim({ lane: 'coordinator' }, 'done', { branch: m.branch });
    log(`land: landed ${m.role} at ${m.to.slice(0, 12)}; claim on ${m.branch} marked done`);
  }
  if (!report.landed.length && !report.waiting.length) log('land: no lane holds an active claim');
  return { code: failed ? EXIT.refused : EXIT.ok, report };
}
