// Pushing a lane branch needs an active queue claim for it (docs/reference.md, "Rules, layer by
// layer"): the queue is the work authority.
/** What the rule needs of a queue claim (the queue's own records have more). */
export interface ClaimFact {
  state: string;
  branch: string;
  owner: string;
  task?: string | null;
}

/** The task of `branch`'s active claim, where the claims are known and it names one. */
export function claimedTask(fact: ClaimsFact, branch: string): string | null {
  if ('unreadable' in fact) return null;
  return fact.claims.find((c) => c.state === 'active' && c.branch === branch)?.task ?? null;
}
import type { LanesConfig } from '../config/schema.js';
import { roleBranch, roleFromTemplate, shortBranch } from '../lanes/names.js';
import type { PushedRef } from './push.js';
import type { Context, Violation } from './types.js';
import { globsMeet, globsOutside } from './glob-overlap.js';

/** The claims as read from the store, or why they could not be read (a damaged store fails closed). */
export type ClaimsFact = { claims: ClaimFact[] } | { unreadable: string };

/** `server`: judged on the hub against its own queue, so a claim counts once it is synced there. */
export function claimRequired(
  ctx: Context,
  pushed: PushedRef[],
  fact: ClaimsFact,
  opts: { server?: boolean } = {},
): Violation[] {
  if (!ctx.config.queue.requireClaim) return [];
  const out: Violation[] = [];
  for (const p of pushed) {
    if (p.isDelete || !p.remoteRef.startsWith('refs/heads/')) continue;
    const branch = shortBranch(p.remoteRef);
    const role = roleFromTemplate(ctx.config.branches.role, branch);
    if (role === null || !ctx.config.roles[role]) continue;
    const object = `push ${p.localSha} -> ${p.remoteRef}`;
    if ('unreadable' in fact) {
      out.push({
        rule: 'claim-required',
        object,
        why: `the queue cannot be read, so no claim can be verified: ${fact.unreadable}`,
        fix: [
          'repair the queue (git log refs/lanes/queue shows its history), or sync it: lanes-hooks sync',
        ],
      });
      continue;
    }
    const held = fact.claims.filter((c) => c.state === 'active' && c.branch === branch);
    const owner = ctx.lane.owner;
    const claimHint = `lanes-hooks queue claim --role ${role} --owner ${owner ?? '<owner>'} --branch ${branch}`;
    if (!held.length) {
      out.push({
        rule: 'claim-required',
        object,
        why: opts.server
          ? `${branch} has no active claim in the hub’s queue, which is the only one the hub reads: a claim made in a lane counts here once it is shared (queue claim shares it where the hub answers; sync shares one made offline)`
          : `${branch} has no active claim in the queue: the queue is the work authority`,
        // On the hub the pusher's own queue is out of sight: both cases, each with its command,
        // so that a lane that claimed already does not claim twice (issue 30).
        fix: opts.server
          ? [`claimed already? share it: lanes-hooks sync`, `not claimed yet: ${claimHint}`]
          : [claimHint],
      });
    } else if (owner && !held.some((c) => c.owner === owner)) {
      out.push({
        rule: 'claim-required',
        object,
        why: `${branch} is claimed by ${held.map((c) => c.owner).join(', ')}, not by this lane's owner ${owner}`,
        fix: [
          `ask ${held[0]!.owner} to release it (lanes-hooks queue release --branch ${branch}), then: ${claimHint}`,
        ],
      });
    }
  }
  return out;
}

/** Who asks to claim or end a claim: a lane (its kind, role and owner where known). */
export interface Claimant {
  kind: 'delivery' | 'review' | 'coordinator' | 'unassigned';
  role: string | null;
  owner: string | null;
}

/**
 * A claim of `agent/<role>` is made only for that role (the branch decides it, not the claimed
 * role), only of a branch of a known role, and, from a lane, only of the lane's own branch by its
 * owner. The coordinator claims for any lane (the seed's `queue-claim ROLE OWNER BRANCH`).
 */
export function claimProblem(
  config: LanesConfig,
  who: Claimant,
  req: { role: string; branch: string; owner: string },
): Violation | null {
  const object = `queue claim ${req.branch} for ${req.role} by ${req.owner}`;
  const refuse = (why: string, fix: string[]): Violation => ({
    rule: 'claim-required',
    object,
    why,
    fix,
  });
  const roles = Object.keys(config.roles).join(', ');
  if (!config.roles[req.role])
    return refuse(`no role ${JSON.stringify(req.role)} in the config (roles: ${roles})`, [
      'claim for a role of the config',
    ]);
  const of = roleFromTemplate(config.branches.role, req.branch);
  if (of === null || !config.roles[of])
    return refuse(
      `${req.branch} is no lane branch of a role (${config.branches.role}, roles: ${roles}): claims are for lane branches`,
      [
        `lanes-hooks queue claim --role ${req.role} --owner ${req.owner} --branch ${roleBranch(config, req.role)}`,
      ],
    );
  if (of !== req.role)
    return refuse(
      `${req.branch} is the ${of} lane's branch: a claim of it is made for ${of}, not ${req.role}`,
      [
        `lanes-hooks queue claim --role ${req.role} --owner ${req.owner} --branch ${roleBranch(config, req.role)}`,
      ],
    );
  if (who.kind === 'coordinator') return null;
  if (who.role !== req.role)
    return refuse(
      `the ${who.role ?? 'unassigned'} lane claims only its own branch${who.role && config.roles[who.role] ? ` (${roleBranch(config, who.role)})` : ''}; ${req.branch} is claimed by its own lane or the coordinator`,
      [
        who.role && config.roles[who.role]
          ? `lanes-hooks queue claim --role ${who.role} --owner ${who.owner ?? req.owner} --branch ${roleBranch(config, who.role)}`
          : 'claim from the lane itself, or ask the coordinator',
      ],
    );
  if (who.owner && who.owner !== req.owner)
    return refuse(`this lane's owner is ${who.owner}: its claims are theirs`, [
      `lanes-hooks queue claim --role ${req.role} --owner ${who.owner} --branch ${req.branch}`,
    ]);
  return null;
}

/** Only the claim's own lane (and owner, where the lane has one) or the coordinator ends a claim. */
export function endProblem(
  who: Claimant,
  claim: { id: string; role: string; owner: string; branch: string },
  end: 'released' | 'done',
): Violation | null {
  if (who.kind === 'coordinator') return null;
  const mine = who.role === claim.role && (!who.owner || who.owner === claim.owner);
  if (mine) return null;
  return {
    rule: 'claim-required',
    object: `queue ${end === 'done' ? 'done' : 'release'} ${claim.id} (${claim.branch}, held by ${claim.owner})`,
    why: `only the claim's owner (${claim.owner}, in the ${claim.role} lane) or the coordinator ends it; this is ${who.role ?? 'an unassigned worktree'}${who.owner ? ` (owner ${who.owner})` : ''}`,
    fix: [
      `ask ${claim.owner} or the coordinator: lanes-hooks queue ${end === 'done' ? 'done' : 'release'} --branch ${claim.branch}`,
    ],
  };
}

/** What the overlap rule needs of the queue: tasks with the paths they name, and the claims. */
export interface TaskPathsFact {
  id: string;
  paths?: string[] | null;
}

/**
 * A task that names the paths it touches is not claimed while an active claim's task names paths
 * that may overlap them, whatever branch either is on: the refusal names the other claim, its
 * owner and the globs that meet.
 */
export function overlapProblem(
  tasks: readonly TaskPathsFact[],
  claims: readonly (ClaimFact & { id: string; task: string | null })[],
  req: { task: string | null; branch: string; owner: string },
): Violation | null {
  const mine = req.task === null ? undefined : tasks.find((t) => t.id === req.task);
  if (!mine?.paths?.length) return null;
  for (const c of claims) {
    if (c.state !== 'active' || c.task === null || c.task === req.task) continue;
    const theirs = tasks.find((t) => t.id === c.task);
    if (!theirs?.paths?.length) continue;
    const meet = globsMeet(mine.paths, theirs.paths);
    if (!meet) continue;
    return {
      rule: 'claim-required',
      object: `queue claim ${req.task} on ${req.branch} by ${req.owner}`,
      why: `${req.task} touches paths that ${c.task} may touch too (${meet}), and ${c.task} is claimed by ${c.owner} on ${c.branch} (claim ${c.id}): two claims never work on the same paths`,
      fix: [
        `wait until ${c.owner} ends claim ${c.id} (lanes-hooks queue done --branch ${c.branch}), or split the task so that its paths do not overlap`,
      ],
    };
  }
  return null;
}

/** What a claim of `role` may touch: its scope as path-scope reads it (paths plus shared). */
export function roleScopeGlobs(config: LanesConfig, role: string): string[] {
  const r = config.roles[role];
  if (!r) return [];
  if (r.kind === 'review') return [`${config.reviews.dir.replace(/\/+$/, '')}/**`];
  return [...(r.kind === 'delivery' ? r.paths : []), ...config.shared];
}

/**
 * A task's paths lie within the claiming role's scope: a claim of `--paths '**'` would otherwise
 * block every other claim that names paths, and a lane could hold paths it may never change.
 * Inclusion is proven glob by glob (policy/glob-overlap.ts globsOutside); a glob not proven inside
 * one glob of the scope is refused, with the globs of the scope to choose from.
 */
export function claimScopeProblem(
  config: LanesConfig,
  tasks: readonly TaskPathsFact[],
  req: { task: string | null; role: string; branch: string; owner: string },
): Violation | null {
  const task = req.task === null ? undefined : tasks.find((t) => t.id === req.task);
  if (!task?.paths?.length || !config.roles[req.role]) return null;
  const scope = roleScopeGlobs(config, req.role);
  const outside = globsOutside(task.paths, scope);
  if (!outside.length) return null;
  return {
    rule: 'claim-required',
    object: `queue claim ${req.task} on ${req.branch} by ${req.owner}`,
    paths: outside,
    why: `${req.task} names paths that are not proven to lie within the ${req.role} role's scope (${scope.join(', ') || 'none'}): a claim holds only paths its lane may change`,
    fix: [
      `add the task again with --paths inside ${scope.join(', ') || "the role's paths"} (lanes-hooks queue add <title> --role ${req.role} --paths <glob>), or claim it for the role whose scope holds them`,
    ],
  };
}
