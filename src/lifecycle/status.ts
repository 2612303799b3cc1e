// status / tick (docs/reference.md, "Commands"): one row per lane, gathered with two git commands
// per lane and one graph walk for all of them, then the next actions for the coordinator.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gitBatch, splitZ } from '../git/exec.js';
import { rangeCounts } from '../git/ranges.js';
import {
  currentWorktree,
  listWorktrees,
  MAIN_WORKTREE_ID,
  parseScopedConfig,
} from '../git/repo.js';
import { hooksBase, readInstallState, rootCheckout } from '../hooks/install.js';
import { anyAgentsInstalled, checkAllAgents } from '../hooks/agent-settings-extra.js';
import { cliCommand } from '../hooks/cli-command.js';
import type { HookContext } from '../hooks/context.js';
import { readQueue } from '../queue/queue.js';
import { readReviews } from '../reviews/model.js';
import { signoffsFor } from '../reviews/model.js';
import { coordinatorDir } from '../lanes/facts.js';
import { nextActions, STUCK_WINDOW_MS, type LaneRow } from './actions.js';
import { readRefusals } from '../store/refusals.js';
import { pendingRebase, readAudit, type AuditEntry } from '../store/audit.js';
import { resolveRef } from '../git/repo.js';
import { trailersOf } from '../git/trailers.js';
import { laneDir, remoteRef, roleBranch, roleFromTemplate, shortBranch } from '../lanes/names.js';
import { resolveLane } from '../lanes/resolve.js';
import { chooseIntegration, type IntegrationTarget } from '../lanes/integration.js';
import type { RadarCounts } from '../git/merge-tree.js';
import { applyRadar } from './radar.js';

export interface Status {
  /** What ahead/behind count against (docs/reference.md: the remote's copy unless it lags). */
  integration: IntegrationTarget;
  lanes: LaneRow[];
  actions: string[];
  /** The conflict radar's work this run: merges and diffs computed, answers from its cache. */
  radar: RadarCounts;
}

export async function laneStatus(ctx: HookContext): Promise<Status> {
  const { config, wt } = ctx;
  const coordinator = coordinatorDir(wt);
  const claims = readQueue().claims.filter((c) => c.state === 'active');
  const reviews = readReviews();
  const state = readInstallState(wt);
  const ourHooks = path.join(hooksBase(wt), 'hooks');
  const remoteIntegration = remoteRef(config.remote, config.integration);
  const localIntegration = `refs/heads/${config.integration}`;
  const worktrees = listWorktrees().filter((w) => !w.bare);

  // Every head against integration, and each review lane against what it reviews: one walk of
  // the graph for all lanes (git 2.39 has no ahead-behind), alongside the per-lane commands.
  const reviewedRole = (branch: string | null) =>
    branch ? roleFromTemplate(config.branches.review, shortBranch(branch)) : null;
  const reviewedRef = (role: string) =>
    remoteRef(config.remote, config.branches.role.replaceAll('{role}', role));
  const tips = [remoteIntegration, localIntegration];
  for (const w of worktrees) {
    if (!w.head) continue;
    const reviewed = reviewedRole(w.branch);
    tips.push(w.head, ...(reviewed ? [reviewedRef(reviewed)] : []));
  }
  // Two git commands per lane that is there, run by two shells (gitBatch says why).
  const live = worktrees.filter((w) => !w.prunable && existsSync(w.path));
  const [outputs, ranges] = await Promise.all([
    gitBatch(
      live.flatMap((w) => [
        {
          cwd: w.path,
          args: ['config', '-z', '--show-scope', '--get-regexp', '^(lanes\\.|core\\.hookspath$)'],
        },
        { cwd: w.path, args: ['status', '--porcelain', '-z', '--no-renames'] },
      ]),
    ),
    rangeCounts(tips, coordinator),
  ]);
  // The remote's copy of integration, unless it lags behind the local branch (or is missing).
  const target = chooseIntegration(
    config,
    ranges.commit(localIntegration),
    ranges.commit(remoteIntegration),
    ranges.count,
  );
  const integration = target.ref;

  const rows = worktrees.map((w): LaneRow => {
    const at = live.indexOf(w);
    if (at < 0)
      return {
        role: '?',
        kind: 'missing',
        path: w.path,
        branch: w.branch && shortBranch(w.branch),
        head: w.head,
        dirty: 0,
        ahead: 0,
        behind: 0,
        claim: null,
        signoffs: [],
        hooks: 'directory missing',
        missing: true,
      };
    const [cfg, porcelain] = [outputs[2 * at] ?? null, outputs[2 * at + 1] ?? null];
    const id = worktreeId(w.path);
    const scoped = parseScopedConfig(cfg ?? '');
    const lane = resolveLane(
      {
        worktreeId: id,
        isMain: id === MAIN_WORKTREE_ID,
        recordedRole: scoped.worktree.get('lanes.role') ?? null,
        recordedFor: scoped.worktree.get('lanes.worktree') ?? null,
        recordedOwner: scoped.worktree.get('lanes.owner') ?? null,
        roleByPath: roleAt(w.path),
      },
      config,
    );
    const branch = w.branch ? shortBranch(w.branch) : null;
    const hooksPath = scoped.worktree.get('core.hookspath') ?? scoped.any.get('core.hookspath');
    const role = lane.role ?? 'unassigned';
    const reviewed = reviewedRole(w.branch);
    return {
      role,
      kind: lane.kind,
      path: w.path,
      branch,
      head: w.head,
      dirty: splitZ(porcelain ?? '').length,
      ahead: (w.head && ranges.count(integration, w.head)) || 0,
      behind: (w.head && ranges.count(w.head, integration)) || 0,
      claim: claimFor(branch),
      signoffs: lane.kind === 'delivery' ? signoffsFor(reviews, role, w.head) : [],
      hooks: !state
        ? 'not installed'
        : hooksPath && path.resolve(w.path, hooksPath) === ourHooks
          ? 'ok'
          : hooksPath && path.isAbsolute(hooksPath) && /\/lanes-hooks\/hooks\/*$/.test(hooksPath)
            ? `inactive (core.hooksPath ${hooksPath} is outside this repository, moved?: lanes-hooks doctor --repair)`
            : `inactive (core.hooksPath is ${hooksPath ?? 'unset'})`,
      reviewing:
        lane.kind === 'review' && reviewed && w.head
          ? { role: reviewed, behind: ranges.count(w.head, reviewedRef(reviewed)) ?? 0 }
          : null,
    };
  });
  // Configured lanes that have no worktree yet.
  for (const role of Object.keys(config.roles)) {
    if (rows.some((r) => r.role === role)) continue;
    rows.push({
      role,
      kind: config.roles[role]!.kind,
      path: laneDir(config, coordinator, role),
      branch: null,
      head: null,
      dirty: 0,
      ahead: 0,
      behind: 0,
      claim: null,
      signoffs: [],
      hooks: 'missing',
      missing: true,
    });
  }
  // Refusals per lane (recorded only when something is refused; see store/refusals.ts).
  // Per lane and agent: will the agent's hooks run there (doctor's checks, first problem each)?
  if (state && anyAgentsInstalled(hooksBase(wt))) {
    const root = rootCheckout(wt.top ?? wt.gitDir);
    for (const r of rows) {
      if (r.missing) continue;
      const lw = currentWorktree(r.path);
      r.agents = checkAllAgents(lw, hooksBase(wt), state.node, root, cliCommand(wt)).map((c) => ({
        agent: c.agent,
        runs: c.runs,
        // One line for the table; doctor in that worktree prints the whole fix.
        problem:
          c.problems[0]
            ?.split('\n')[0]!
            .replace(/^\w+: /, '')
            .replace(/\. Trust them .*$/, '') ?? null,
      }));
    }
  }
  const now = Date.now();
  const refusals = readRefusals(wt.commonDir, now - 60 * 60 * 1000);
  for (const r of rows) {
    const mine = refusals.filter((x) => x.lane === r.role);
    r.refusals = mine.length;
    r.recentRefusals = mine.filter((x) => Date.parse(x.at) >= now - STUCK_WINDOW_MS).length;
  }
  // Rebases land asked for, still pending (the lane's pushed tip is the one it could not land).
  let audit: AuditEntry[] = [];
  try {
    audit = readAudit();
  } catch {
    // a damaged audit log: doctor says so; status shows no request
  }
  // Only a lane land ever asked costs a ref lookup (status stays flat in the number of lanes).
  const asked = new Set(audit.filter((e) => e.kind === 'rebase').map((e) => e.object));
  for (const r of rows) {
    if (r.kind !== 'delivery' || r.missing) continue;
    const branch = roleBranch(config, r.role);
    if (![...asked].some((o) => o.startsWith(`${branch} at `))) {
      r.landRebase = null;
      continue;
    }
    const e = pendingRebase(audit, branch, resolveRef(remoteRef(config.remote, branch)));
    r.landRebase = e ? { sha: e.object.slice(`${branch} at `.length), at: e.at } : null;
  }
  // Provenance of each lane's HEAD commit: one git command for all of them.
  const laneRows = rows.filter(
    (r) => !r.missing && r.head && (r.kind === 'delivery' || r.kind === 'review'),
  );
  try {
    const trailers = new Map(trailersOf(laneRows.map((r) => r.head!)).map((t) => [t.commit, t]));
    for (const r of laneRows) {
      const t = trailers.get(r.head!)?.trailers ?? {};
      r.provenance = t.Lane?.length
        ? { lane: t.Lane[0]!, task: t.Task?.[0] ?? null, agent: t.Agent?.[0] ?? null }
        : null;
    }
  } catch {
    // a HEAD git cannot read: doctor's business
  }
  const radar = applyRadar(rows, target.head, wt.commonDir);
  return { integration: target, lanes: rows, actions: nextActions(rows, config, target), radar };

  function claimFor(branch: string | null) {
    const c = branch ? claims.find((x) => x.branch === branch) : undefined;
    return c ? { owner: c.owner, branch: c.branch, task: c.task } : null;
  }
  function roleAt(dir: string): string | null {
    const here = path.resolve(dir);
    return (
      Object.keys(config.roles).find(
        (r) => path.resolve(laneDir(config, coordinator, r)) === here,
      ) ?? null
    );
  }
}

/** A worktree's id from its `.git` file (`gitdir: …/worktrees/<id>`), without asking git. */
function worktreeId(dir: string): string {
  try {
    const text = readFileSync(path.join(dir, '.git'), 'utf8');
    const m = /^gitdir: (.+)$/m.exec(text);
    return m ? path.basename(m[1]!.trim()) : MAIN_WORKTREE_ID;
  } catch {
    return MAIN_WORKTREE_ID; // .git is a directory: the main worktree
  }
}
