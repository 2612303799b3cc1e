// The dashboard's model: `status --json`'s object exactly as laneStatus builds it (so the page and
// the command never disagree), plus what a page shows beside the lanes and status does not carry:
// the queue, review findings per lane, release and its promotion entry, the audit log.
import type { HookContext } from '../hooks/context.js';
import { laneStatus, type Status } from '../lifecycle/status.js';
import { STUCK_REFUSALS } from '../lifecycle/actions.js';
import { readQueue } from '../queue/queue.js';
import type { QueueState } from '../queue/model.js';
import { numberedFindings, readReviews, type ReviewEntry } from '../reviews/model.js';
import { readAudit, type AuditEntry } from '../store/audit.js';
import { refValues } from '../git/repo.js';
import { releaseRef, remoteRef, roleBranch } from '../lanes/names.js';
import { coordinatorDir } from '../lanes/facts.js';
import { reflogTips, releaseLag } from '../git/waits.js';
import {
  byUrgency,
  commandLine,
  GROUPS,
  laneCommand,
  laneGroup,
  lastLandOf,
  type Group,
  type LaneExtra,
} from './urgency.js';

export interface Finding {
  /** Its number among the lane's findings (what `review resolve <role> <n>` takes). */
  n: number;
  reviewer: string;
  sha: string;
  severity: string | null;
  text: string | null;
  at: string;
  /** Open findings: the command that resolves it, in its reviewer's lane (null: no such lane). */
  resolve?: { text: string; where: string } | null;
}

export interface DashboardModel {
  generatedAt: string;
  coordinator: string;
  /** What `status --json` prints, field for field. */
  status: Status;
  /** The review roles whose sign-off a lane needs to land (reviews.required). */
  reviewsRequired: string[];
  /** Lanes refused STUCK_REFUSALS times or more in the stuck window (status's own rule). */
  stuck: string[];
  queue: QueueState;
  /** Per lane, most urgent first: its group, wait, land's last word on it, its next command. */
  lanes: LaneExtra[];
  /** How many lanes are in each group (the summary strip). */
  summary: Record<Group, number>;
  /** Per delivery role reviewed: findings still open, and those an explicit resolve closed. */
  reviews: { role: string; open: Finding[]; resolved: Finding[] }[];
  release: {
    branch: string;
    /** The remote's copy where there is one, else the local branch. */
    sha: string | null;
    ref: string | null;
    /** The audit entry of the promotion to that SHA, when recorded. */
    promotion: AuditEntry | null;
    /** Integration's commits release lacks, and the oldest one's committer time (null: unknown). */
    lag: { commits: number; oldest: string | null } | null;
  };
  /** Newest first, at most AUDIT_SHOWN. */
  audit: AuditEntry[];
  auditTotal: number;
  /** A store the page could not read (the rest still shows). */
  problems: string[];
}

export const AUDIT_SHOWN = 200;

/**
 * A finding is open until its reviewer resolves it (`review resolve`): a sign-off, even a later
 * one by the same reviewer, leaves it open, so a reviewer can approve with comments.
 */
export function reviewSummary(entries: ReviewEntry[]): DashboardModel['reviews'] {
  const findings = numberedFindings(entries);
  const roles = [...new Set(entries.map((e) => e.target))].sort();
  return roles.map((role) => {
    const open: Finding[] = [];
    const resolved: Finding[] = [];
    for (const { entry: e, n, resolvedBy } of findings) {
      if (e.target !== role) continue;
      const f = {
        n,
        reviewer: e.reviewer,
        sha: e.sha,
        severity: e.severity,
        text: e.text,
        at: e.at,
      };
      (resolvedBy ? resolved : open).push(f);
    }
    return { role, open, resolved };
  });
}

/** Each lane's group, wait, last land entry and command, most urgent first. */
export function laneExtras(
  status: Status,
  config: DashboardModelConfig,
  audit: AuditEntry[],
  pushed: Map<string, { sha: string; at: string }>,
  coordinator: string,
  /** When each active claim was made, by its branch. */
  claimedAt: Map<string, string>,
): LaneExtra[] {
  const lanes = new Map(status.lanes.map((r) => [r.role, r.path]));
  return status.lanes
    .map((r): LaneExtra => {
      const group = laneGroup(r, config.reviews.required);
      const branch = r.kind === 'delivery' ? roleBranch(config, r.role) : r.branch;
      const tip = branch ? pushed.get(remoteRef(config.remote, branch)) : undefined;
      // A lane with work of its own waits for someone: a reviewer, land, or a person to unstick it.
      const waits = r.kind === 'delivery' && r.ahead > 0 && !r.missing;
      return {
        role: r.role,
        group,
        waitingSince: waits
          ? (tip?.at ?? (r.claim ? claimedAt.get(r.claim.branch) : undefined) ?? null)
          : null,
        lastLand: branch ? lastLandOf(audit, branch) : null,
        command: laneCommand(r, config, group, {
          coordinator,
          lanes,
          integrationName: status.integration.name,
        }),
      };
    })
    .sort(byUrgency);
}

type DashboardModelConfig = HookContext['config'];

export async function dashboardModel(ctx: HookContext): Promise<DashboardModel> {
  const { config } = ctx;
  const status = await laneStatus(ctx);
  const problems: string[] = [];
  const attempt = <T>(what: string, read: () => T, empty: T): T => {
    try {
      return read();
    } catch (e) {
      problems.push(`${what}: ${(e as Error).message.split('\n')[0]}`);
      return empty;
    }
  };
  const queue = attempt('queue', () => readQueue(), {
    nextTask: 1,
    nextClaim: 1,
    tasks: [],
    claims: [],
  } as QueueState);
  const reviews = attempt('reviews', () => readReviews(), [] as ReviewEntry[]);
  const audit = attempt('audit log', () => readAudit(), [] as AuditEntry[]);
  const remote = remoteRef(config.remote, config.release);
  const local = releaseRef(config);
  const values = refValues([remote, local]);
  const [ref, sha] = values.get(remote)
    ? [remote, values.get(remote)!]
    : values.get(local)
      ? [local, values.get(local)!]
      : [null, null];
  const coordinator = coordinatorDir(ctx.wt);
  const pushedRefs = status.lanes
    .filter((r) => r.kind === 'delivery')
    .map((r) => remoteRef(config.remote, roleBranch(config, r.role)));
  const present = refValues(pushedRefs);
  const pushed = attempt(
    'pushed tips',
    () => reflogTips(pushedRefs.filter((r) => present.get(r))),
    new Map<string, { sha: string; at: string }>(),
  );
  const claimedAt = new Map(
    queue.claims.filter((c) => c.state === 'active').map((c) => [c.branch, c.at]),
  );
  const lanes = laneExtras(status, config, audit, pushed, coordinator, claimedAt);
  const summary = Object.fromEntries(
    GROUPS.map((g) => [g, lanes.filter((l) => l.group === g).length]),
  ) as Record<Group, number>;
  const integration = status.integration.head;
  const lag =
    sha && integration ? attempt('release lag', () => releaseLag(sha, integration), null) : null;
  const promotion =
    (sha &&
      [...audit].reverse().find((e) => e.kind === 'promotion' && e.object.endsWith(`-> ${sha}`))) ||
    null;
  return {
    generatedAt: new Date().toISOString(),
    coordinator,
    status,
    lanes,
    summary,
    reviewsRequired: config.reviews.required,
    stuck: status.lanes.filter((r) => (r.recentRefusals ?? 0) >= STUCK_REFUSALS).map((r) => r.role),
    queue,
    reviews: reviewSummary(reviews).map((r) => ({
      ...r,
      open: r.open.map((f) => {
        const dir = status.lanes.find((l) => l.role === f.reviewer && l.kind === 'review')?.path;
        return {
          ...f,
          resolve: dir
            ? {
                text: commandLine(dir, ['lanes-hooks', 'review', 'resolve', r.role, String(f.n)]),
                where: dir,
              }
            : null,
        };
      }),
    })),
    release: { branch: config.release, sha, ref, promotion, lag },
    audit: audit.slice(-AUDIT_SHOWN).reverse(),
    auditTotal: audit.length,
    problems,
  };
}
