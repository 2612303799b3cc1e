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

/**
 * Claude Code's EnterWorktree, before it moves the session: a lane's agent works in its own
 * worktree. `to` is the worktree asked for (null: a new one under .claude/worktrees/), `own`
 * whether it is this lane's, `otherLane` whose it is.
 */
export function agentEnterWorktree(
  ctx: Context,
  to: string | null,
  own: boolean,
  otherLane: string | null,
): Violation[] {
  if (own) return [];
  const where = ctx.lane.role ? `the ${ctx.lane.role} lane` : 'this worktree';
  return [
    {
      rule: 'path-scope',
      object: to ? `EnterWorktree into ${to}` : 'EnterWorktree into a new worktree',
      why: to
        ? `each lane's agent works only in its own worktree; ${to} is ${otherLane ? `${otherLane}'s` : 'not this lane’s'}, and this session stays ${where}'s wherever it goes`
        : `each lane's agent works only in its own worktree; a new worktree has no lane, and nothing may be committed there`,
      fix: [
        `stay in this worktree; for work that belongs to another lane, ask the coordinator to queue it`,
      ],
    },
  ];
}

/**
 * What a shell tool left in the worktree (agent-hook after Claude Code's Bash or Codex's
 * exec_command): every changed or new file outside the scope, and the commands that put them back.
 * Nothing is undone for the agent: it is told at once, and the commit would be refused anyway.
 */
export function agentShellChanges(
  ctx: Context,
  scope: Scope | null,
  tool: string,
  tracked: string[],
  untracked: string[],
  quote: (s: string) => string,
): Violation[] {
  if (!scope || ctx.lane.kind === 'unassigned') return [];
  const outT = tracked.filter((p) => !scope.allows(p));
  const outU = untracked.filter((p) => !scope.allows(p));
  if (!outT.length && !outU.length) return [];
  const [v] = pathScope(
    ctx,
    scope,
    [{ paths: [...outT, ...outU] }],
    `${tool} changed the worktree`,
  );
  const fix: string[] = [];
  if (outT.length)
    fix.push(
      `git restore --source=HEAD --staged --worktree -- ${outT.map(quote).join(' ')}   (puts the changed files back)`,
    );
  if (outU.length)
    fix.push(
      `git clean -f -- ${outU.map(quote).join(' ')}   (removes the new files; look first: git clean -n -- …)`,
    );
  fix.push('then make the change inside this lane’s paths, or ask the coordinator to queue it');
  return [{ ...v!, fix }];
}
