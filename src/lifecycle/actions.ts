// The coordinator's next actions, computed from the status rows alone (pure).
import type { LanesConfig } from '../config/schema.js';
import { reviewBranch, roleBranch } from '../lanes/names.js';

export interface LaneRow {
  role: string;
  kind: string;
  path: string;
  branch: string | null;
  head: string | null;
  dirty: number;
  ahead: number;
  behind: number;
  claim: { owner: string; branch: string; task: string | null } | null;
  signoffs: { role: string; sha: string }[];
  hooks: string;
  /** For review lanes on a review branch: which delivery role, and how far behind its tip. */
  reviewing?: { role: string; behind: number } | null;
  missing?: boolean;
  /** Refusals in this lane over the last hour (git hooks and agent-hook alike). */
  refusals?: number;
  /** Of those, how many in the last STUCK_WINDOW_MS. */
  recentRefusals?: number;
  /** land asked this lane to rebase its pushed tip `sha` (pending until it pushes another). */
  rebase?: { sha: string; at: string } | null;
  /** The provenance trailers of the lane's HEAD commit (delivery and review lanes). */
  provenance?: { lane: string | null; task: string | null; agent: string | null } | null;
}

/** A lane refused this often within STUCK_WINDOW_MS is an agent retrying instead of changing course. */
export const STUCK_REFUSALS = 4;
export const STUCK_WINDOW_MS = 15 * 60 * 1000;

export function nextActions(rows: LaneRow[], config: LanesConfig): string[] {
  const out: string[] = [];
  const short = (sha: string | null) => (sha ?? '').slice(0, 7);
  for (const r of rows) {
    if (r.missing) {
      out.push(`${r.role}: no worktree at ${r.path} → lanes-hooks setup`);
      continue;
    }
    if ((r.recentRefusals ?? 0) >= STUCK_REFUSALS)
      out.push(
        `${r.role}: refused ${r.recentRefusals} times in ${STUCK_WINDOW_MS / 60_000} minutes — an agent stuck in a loop? → read its last refusal, show it its lane (lanes-hooks brief in ${r.path}), re-scope or re-queue the task`,
      );
    if (r.hooks !== 'ok')
      out.push(
        `${r.role}: hooks ${r.hooks} → lanes-hooks install${r.kind === 'coordinator' ? '' : ` --role ${r.role}`} (in ${r.path})`,
      );
    if (r.kind === 'delivery') {
      const required = config.reviews.required;
      const signed = r.signoffs.map((s) => s.role);
      const missingSignoffs = required.filter((q) => !signed.includes(q));
      if (r.rebase)
        out.push(
          `${r.role}: rebase onto ${config.remote}/${config.integration} (land asked at ${r.rebase.at}: ${short(r.rebase.sha)} no longer fast-forwards) → git fetch && git rebase ${config.remote}/${config.integration} && git push --force-with-lease (in ${r.path})`,
        );
      else if (r.ahead > 0 && r.behind > 0)
        out.push(
          `${r.role}: ${r.behind} commits behind ${config.remote}/${config.integration} → rebase agent branch in ${r.path} (git rebase ${config.remote}/${config.integration})`,
        );
      else if (r.ahead > 0 && !r.claim)
        out.push(
          `${r.role}: ${r.ahead} commits, no claim → lanes-hooks queue claim --role ${r.role} --owner <owner> --branch ${roleBranch(config, r.role)}`,
        );
      else if (r.ahead > 0 && missingSignoffs.length)
        out.push(
          `${r.role}: ${r.ahead} commits at ${short(r.head)}, claimed by ${r.claim!.owner}, awaiting sign-off from ${missingSignoffs.join(', ')} → lanes-hooks review refresh ${r.role}, then review signoff ${r.role} (in ${missingSignoffs.join(', ')})`,
        );
      else if (r.ahead > 0)
        out.push(
          `${r.role}: ${r.ahead} commits, claimed by ${r.claim!.owner}${signed.length ? `, signed off by ${signed.join(', ')} at ${short(r.head)}` : ''} → lanes-hooks merge ${r.role}`,
        );
      else if (r.dirty > 0 && !r.claim)
        out.push(`${r.role}: ${r.dirty} dirty files, no claim → claim the work or clean the lane`);
    }
    if (r.kind === 'review' && r.reviewing && r.reviewing.behind > 0) {
      out.push(
        `${r.role}: review of ${r.reviewing.role} is ${r.reviewing.behind} commits behind ${roleBranch(config, r.reviewing.role)} → lanes-hooks review refresh ${r.reviewing.role} (in ${r.path}, on ${reviewBranch(config, r.reviewing.role)})`,
      );
    }
  }
  return out;
}
