// land [--dry-run] (docs/reference.md, "Landing lanes"): the one way integration moves to a lane.
// Every lane that is ready, in the hub's queue order; `merge <role>` is the same with one lane.
// Ready is decided on the hub's state (hub-stores.ts: its claims and sign-offs, replayed through
// the hub's validators; the local store is shared with the lanes and only said to differ): pushed
// under an active claim, in scope, signed off at its exact SHA by every required review role. Each
// that fast-forwards integration as it stands after the ones before it is checked (`checks` in the
// config: lane code, run in a throwaway clone of that exact SHA, checks.ts) and landed: ff-only,
// integration verified unchanged after the checks, pushed as that exact SHA with a lease on the
// hub's old value, then the claim is done and the landing audited. One that does not fast-forward
// is asked to rebase (recorded in the audit log, where status and brief find it). A failing check
// lands nothing of that lane and names it. --dry-run moves nothing, runs no check and records
// nothing.
import { EXIT, UserError } from '../util/errors.js';
import { git, gitRun } from '../git/exec.js';
import { describePush, pushRemote } from '../git/remote.js';
import { ancestryOf, isAncestor, listWorktrees, refValues, resolveRef } from '../git/repo.js';
import { laneChanges, type LaneChanges } from '../git/lane-changes.js';
import { removeLeftoverWorktrees } from '../git/throwaway-clone.js';
import { commitTrailers, provenanceOf, provenanceText } from '../git/trailers.js';
import type { HookContext } from '../hooks/context.js';
import { integrationRef, remoteRef, roleBranch, roleFromTemplate } from '../lanes/names.js';
import { formatViolation, showName } from '../policy/format.js';
import { endClaim, readQueue } from '../queue/queue.js';
import type { Claim } from '../queue/model.js';
import { pendingRebase, readAudit, recordAudit } from '../store/audit.js';
import {
  checksSpec,
  chooseSandbox,
  Interruption,
  runChecks,
  type ChecksOutcome,
  type ChecksSpec,
} from './checks.js';
import { hubStores, localOnly, type HubStores } from './hub-stores.js';
import { approvedShas } from '../reviews/model.js';
import {
  fastForwardTo,
  laneReadiness,
  missingSignoffText,
  pullIntegration,
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
  /** merge <role>: this lane alone, refusals as errors (exit 1, 3 for a rebase). */
  only?: string;
}

/** 128 + SIGINT, as a shell reports a command ended by Ctrl-C. */
export const EXIT_INTERRUPTED = 130;

/**
 * The delivery roles to consider, in the hub's queue order: each active claim of a lane branch,
 * oldest first; then those with an active claim in the local store only (they wait, and land says
 * why: the local store differs from the hub's).
 */
function candidates(ctx: HookContext, hub: HubStores): string[] {
  const { config } = ctx;
  const out: string[] = [];
  let local: Claim[] = [];
  try {
    local = readQueue().claims;
  } catch {
    // a damaged local store: doctor says so; the hub's decides
  }
  for (const c of [...hub.claims, ...local]) {
    if (c.state !== 'active') continue;
    const role = roleFromTemplate(config.branches.role, c.branch);
    if (!role || config.roles[role]?.kind !== 'delivery' || out.includes(role)) continue;
    out.push(role);
  }
  return out;
}

/**
 * Every missing reviewer signed off an older SHA of the lane (a rebase made it stale) and
 * reviews.carryOver is off: the wait names the option that would let a clean rebase keep it.
 */
function staleOnly(
  config: HookContext['config'],
  hub: HubStores,
  role: string,
  sha: string,
  missing: string[],
): boolean {
  return (
    !config.reviews.carryOver &&
    missing.every((r) => approvedShas(hub.reviews, r, role, sha).length > 0)
  );
}

/** A lane whose stale sign-off could carry over, were reviews.carryOver on. */
const CARRY_HINT =
  ' (a sign-off of an older SHA does not count; where a clean rebase should keep it, set "reviews": { "carryOver": true } in .lanesrc.json)';

export async function land(
  ctx: HookContext,
  opts: LandOptions,
  log: (s: string) => void,
): Promise<{ code: number; report: LandReport }> {
  const command = opts.only !== undefined ? 'merge' : 'land';
  requireCoordinator(ctx, command);
  const { config } = ctx;
  if (opts.only !== undefined && config.roles[opts.only]?.kind !== 'delivery')
    throw new UserError(
      `merge: name a delivery role (${Object.keys(config.roles)
        .filter((r) => config.roles[r]!.kind === 'delivery')
        .join(', ')})`,
    );
  requireCleanIntegration(ctx, command);
  // Temporary worktrees an older, interrupted land left registered (doctor and the dashboard
  // would take them for lanes): this version makes none, and removes those.
  if (!opts.dryRun)
    for (const dir of removeLeftoverWorktrees())
      log(`${command}: removed the temporary worktree an interrupted land left: ${showName(dir)}`);
  const stop = new Interruption();
  const state: RunState = { start: null, pushing: false };
  try {
    return await run(ctx, opts, command, log, stop, state);
  } catch (e) {
    if (!stop.interrupted || state.pushing) throw e;
    throw interrupted(ctx, command, state.start);
  } finally {
    stop.dispose();
  }
}

interface RunState {
  /** Integration where this run started (after the pull), to go back to when interrupted. */
  start: string | null;
  /** The push has begun: an interruption no longer undoes anything. */
  pushing: boolean;
}

class Interrupted extends Error {}

/** Ctrl-C: whatever this run moved locally (not pushed yet) goes back; the message says so. */
function interrupted(ctx: HookContext, command: string, start: string | null): UserError {
  const { config } = ctx;
  let where = 'nothing was landed or pushed';
  const now = resolveRef(integrationRef(config));
  if (start && now && now !== start)
    where = gitRun(['reset', '--quiet', '--keep', start]).ok
      ? `nothing was pushed; ${config.integration} is back at ${start.slice(0, 12)}, where this run found it`
      : `nothing was pushed; ${config.integration} was moved here by this run: git reset --keep ${start} puts it back`;
  return new UserError(
    `lanes-hooks: ${command}: interrupted: ${where}; the checks' clone is removed. Run lanes-hooks ${command} again to land.`,
    EXIT_INTERRUPTED,
  );
}

async function run(
  ctx: HookContext,
  opts: LandOptions,
  command: string,
  log: (s: string) => void,
  stop: Interruption,
  state: RunState,
): Promise<{ code: number; report: LandReport }> {
  const { config } = ctx;
  const integration = config.integration;
  // hubOld: the hub's integration as fetched, the lease of the push.
  const { head: start, upstream: hubOld, stores } = await pullIntegration(ctx, command, log);
  state.start = start;
  const hub = hubStores(config, command, log, stores);
  for (const p of hub.problems) process.stderr.write(`lanes-hooks: ${command}: ${p}\n`);
  if (stop.interrupted) throw new Interrupted();
  const checks = checksSpec(config);
  const sandbox = checks && !opts.dryRun ? chooseSandbox() : 'none';
  let base = start;
  let failed = false;
  let code: number = EXIT.ok;
  const report: LandReport = { landed: [], waiting: [] };
  const moved: { role: string; branch: string; from: string; to: string }[] = [];
  const wait = (
    role: string,
    reason: string,
    extra: Partial<LandReport['waiting'][number]> = {},
  ) => {
    report.waiting.push({ role, reason, ...extra });
    log(`${command}: ${role} waits: ${reason}`);
  };

  const queued = opts.only !== undefined ? [opts.only] : candidates(ctx, hub);
  // Every lane's pushed tip in one git call (nothing below moves a remote-tracking ref).
  const pushedRefs = queued.map((r) => remoteRef(config.remote, roleBranch(config, r)));
  const pushed = refValues(pushedRefs);
  // Both ancestry questions for every pushed tip against the base, in two git calls, asked again
  // only when a lane lands (base moves); one pair at a time only where git could not answer so.
  const pushedIds = new Set([...pushed.values()].filter((v): v is string => !!v));
  let known: { base: string; of: ReturnType<typeof ancestryOf> } | null = null;
  const ancestryAt = (b: string) => {
    if (known?.base !== b) known = { base: b, of: ancestryOf(pushedRefs, b) };
    return known.of;
  };
  /** Whether `sha` (a pushed tip) is an ancestor of `b` (`merged`) or has `b` as one (`contains`). */
  const ancestry = (sha: string, b: string, q: 'merged' | 'contains'): boolean => {
    const of = pushedIds.has(sha) ? ancestryAt(b) : null;
    if (of) return of[q].has(sha);
    return q === 'merged' ? isAncestor(sha, b) : isAncestor(b, sha);
  };
  // The lanes' commits and net effect against the base, in a few git calls for many lanes
  // (lane-changes.ts): from this lane to the first one that fast-forwards the base (the first that
  // can land and move it; until then every lane is judged against this base), asked again for
  // the rest when base moves or a lane beyond those asked needs them.
  let changesAt: { base: string; asked: Set<string>; of: Map<string, LaneChanges> } | null = null;
  const changesOf = (sha: string, from: number): LaneChanges | undefined => {
    if (changesAt?.base !== base || !changesAt.asked.has(sha)) {
      const batch: string[] = [];
      for (const r of queued.slice(from)) {
        const t = pushed.get(remoteRef(config.remote, roleBranch(config, r)));
        if (!t || ancestry(t, base, 'merged')) continue;
        batch.push(t);
        if (ancestry(t, base, 'contains')) break;
      }
      changesAt = { base, asked: new Set([sha, ...batch]), of: laneChanges(batch, base) };
    }
    return changesAt.of.get(sha);
  };
  for (const [at, role] of queued.entries()) {
    const branch = roleBranch(config, role);
    const sha = pushed.get(remoteRef(config.remote, branch)) ?? null;
    if (!sha) {
      if (opts.only !== undefined)
        throw new UserError(
          `merge: ${config.remote}/${branch} does not exist: the ${role} lane pushes its branch first`,
          EXIT.refused,
        );
      wait(role, `${config.remote}/${branch} does not exist: the lane pushes its branch first`);
      continue;
    }
    if (ancestry(sha, base, 'merged')) {
      // Landed already (its claim ends on the hub when the coordinator syncs its store).
      log(
        `${command}: ${role}: nothing to land: ${config.remote}/${branch} is already on ${integration}`,
      );
      continue;
    }
    const ready = laneReadiness(ctx, role, sha, base, {
      record: !opts.dryRun,
      stores: { claims: hub.claims, reviews: hub.reviews },
      changes: changesOf(sha, at),
    });
    if (ready.violations.length || ready.missing.length) {
      const differs = localOnly(config, hub, role, sha);
      if (opts.only !== undefined) {
        for (const v of ready.violations) process.stderr.write(formatViolation(v) + '\n');
        if (ready.missing.length)
          process.stderr.write(
            missingSignoffText('merge', role, sha, ready.missing, config.reviews.carryOver),
          );
        for (const d of differs) process.stderr.write(`  note: ${d}\n`);
        return { code: EXIT.refused, report };
      }
      const reasons = [
        ...ready.violations.map((v) => `refused by ${v.rule}: ${v.why}`),
        ...(ready.missing.length
          ? [
              `no sign-off from ${ready.missing.join(', ')} for ${sha.slice(0, 12)}${staleOnly(config, hub, role, sha, ready.missing) ? CARRY_HINT : ''} (fix: in the review lane: lanes-hooks review refresh ${role} && lanes-hooks review signoff ${role} && lanes-hooks sync)`,
            ]
          : []),
        ...differs,
      ];
      wait(role, reasons.join('; '), { sha });
      continue;
    }
    if (opts.only !== undefined)
      log(
        `merge: ${branch} at ${sha.slice(0, 12)} is claimed${config.reviews.required.length ? ` and signed off by ${config.reviews.required.join(', ')}` : ''} on ${config.remote}`,
      );
    for (const s of ready.signed.filter((x) => x.from))
      log(
        `${command}: ${role}: ${s.role}'s sign-off of ${s.from!.slice(0, 12)} carried over to ${sha.slice(0, 12)} (its own commits are unchanged)`,
      );
    if (!ancestry(sha, base, 'contains')) {
      const why = `not a fast-forward of ${integration} at ${base.slice(0, 12)}: rebase requested (the lane: git fetch && git rebase ${config.remote}/${integration} && git push --force-with-lease)`;
      // Asked once per pushed tip: a second run while the lane has not pushed records nothing new.
      if (!opts.dryRun && !pendingRebase(readAudit(), branch, sha))
        recordAudit({
          lane: 'coordinator',
          rule: 'integration-ff-only',
          object: `${branch} at ${sha}`,
          reason: `${command}: not a fast-forward of ${integration} at ${base}; rebase onto ${config.remote}/${integration} and push again`,
          kind: 'rebase',
        });
      if (opts.only !== undefined)
        throw new UserError(
          `merge: ${config.remote}/${branch} is not a fast-forward of ${integration}; the ${role} lane rebases onto ${config.remote}/${integration} and pushes again. Nothing was moved.`,
          EXIT.conflict,
        );
      wait(role, why, { sha, rebase: true });
      continue;
    }
    const provenance = provenanceOf(commitTrailers([sha], [base]));
    log(
      `${opts.only !== undefined ? 'merge' : `land: ${role}`}: provenance: ${provenanceText(provenance)}`,
    );
    if (opts.dryRun) {
      report.landed.push({ role, sha, checks: 'not run', provenance });
      log(
        `${command}: ${role} would land at ${sha.slice(0, 12)}${checks ? ' (checks not run)' : ''}`,
      );
      base = sha;
      continue;
    }
    let checked: LandReport['landed'][number]['checks'] = 'none';
    if (checks) {
      const c = await check(checks, sha, role, sandbox, stop, command, log);
      if (stop.interrupted) throw new Interrupted();
      if (!c.ok) {
        failed = true;
        wait(
          role,
          c.stage === 'setup'
            ? `the checks' setup failed on ${sha.slice(0, 12)} (${c.detail}): the coordinator's to fix`
            : `checks failed on ${sha.slice(0, 12)} (${c.detail})`,
          { sha },
        );
        continue;
      }
      checked = 'passed';
      // The checks ran lane code: integration must still be exactly what was checked against.
      requireUnmoved(ctx, command, role, base);
    }
    const ff = fastForwardTo(sha);
    if (!ff.ok)
      throw new UserError(`${command}: git merge --ff-only failed: ${ff.out}`, EXIT.refused);
    if (resolveRef(integrationRef(config)) !== sha)
      throw new UserError(
        `${command}: ${integration} is not at ${sha} after the fast-forward: nothing is pushed; see git reflog ${integration}`,
        EXIT.refused,
      );
    moved.push({ role, branch, from: base, to: sha });
    report.landed.push({ role, sha, checks: checked, provenance });
    log(`${command}: ${integration} fast-forwarded to ${role} at ${sha.slice(0, 12)}`);
    base = sha;
  }
  if (stop.interrupted) throw new Interrupted();
  if (failed) code = EXIT.refused;

  // Pushed once, as the exact SHA checked, only if the hub still has what this run started from;
  // only then are the claims done and the landings recorded, so that a refused push leaves the
  // queue saying the work is still in flight.
  if (!opts.dryRun && base !== hubOld && moved.length && opts.push) {
    state.pushing = true;
    await pushLanded(ctx, command, base, hubOld, log);
  }
  for (const m of moved) {
    recordAudit({
      lane: 'coordinator',
      rule: 'integration-ff-only',
      object: `${integration} ${m.from} -> ${m.to} (${m.branch})`,
      reason: `${command}: claimed, signed off${checks ? ', checks passed' : ''}`,
      kind: 'landing',
    });
    endClaim({ lane: 'coordinator' }, 'done', { branch: m.branch });
    log(`${command}: landed ${m.role} at ${m.to.slice(0, 12)}; claim on ${m.branch} marked done`);
  }
  if (!queued.length) log(`${command}: no lane holds an active claim on ${config.remote}`);
  return { code, report };
}

/** Integration (and HEAD on it) is still `base`; otherwise nothing of this run is pushed. */
function requireUnmoved(ctx: HookContext, command: string, role: string, base: string): void {
  const { config } = ctx;
  const now = resolveRef(integrationRef(config));
  const head = git(['symbolic-ref', '-q', 'HEAD']);
  if (now === base && head === integrationRef(config)) return;
  throw new UserError(
    `lanes-hooks: ${command}: ${config.integration} moved while the checks of ${role} ran (was ${base}, now ${now ?? 'gone'}${head !== integrationRef(config) ? `, HEAD on ${showName(head)}` : ''}): nothing of this run is landed or pushed. The checks execute lane code; find what moved it (git reflog ${config.integration}), then put it back (the coordinator was clean when land started): git switch ${config.integration} && git reset --hard ${base}`,
    EXIT.refused,
  );
}

async function check(
  spec: ChecksSpec,
  sha: string,
  role: string,
  sandbox: 'bwrap' | 'none',
  stop: Interruption,
  command: string,
  log: (s: string) => void,
): Promise<ChecksOutcome> {
  const what = spec.setup
    ? `${showName(spec.setup)}, then ${showName(spec.run)}`
    : showName(spec.run);
  // Inside the sandbox the coordinator's worktrees (every lane's among them) are hidden.
  const hide = listWorktrees().map((w) => w.path);
  const c = await runChecks(spec, sha, role, {
    hide,
    sandbox,
    stop,
    started: (dir) =>
      log(
        `${command}: ${role}: running checks on ${sha.slice(0, 12)} in a throwaway clone at ${showName(dir)} (${sandbox === 'bwrap' ? 'under bubblewrap' : 'no sandbox: bubblewrap is not available or LANES_CHECKS_SANDBOX=none'}): ${what}`,
      ),
  });
  if (c.ok || c.interrupted) return c;
  const where = `in a throwaway clone of ${sha.slice(0, 12)} at ${showName(c.dir)}, kept for inspection (rm -rf ${showName(c.dir.replace(/\/repo$/, ''))} when done)`;
  const env = /Cannot find module|ERR_MODULE_NOT_FOUND|command not found|not found: |ENOENT/.test(
    c.detail,
  );
  process.stderr.write(
    c.stage === 'setup'
      ? `lanes-hooks: ${command}: the checks' setup failed on ${role} at ${sha} (${c.detail}): ${role} is not landed. This is the coordinator's to fix, not the lane's.\n  ran: ${showName(c.command)} ${where}\n  fix: make checks.setup in .lanesrc.json work in a fresh clone (without a lockfile, "npm install" rather than "npm ci"), then lanes-hooks land\n`
      : `lanes-hooks: ${command}: the checks failed on ${role} at ${sha} (${c.detail}): ${role} is not landed\n  ran: ${showName(c.command)} ${where}\n  fix: in the ${role} lane, make ${showName(c.command)} pass and push again` +
          (env && !spec.setup
            ? `\n  (this looks like a missing dependency, not the lane's code: checks run in a fresh clone; give them a setup step: "checks": { "setup": "npm ci", "run": ${JSON.stringify(spec.run)} })`
            : '') +
          '\n',
  );
  return c;
}

/** `<sha>:<integration>` with a lease on the hub's old value: exactly what was checked, or nothing. */
async function pushLanded(
  ctx: HookContext,
  command: string,
  sha: string,
  hubOld: string | null,
  log: (s: string) => void,
): Promise<void> {
  const { config } = ctx;
  const ref = integrationRef(config);
  const p = await pushRemote(config.remote, [`${sha}:${ref}`], {
    leases: [`${ref}:${hubOld ?? ''}`],
  });
  if (!p.ok)
    throw new UserError(
      `${command}: ${config.integration} moved here, but the ${describePush(config.remote, p)}\nNothing is marked done. Once fixed: git push --force-with-lease=${ref}:${hubOld ?? ''} ${config.remote} ${sha}:${ref}`,
      EXIT.refused,
    );
  log(`${command}: pushed ${config.integration} to ${config.remote} at ${sha.slice(0, 12)}`);
}

/** merge <role>: land's single-lane form, with the same checks and audit. */
export async function merge(
  ctx: HookContext,
  role: string | undefined,
  push: boolean,
  log: (s: string) => void,
): Promise<number> {
  const { code } = await land(ctx, { dryRun: false, push, only: role ?? '' }, log);
  return code;
}
