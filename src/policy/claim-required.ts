// Pushing a lane branch needs an active queue claim for it (docs/reference.md, "Rules, layer by
// layer"): the queue is the work authority.
/** What the rule needs of a queue claim (the queue's own records have more). */
export interface ClaimFact {
  state: string;
  branch: string;
  owner: string;
}
import { roleFromTemplate, shortBranch } from '../lanes/names.js';
import type { PushedRef } from './push.js';
import type { Context, Violation } from './types.js';

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
    const claimHint =
      `lanes-hooks queue claim --role ${role} --owner ${owner ?? '<owner>'} --branch ${branch}` +
      (opts.server ? ' && lanes-hooks sync   (the hub reads its own queue)' : '');
    if (!held.length) {
      out.push({
        rule: 'claim-required',
        object,
        why: `${branch} has no active claim in the ${opts.server ? 'hub’s ' : ''}queue: the queue is the work authority`,
        fix: [claimHint],
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
