// status / tick (LANES-SPEC §5): one row per lane, gathered with a few git calls per lane run side
// by side, then the next actions for the coordinator.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gitAsync, splitZ } from '../git/exec.js';
import { listWorktrees, MAIN_WORKTREE_ID, parseScopedConfig } from '../git/repo.js';
import { hooksBase, readInstallState } from '../hooks/install.js';
import type { HookContext } from '../hooks/context.js';
import { readQueue } from '../queue/queue.js';
import { readReviews } from '../reviews/review.js';
import { signoffsFor } from '../reviews/model.js';
import { coordinatorDir } from './facts.js';
import { nextActions, type LaneRow } from './actions.js';
import { laneDir, remoteRef, roleFromTemplate, shortBranch } from './names.js';
import { resolveLane } from './resolve.js';

export interface Status {
  lanes: LaneRow[];
  actions: string[];
}

export async function laneStatus(ctx: HookContext): Promise<Status> {
  const { config, wt } = ctx;
  const coordinator = coordinatorDir(wt);
  const claims = readQueue().claims.filter((c) => c.state === 'active');
  const reviews = readReviews();
  const state = readInstallState(wt);
  const ourHooks = path.join(hooksBase(wt), 'hooks');
  const integration = remoteRef(config.remote, config.integration);
  const worktrees = listWorktrees().filter((w) => !w.bare);

  const rows = await mapLimit(worktrees, 6, async (w): Promise<LaneRow> => {
    if (w.prunable || !existsSync(w.path))
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
    const id = worktreeId(w.path);
    const [cfg, porcelain, counts] = await Promise.all([
      gitAsync(['config', '-z', '--show-scope', '--get-regexp', '^(lanes\\.|core\\.hookspath$)'], {
        cwd: w.path,
      }),
      gitAsync(['status', '--porcelain', '-z', '--no-renames'], { cwd: w.path }),
      w.head
        ? gitAsync(['rev-list', '--left-right', '--count', `${integration}...${w.head}`], {
            cwd: coordinator,
          })
        : Promise.resolve(null),
    ]);
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
    const [behind = 0, ahead = 0] = (counts ?? '0\t0').split(/\s+/).map(Number);
    const branch = w.branch ? shortBranch(w.branch) : null;
    const hooksPath = scoped.worktree.get('core.hookspath') ?? scoped.any.get('core.hookspath');
    const role = lane.role ?? 'unassigned';
    const reviewed = branch ? roleFromTemplate(config.branches.review, branch) : null;
    let reviewing: LaneRow['reviewing'] = null;
    if (lane.kind === 'review' && reviewed && w.head) {
      const tip = await gitAsync(
        [
          'rev-list',
          '--count',
          `${w.head}..${remoteRef(config.remote, config.branches.role.replaceAll('{role}', reviewed))}`,
        ],
        { cwd: coordinator },
      );
      reviewing = { role: reviewed, behind: Number(tip ?? 0) };
    }
    return {
      role,
      kind: lane.kind,
      path: w.path,
      branch,
      head: w.head,
      dirty: splitZ(porcelain ?? '').length,
      ahead,
      behind,
      claim: claimFor(branch),
      signoffs: lane.kind === 'delivery' ? signoffsFor(reviews, role, w.head) : [],
      hooks: !state
        ? 'not installed'
        : hooksPath && path.resolve(w.path, hooksPath) === ourHooks
          ? 'ok'
          : `inactive (core.hooksPath is ${hooksPath ?? 'unset'})`,
      reviewing,
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
  return { lanes: rows, actions: nextActions(rows, config) };

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

/** Map with at most `limit` lanes in flight: a burst of 90 git processes on two cores only thrashes. */
async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
