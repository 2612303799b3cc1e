// A coding agent's file write, judged before the file exists (agent-hook): the same rules as the
// commit that would follow, so the agent learns its lane's scope before it does the work.
import { releaseRef, roleFromTemplate, shortBranch } from '../lanes/names.js';
import { laneUnassigned } from './lane-unassigned.js';
import { pathScope } from './path-scope.js';
import type { Scope } from './scope.js';
import type { Context, Violation } from './types.js';

export interface WriteTarget {
  /** The path as the agent gave it. */
  given: string;
  /** Relative to this lane's worktree; null when the file lies outside it. */
  rel: string | null;
  /** The role of another lane whose worktree holds the file, if any. */
  otherLane: string | null;
}

export function agentWrite(
  ctx: Context,
  scope: Scope | null,
  branch: string | null,
  tool: string,
  targets: WriteTarget[],
): Violation[] {
  const { lane, config } = ctx;
  const object = `${tool} of ${targets.map((t) => t.rel ?? t.given).join(', ')}`;
  if (lane.kind === 'unassigned') return laneUnassigned(ctx, 'edit');
  const out: Violation[] = [];
  const elsewhere = targets.filter((t) => t.otherLane !== null);
  if (elsewhere.length)
    out.push({
      rule: 'path-scope',
      object: `${tool} in another lane's worktree`,
      why: `each lane writes only in its own worktree; ${elsewhere.map((t) => `${t.given} belongs to ${t.otherLane}`).join('; ')}`,
      fix: ['write in this worktree, or ask the coordinator to queue the change for that lane'],
      paths: elsewhere.map((t) => t.given),
    });
  if (branch === releaseRef(config))
    out.push({
      rule: 'release-branch-commit',
      object,
      why: `${config.release} is moved only by promotion; nothing is written on it`,
      fix: [`git switch ${lane.ownBranch ? shortBranch(lane.ownBranch) : config.integration}`],
    });
  const mirrorOf = branch?.startsWith('refs/heads/')
    ? roleFromTemplate(config.branches.review, shortBranch(branch))
    : null;
  if (mirrorOf !== null && lane.kind !== 'coordinator')
    out.push({
      rule: 'lane-branch',
      object,
      why: `${shortBranch(branch!)} is a read-only mirror of ${mirrorOf}'s branch: it is read, never written`,
      fix: lane.ownBranch
        ? [
            `git switch ${shortBranch(lane.ownBranch)}   (findings go there: lanes-hooks review finding …)`,
          ]
        : [],
    });
  const inside = targets.filter((t) => t.rel !== null && t.otherLane === null);
  out.push(
    ...pathScope(ctx, scope, [{ paths: inside.map((t) => t.rel!) }], object).map((v) => ({
      ...v,
      fix: [
        'leave these files to the lane that owns them: ask the coordinator to queue the change (lanes-hooks queue add "<what>" --role <role>)',
        'lanes-hooks brief   shows this lane’s paths and flow',
      ],
    })),
  );
  return out;
}
