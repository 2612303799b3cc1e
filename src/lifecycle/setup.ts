// setup (docs/reference.md, "Commands"): from the coordinator, make every configured lane exist —
// its branch from integration, its worktree at the configured path, hooks with its role — and say
// what it did. Idempotent; repairs a lane whose directory was deleted; never overwrites an occupied
// path.
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { EXIT, UserError } from '../util/errors.js';
import type { LanesConfig } from '../config/schema.js';
import { git } from '../git/exec.js';
import {
  currentWorktree,
  guessIntegration,
  listWorktrees,
  refValues,
  resolveCommit,
  worktreeLanesConfig,
} from '../git/repo.js';
import { lanePolicy } from '../lanes/policy.js';
import { hookContext } from '../hooks/context.js';
import { install, installAgentHooks, recordRole } from '../hooks/install.js';
import type { HookAgent } from '../agents/registry.js';
import { refreshCompiled } from '../hooks/compile.js';
import { heads, laneDir, remoteRef, roleBranch } from '../lanes/names.js';

export interface LanePlan {
  role: string;
  path: string;
  branch: string;
  steps: ('create branch' | 'prune stale worktree' | 'add worktree' | 'record role')[];
  error?: string;
}

export function planSetup(
  config: LanesConfig,
  coordinator: string,
  /** The integration commit, where the caller already resolved it. */
  resolved: string | null = null,
): { base: string; plans: LanePlan[] } {
  const base =
    resolved ??
    resolveCommit(config.integration) ??
    resolveCommit(remoteRef(config.remote, config.integration));
  if (!base)
    throw new UserError(
      `setup: neither ${config.integration} nor ${config.remote}/${config.integration} exists to branch the lanes from${integrationHint(config.integration, coordinator)}`,
    );
  const listed = listWorktrees(coordinator);
  // Every lane branch's value in one git call, not one per role.
  const branches = refValues(
    Object.keys(config.roles).map((role) => heads(roleBranch(config, role))),
    coordinator,
  );
  const plans = Object.keys(config.roles).map((role): LanePlan => {
    const dir = laneDir(config, coordinator, role);
    const branch = roleBranch(config, role);
    const plan: LanePlan = { role, path: dir, branch, steps: [] };
    if (!branches.get(heads(branch))) plan.steps.push('create branch');
    const entry = listed.find((w) => samePath(w.path, dir));
    if (entry && existsSync(dir)) {
      if (entry.branch && entry.branch !== heads(branch))
        plan.error = `the worktree at ${dir} is on ${entry.branch.replace('refs/heads/', '')}, not ${branch}`;
      else if (!roleRecorded(dir, role)) plan.steps.push('record role');
      return plan;
    }
    if (entry) plan.steps.push('prune stale worktree');
    else if (existsSync(dir) && !emptyDir(dir)) {
      plan.error = `${dir} exists and is not this lane's worktree: not touching it (move it away, or change "worktrees" in the config)`;
      return plan;
    }
    const holder = listed.find(
      (w) => w.branch === heads(branch) && !samePath(w.path, dir) && existsSync(w.path),
    );
    if (holder) {
      plan.error = `${branch} is checked out in ${holder.path}; switch that worktree to another branch first`;
      return plan;
    }
    plan.steps.push('add worktree', 'record role');
    return plan;
  });
  return { base, plans };
}

/** When the config's integration branch is missing: the branch this repository seems to use. */
function integrationHint(configured: string, cwd: string): string {
  const guess = guessIntegration('origin', cwd);
  return guess && guess.branch !== configured
    ? ` (this repository's integration branch looks like ${guess.branch}, ${guess.why}: set "integration": "${guess.branch}" in the config, commit it, and run setup again)`
    : '';
}

export function setup(opts: {
  dryRun: boolean;
  log: (s: string) => void;
  /** Coding agents whose hook settings every lane (and the coordinator) gets. */
  agents?: HookAgent[];
}): number {
  const ctx = hookContext();
  if (ctx.lane.kind !== 'coordinator' || !ctx.wt.top)
    throw new UserError(
      `setup: run it from the coordinator checkout (this is ${ctx.lane.role ?? 'an unassigned worktree'})`,
    );
  if (!resolveCommit('HEAD', ctx.wt.top) && !resolveCommit(ctx.config.integration, ctx.wt.top))
    throw new UserError(
      `setup: this repository has no commit yet, so there is no ${ctx.config.integration} to branch the lanes from: make a first commit (git add .lanesrc.json && git commit -m "lanes policy"), then run setup again`,
    );
  const { config } = ctx;
  const base =
    resolveCommit(config.integration, ctx.wt.top) ??
    resolveCommit(remoteRef(config.remote, config.integration), ctx.wt.top);
  if (!base)
    throw new UserError(
      `setup: neither ${config.integration} nor ${config.remote}/${config.integration} exists to branch the lanes from${integrationHint(config.integration, ctx.wt.top)}`,
    );
  // The lanes follow only the committed policy: lanes made before it exists would all refuse.
  if (!ctx.policy.refs.length && !opts.dryRun)
    throw new UserError(
      `setup: ${ctx.policy.warning ?? 'the lanes follow only the config committed on the integration branch'}; then run setup again`,
    );
  const coordinator = ctx.wt.top;
  const { plans } = planSetup(ctx.config, coordinator, base);
  const rel = (p: LanePlan) => path.relative(coordinator, p.path) || '.';
  const width = Math.max(...plans.map((p) => p.role.length));
  const pathWidth = Math.max(...plans.map((p) => rel(p).length));
  const say = (p: LanePlan, text: string) =>
    opts.log(`${p.role.padEnd(width)}  ${rel(p).padEnd(pathWidth)}  ${text}`);
  if (opts.dryRun) {
    for (const p of plans)
      say(
        p,
        p.error
          ? `ERROR: ${p.error}`
          : p.steps.length
            ? `would: ${p.steps.join(', ')}`
            : 'ok, nothing to do',
      );
    return plans.some((p) => p.error) ? EXIT.usage : EXIT.ok;
  }
  install({ cwd: coordinator }); // idempotent: the shared hooks every lane runs
  // All missing branches in one transaction: one reference-transaction round for the lot.
  const creates = plans.filter((p) => !p.error && p.steps.includes('create branch'));
  if (creates.length)
    git(['update-ref', '--stdin'], {
      cwd: coordinator,
      input: creates.map((p) => `create ${heads(p.branch)} ${base}\n`).join(''),
    });
  if (plans.some((p) => p.steps.includes('prune stale worktree')))
    git(['worktree', 'prune'], { cwd: coordinator });
  // Every lane follows the policy committed on integration. Where install has pinned the branch
  // it is read from (install does, in the coordinator) and it loads, that policy is the same
  // for every worktree of this repository (lanes/policy.ts: a pinned name, the shared refs, the
  // same blobs), so it is read once here instead of once per lane (issue 29). Otherwise each
  // lane reads its own, as before. (ctx.policy was read before install: reused where it was
  // already pinned, which install leaves as it is.)
  const committed = ctx.policy.pinned ? ctx.policy : lanePolicy(ctx.wt);
  const shared =
    committed.pinned && committed.refs.length && !committed.broken ? committed : undefined;
  let changed = 0;
  for (const p of plans) {
    if (p.error) {
      say(p, `ERROR: ${p.error}`);
      continue;
    }
    if (p.steps.includes('add worktree'))
      git(['worktree', 'add', '--quiet', p.path, p.branch], { cwd: coordinator });
    if (p.steps.includes('record role')) {
      const lane = currentWorktree(p.path);
      recordRole(lane, p.role);
      refreshCompiled(lane, shared);
    }
    if (p.steps.length) changed++;
    say(p, p.steps.length ? describe(p, ctx.config) : 'ok, nothing to do');
  }
  if (opts.agents?.length) {
    for (const dir of [coordinator, ...plans.filter((p) => !p.error).map((p) => p.path)])
      installAgentHooks(opts.agents, dir);
    opts.log(`setup: ${opts.agents.join(', ')} hooks in every lane`);
  }
  const errors = plans.filter((p) => p.error).length;
  opts.log(
    `setup: ${plans.length - errors} lane(s) ready, ${changed} changed${errors ? `, ${errors} error(s)` : ''}`,
  );
  return errors ? EXIT.usage : EXIT.ok;
}

function describe(p: LanePlan, config: LanesConfig): string {
  const words: Record<LanePlan['steps'][number], string> = {
    'create branch': `created ${p.branch} from ${config.integration}`,
    'prune stale worktree': 'pruned the stale worktree entry (its directory was gone)',
    'add worktree': 'added the worktree',
    'record role': `recorded role ${p.role}`,
  };
  return p.steps.map((s) => words[s]).join(', ');
}

function roleRecorded(dir: string, role: string): boolean {
  const wt = currentWorktree(dir);
  const rec = worktreeLanesConfig(dir);
  return rec.get('lanes.role') === role && rec.get('lanes.worktree') === wt.id;
}

function samePath(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return real(a) === real(b);
}

function emptyDir(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch {
    return false;
  }
}
