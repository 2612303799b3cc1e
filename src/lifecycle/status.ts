// status / tick (docs/reference.md, "Commands"): one row per lane, then the next actions for the
// coordinator. Gathered from one sh running one git config for every lane, one graph walk, the
// stores' tips and the heads' trailers, then a git status per lane the status cache cannot answer:
// on a loaded two-core machine each process started costs tens of milliseconds.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { gitBatch, gitJob, runGitJobs, splitZ, type GitJob } from '../git/exec.js';
import { rangeCountsJob, type RangeCounts } from '../git/ranges.js';
import {
  currentWorktree,
  gitDirOf,
  listWorktrees,
  MAIN_WORKTREE_ID,
  parseScopedConfig,
  scopedConfigsArgs,
  scopedConfigsFrom,
} from '../git/repo.js';
import { hooksBase, readInstallState, rootCheckout } from '../hooks/install.js';
import { anyAgentsInstalled, checkAllAgents } from '../agents/checks.js';
import { cliCommand } from '../hooks/cli-command.js';
import type { HookContext } from '../hooks/context.js';
import { readQueue } from '../queue/queue.js';
import { QUEUE_REF } from '../queue/model.js';
import { readReviews, REVIEWS_REF } from '../reviews/model.js';
import { signoffsFor } from '../reviews/model.js';
import { coordinatorDir } from '../lanes/facts.js';
import { brokenConfigAction } from '../lanes/policy.js';
import { lastLanding, nextActions, refusalLoop, type LaneRow } from './actions.js';
import { readRefusals } from '../store/refusals.js';
import { AUDIT_REF, pendingRebase, readAudit, type AuditEntry } from '../store/audit.js';
import { resolveRef } from '../git/repo.js';
import { trailersOf, trailersOfJob, type CommitTrailers } from '../git/trailers.js';
import { laneDir, remoteRef, roleBranch, roleFromTemplate, shortBranch } from '../lanes/names.js';
import { resolveLane } from '../lanes/resolve.js';
import { chooseIntegration, type IntegrationTarget } from '../lanes/integration.js';
import { commitsBetween } from '../git/commit-log.js';
import { landedByCoordinator } from './unverified.js';
import type { RadarCounts } from '../git/merge-tree.js';
import { applyRadar } from './radar.js';
import { StatusCache } from '../git/status-cache.js';

/** A lane's recorded role and hooks path, in every scope (what parseScopedConfig reads). */
const CONFIG_KEYS = /^(lanes\.|core\.hookspath$)/;
const CONFIG_ARGS = [
  'config',
  '-z',
  '--show-scope',
  '--get-regexp',
  '^(lanes\\.|core\\.hookspath$)',
];
const STATUS_ARGS = ['status', '--porcelain', '-z', '--no-renames'];
const STORES = [QUEUE_REF, REVIEWS_REF, AUDIT_REF];
/** A place in runGitJobs' list that asks nothing. */
const NO_JOB: GitJob<null> = { script: () => ':', read: () => null };

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
  // Per lane that is there: its recorded role and hooks path (git config), and its changes (git
  // status). The config of every lane whose git dir is the repository's comes from one git call
  // (scopedConfigsFrom says how). These, the walk, the stores' tips and the heads' trailers all
  // run from one sh (runGitJobs says why).
  const live = worktrees.filter((w) => !w.prunable && existsSync(w.path));
  const gitDirs = live.map((w) => {
    const g = gitDirOf(w.path);
    const ours =
      g !== null &&
      (path.resolve(g) === path.resolve(wt.commonDir) ||
        path.dirname(path.resolve(g)) === path.join(path.resolve(wt.commonDir), 'worktrees'));
    return ours ? path.resolve(g) : null;
  });
  const sharedDirs = gitDirs.filter((g): g is string => g !== null);
  const here = process.cwd();
  const heads = [...new Set(live.flatMap((w) => (w.head ? [w.head] : [])))];
  const [ranges, storeTips, allTrailers, sharedConfig, ...perLane] = (await runGitJobs([
    rangeCountsJob(tips, coordinator),
    gitJob(['for-each-ref', '--format=%(objectname) %(refname)', ...STORES], here),
    trailersOfJob(heads, coordinator),
    sharedDirs.length ? gitJob(scopedConfigsArgs(sharedDirs), wt.commonDir) : NO_JOB,
    ...live.map((w, i) => (gitDirs[i] === null ? gitJob(CONFIG_ARGS, w.path) : NO_JOB)),
  ] as GitJob<Buffer | null>[])) as [
    RangeCounts,
    Buffer | null,
    CommitTrailers[] | null,
    ...(Buffer | null)[],
  ];
  const text = (b: Buffer | null | undefined) =>
    b == null ? null : b.toString('utf8').replace(/\n$/, '');
  const listing = text(sharedConfig);
  const derived = scopedConfigsFrom(listing, wt.commonDir, sharedDirs, CONFIG_KEYS);
  const whole = scopedConfigsFrom(listing, wt.commonDir, sharedDirs, /(?:)/);
  // A worktree whose config could not be derived asks its own git (the answer git gives there).
  const configs = live.map((_, i) =>
    gitDirs[i] === null ? text(perLane[i]) : derived[sharedDirs.indexOf(gitDirs[i]!)]!,
  );
  const retry = live.filter((_, i) => gitDirs[i] !== null && configs[i] === null);
  // Each lane's git status, unless the status cache proves it unchanged (status-cache.ts says how).
  const cache = new StatusCache(wt.commonDir, STATUS_ARGS);
  const statuses = live.map((w, i) => {
    const config = gitDirs[i] === null ? null : whole[sharedDirs.indexOf(gitDirs[i]!)];
    return config != null
      ? cache.get({ top: w.path, gitDir: gitDirs[i]!, head: w.head, branch: w.branch, config })
      : null;
  });
  const ask = live.filter((_, i) => statuses[i] === null);
  if (retry.length + ask.length) {
    const again = await gitBatch([
      ...retry.map((w) => ({ cwd: w.path, args: CONFIG_ARGS })),
      ...ask.map((w) => ({ cwd: w.path, args: STATUS_ARGS })),
    ]);
    retry.forEach((w, n) => (configs[live.indexOf(w)] = again[n] ?? null));
    ask.forEach((w, n) => {
      const out = again[retry.length + n] ?? null;
      statuses[live.indexOf(w)] = out;
      if (out !== null) cache.remember(w.path, out);
    });
  }
  cache.save();
  // The stores' tips, looked up above (absent: an empty store); if that failed, each store looks.
  const tipOf = (ref: string) => {
    if (storeTips === null) return undefined;
    const line = text(storeTips)!
      .split('\n')
      .find((l) => l.slice(l.indexOf(' ') + 1) === ref);
    return line ? line.slice(0, line.indexOf(' ')) : null;
  };
  const claims = readQueue(undefined, tipOf(QUEUE_REF)).claims.filter((c) => c.state === 'active');
  const reviews = readReviews(undefined, tipOf(REVIEWS_REF));
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
    const [cfg, porcelain] = [configs[at] ?? null, statuses[at] ?? null];
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
      tracked: splitZ(porcelain ?? '').filter((e) => !e.startsWith('??')).length,
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
  let audit: AuditEntry[] = [];
  try {
    audit = readAudit(undefined, tipOf(AUDIT_REF));
  } catch {
    // a damaged audit log: doctor says so; status shows no request
  }
  const now = Date.now();
  const refusals = readRefusals(wt.commonDir, now - 60 * 60 * 1000);
  for (const r of rows) {
    const mine = refusals.filter((x) => x.lane === r.role);
    r.refusals = mine.length;
    // A loop is one refusal repeated (actions.ts), since the lane last landed; never the coordinator.
    const loop =
      r.kind === 'coordinator'
        ? null
        : refusalLoop(mine, now, lastLanding(audit, roleBranch(config, r.role)));
    r.recentRefusals = loop?.count ?? 0;
    r.loop = loop;
  }
  // Rebases land asked for, still pending (the lane's pushed tip is the one it could not land).
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
    // The trailers of every head were read above; if that failed, ask for the lanes' alone.
    const read = allTrailers ?? trailersOf(laneRows.map((r) => r.head!));
    const trailers = new Map(read.map((t) => [t.commit, t]));
    for (const r of laneRows) {
      const t = trailers.get(r.head!)?.trailers ?? {};
      r.provenance = t.Lane?.length
        ? { lane: t.Lane[0]!, task: t.Task?.[0] ?? null, agent: t.Agent?.[0] ?? null }
        : null;
    }
  } catch {
    // a HEAD git cannot read: doctor's business
  }
  if (target.unpushed > 0 && target.head) {
    const remoteTip = ranges.commit(remoteIntegration);
    if (remoteTip && !landedByCoordinator(audit, config.integration, remoteTip, target.head))
      target.unverified = commitsBetween(remoteTip, target.head, 10);
  }
  const radar = applyRadar(rows, target.head, wt.commonDir, (a, b) => ranges.mergeBases(a, b));
  // A config that does not load comes first: committed, it stops every lane.
  const broken = brokenConfigAction(ctx.policy, wt.top, wt.isMain);
  const actions = [...(broken ? [broken] : []), ...nextActions(rows, config, target)];
  return { integration: target, lanes: rows, actions, radar };

  function claimFor(branch: string | null) {
    const c = branch ? claims.find((x) => x.branch === branch) : undefined;
    return c ? { owner: c.owner, branch: c.branch, task: c.task } : null;
  }
  function roleAt(dir: string): string | null {
    // As lanes/facts.ts decides it: the real paths (a symlinked parent is the same directory).
    const here = real(dir);
    return (
      Object.keys(config.roles).find((r) => real(laneDir(config, coordinator, r)) === here) ?? null
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

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}
