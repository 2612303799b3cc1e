// The coordinator's next actions, computed from the status rows alone (pure).
import type { LanesConfig } from '../config/schema.js';
import { reviewBranch, roleBranch } from '../lanes/names.js';
import type { IntegrationTarget } from '../lanes/integration.js';
import { showName } from '../policy/format.js';
import {
  plural,
  rebaseRequest,
  somePaths,
  type Conflicts,
  type MergeState,
} from '../lanes/radar.js';

export { plural, somePaths };

export interface LaneRow {
  role: string;
  kind: string;
  path: string;
  branch: string | null;
  head: string | null;
  dirty: number;
  /** Of the dirty files, those git tracks (changed or staged): what merge and land refuse on. */
  tracked?: number;
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
  /**
   * The most times one refusal (the same rule on the same object) recurred in the last
   * STUCK_WINDOW_MS since the lane last landed (refusalLoop); 0 for the coordinator.
   */
  recentRefusals?: number;
  /** That refusal, when there is one. */
  loop?: RefusalLoop | null;
  /** The conflict radar (delivery lanes): how the lane's work goes into integration. */
  merge?: MergeState;
  /** Paths that conflict with integration and with each other lane (empty: merges cleanly). */
  conflicts?: Conflicts;
  /** Per coding agent with hooks installed: will they run here, and if not the first problem. */
  agents?: { agent: string; runs: boolean; problem: string | null }[];
  /** land asked this lane to rebase its pushed tip `sha` (pending until it pushes another). */
  landRebase?: { sha: string; at: string } | null;
  /** The provenance trailers of the lane's HEAD commit (delivery and review lanes). */
  provenance?: { lane: string | null; task: string | null; agent: string | null } | null;
}

/**
 * A lane refused the same way (the same rule on the same object) this often within STUCK_WINDOW_MS
 * is an agent retrying instead of changing course. Distinct refusals are an agent finding its
 * lane's edges, and deliberate ones (a coordinator's, a demo's) are not loops at all.
 */
export const STUCK_REFUSALS = 4;
export const STUCK_WINDOW_MS = 15 * 60 * 1000;

export interface RefusalLoop {
  rule: string;
  object: string;
  count: number;
}

/**
 * The refusal repeated most often within STUCK_WINDOW_MS before `now`, counting only those after
 * `since` (the lane's last landing: what it did before landed is over); null when none repeats.
 */
export function refusalLoop(
  refusals: { at: string; rule: string; object: string }[],
  now: number,
  since: number | null = null,
): RefusalLoop | null {
  const from = Math.max(now - STUCK_WINDOW_MS, since ?? -Infinity);
  const counts = new Map<string, RefusalLoop>();
  let best: RefusalLoop | null = null;
  for (const x of refusals) {
    const t = Date.parse(x.at);
    if (!(t >= from) || t > now) continue;
    const key = JSON.stringify([x.rule, x.object]);
    const c = counts.get(key) ?? { rule: x.rule, object: x.object, count: 0 };
    c.count++;
    counts.set(key, c);
    if (!best || c.count > best.count) best = c;
  }
  return best && best.count > 1 ? best : null;
}

/** When `branch` last landed (a landing entry of land or merge names it), as ms; null if never. */
export function lastLanding(
  audit: { kind?: string; object: string; at: string }[],
  branch: string,
): number | null {
  let last: number | null = null;
  for (const e of audit) {
    if (e.kind !== 'landing' || !e.object.endsWith(` (${branch})`)) continue;
    const t = Date.parse(e.at);
    if (!Number.isNaN(t) && (last === null || t > last)) last = t;
  }
  return last;
}

export function nextActions(
  rows: LaneRow[],
  config: LanesConfig,
  integration?: IntegrationTarget,
): string[] {
  const out: string[] = [];
  const short = (sha: string | null) => (sha ?? '').slice(0, 7);
  const target = integration ?? {
    name: `${config.remote}/${config.integration}`,
    head: null,
    remote: true,
    unpushed: 0,
  };
  const unverified = integration?.unverified ?? [];
  if (unverified.length)
    // Never advise pushing what merge/land did not make (lifecycle/unverified.ts).
    out.push(
      `integration: ${config.integration} is ${plural(target.unpushed, 'commit')} ahead of ${config.remote}/${config.integration}, not made by merge or land (unverified): ${unverified
        .slice(0, 3)
        .map(
          (c) =>
            `${c.sha.slice(0, 12)} by ${JSON.stringify(c.author)} ${JSON.stringify(c.subject)}`,
        )
        .join(
          ', ',
        )}${target.unpushed > 3 ? `, …` : ''} → not advised for a push: check them first (git log ${config.remote}/${config.integration}..${config.integration}); if they are not yours: git reset --keep ${config.remote}/${config.integration} (in the coordinator)`,
    );
  else if (target.unpushed > 0)
    out.push(
      `integration: ${config.integration} is ${plural(target.unpushed, 'commit')} ahead of ${config.remote}/${config.integration} → push integration: git push ${config.remote} ${config.integration} (in the coordinator)`,
    );
  const idle: string[] = [];
  // Lanes rebase onto what they can fetch: while integration waits for its push, after it.
  const onto =
    target.unpushed > 0 && target.remote
      ? {
          name: `${config.remote}/${config.integration}`,
          head: target.head,
          after: `once ${config.integration} is pushed, `,
        }
      : target;
  // The hooks are one directory shared by every worktree: when they are off the same way in several
  // lanes, one install (in any worktree) fixes them all, so it is one action, not one per lane.
  // ('not installed' stays per lane: uninstall also dropped the recorded roles, which only
  // `install --role` in each lane puts back.)
  const broken = rows.filter((r) => !r.missing && r.hooks.startsWith('inactive'));
  const shared =
    broken.length > 1 &&
    new Set(broken.map((r) => r.hooks)).size === 1 &&
    rows.every((r) => r.missing || r.hooks === 'ok' || r.hooks === broken[0]!.hooks);
  if (shared)
    out.push(
      `${broken.length} lanes (${broken.map((r) => r.role).join(', ')}): hooks ${broken[0]!.hooks} → lanes-hooks install, once, in any worktree (the hooks are shared: it fixes every lane)`,
    );
  for (const r of rows) {
    if (r.missing) {
      out.push(`${r.role}: no worktree at ${r.path} → lanes-hooks setup`);
      continue;
    }
    if (r.kind !== 'coordinator' && (r.recentRefusals ?? 0) >= STUCK_REFUSALS)
      out.push(
        `${r.role}: the same refusal ${r.recentRefusals} times in ${STUCK_WINDOW_MS / 60_000} minutes${r.loop ? ` (${r.loop.rule} on ${showName(r.loop.object)})` : ''} — an agent stuck in a loop? → show it its lane (lanes-hooks brief in ${r.path}), re-scope or re-queue the task`,
      );
    for (const a of r.agents ?? [])
      if (!a.runs)
        out.push(
          `${r.role}: ${a.agent}'s hooks will not run (${a.problem}) → lanes-hooks doctor in ${r.path} prints the fix`,
        );
    // merge and land start from a clean coordinator (requireCleanIntegration): a changed tracked
    // file there blocks every landing, so status says it before anything that would wait on it.
    if (r.kind === 'coordinator' && (r.tracked ?? 0) > 0)
      out.push(
        `${r.role}: ${plural(r.tracked!, 'uncommitted change')} to tracked files (merge and land refuse to start until they are committed) → commit them (git add -u && git commit) or git stash (in ${r.path})`,
      );
    if (r.hooks !== 'ok' && !shared)
      out.push(
        `${r.role}: hooks ${r.hooks} → lanes-hooks install${r.kind === 'coordinator' ? '' : ` --role ${r.role}`} (in ${r.path})`,
      );
    if (r.kind === 'delivery') {
      const required = config.reviews.required;
      const signed = r.signoffs.map((s) => s.role);
      const missingSignoffs = required.filter((q) => !signed.includes(q));
      const commits = plural(r.ahead, 'commit');
      if (r.landRebase)
        out.push(
          `${r.role}: rebase onto ${config.remote}/${config.integration} (land asked at ${r.landRebase.at}: ${short(r.landRebase.sha)} no longer fast-forwards) → git fetch && git rebase ${config.remote}/${config.integration} && git push --force-with-lease (in ${r.path})`,
        );
      else if (r.ahead > 0 && r.behind > 0)
        out.push(
          `${r.role}: ${plural(r.behind, 'commit')} behind ${target.name}${r.merge === 'conflict' ? ', conflicts' : ''} → ${rebaseRequest(onto, config.remote, r.conflicts?.integration ?? [])} (in ${r.path})`,
        );
      else if (r.ahead > 0 && !r.claim)
        out.push(
          `${r.role}: ${commits}, no claim → lanes-hooks queue claim --role ${r.role} --owner <owner> --branch ${roleBranch(config, r.role)}`,
        );
      else if (r.ahead > 0 && missingSignoffs.length)
        out.push(
          `${r.role}: ${commits} at ${short(r.head)}, claimed by ${r.claim!.owner}, awaiting sign-off from ${missingSignoffs.join(', ')} → lanes-hooks review refresh ${r.role}, then review signoff ${r.role} (in ${missingSignoffs.join(', ')})`,
        );
      else if (r.ahead > 0)
        out.push(
          `${r.role}: ${commits}, claimed by ${r.claim!.owner}${signed.length ? `, signed off by ${signed.join(', ')} at ${short(r.head)}` : ''} → lanes-hooks land (in the coordinator: checks, lands every ready lane in queue order)`,
        );
      else if (r.dirty > 0 && !r.claim)
        out.push(
          `${r.role}: ${plural(r.dirty, 'dirty file')}, no claim → claim the work or clean the lane`,
        );
      if (r.ahead === 0 && r.behind > 0) idle.push(r.role);
      // Lane against lane: said once per pair, by the first of the two.
      for (const [other, paths] of Object.entries(r.conflicts?.lanes ?? {})) {
        if (rows.findIndex((x) => x.role === other) < rows.indexOf(r)) continue;
        out.push(
          `${r.role} and ${other} conflict on ${somePaths(paths)} → land one first, then rebase the other onto ${target.name} and resolve (or move the shared change into one lane)`,
        );
      }
    }
    if (r.kind === 'review' && r.reviewing && r.reviewing.behind > 0) {
      out.push(
        `${r.role}: review of ${r.reviewing.role} is ${plural(r.reviewing.behind, 'commit')} behind ${roleBranch(config, r.reviewing.role)} → lanes-hooks review refresh ${r.reviewing.role} (in ${r.path}, on ${reviewBranch(config, r.reviewing.role)})`,
      );
    }
  }
  if (idle.length)
    out.push(
      `${idle.join(', ')}: behind ${target.name} with no commits of ${idle.length === 1 ? 'its' : 'their'} own → ${rebaseRequest(onto, config.remote, [])} (in ${idle.length === 1 ? 'that lane' : 'each'})`,
    );
  return out;
}
