// The dashboard's model: `status --json`'s object exactly as laneStatus builds it (so the page and
// the command never disagree), plus what a page shows beside the lanes and status does not carry:
// the queue, review findings per lane, release and its promotion entry, the audit log.
import type { HookContext } from '../hooks/context.js';
import { laneStatus, type Status } from '../lifecycle/status.js';
import { STUCK_REFUSALS } from '../lifecycle/actions.js';
import { readQueue } from '../queue/queue.js';
import type { QueueState } from '../queue/model.js';
import { readReviews, type ReviewEntry } from '../reviews/model.js';
import { readAudit, type AuditEntry } from '../store/audit.js';
import { refValues } from '../git/repo.js';
import { releaseRef, remoteRef } from '../lanes/names.js';
import { coordinatorDir } from '../lanes/facts.js';

export interface Finding {
  reviewer: string;
  sha: string;
  severity: string | null;
  text: string | null;
  at: string;
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
  /** Per delivery role reviewed: findings still open, and those a later sign-off resolved. */
  reviews: { role: string; open: Finding[]; resolved: Finding[] }[];
  release: {
    branch: string;
    /** The remote's copy where there is one, else the local branch. */
    sha: string | null;
    ref: string | null;
    /** The audit entry of the promotion to that SHA, when recorded. */
    promotion: AuditEntry | null;
  };
  /** Newest first, at most AUDIT_SHOWN. */
  audit: AuditEntry[];
  auditTotal: number;
  /** A store the page could not read (the rest still shows). */
  problems: string[];
}

export const AUDIT_SHOWN = 200;

/**
 * A finding is resolved once the same reviewer later signs off the same lane (at any SHA): the
 * reviewer has looked again and approved. Otherwise it is open.
 */
export function reviewSummary(entries: ReviewEntry[]): DashboardModel['reviews'] {
  const roles = [...new Set(entries.map((e) => e.target))].sort();
  return roles.map((role) => {
    const mine = entries.filter((e) => e.target === role);
    const open: Finding[] = [];
    const resolved: Finding[] = [];
    mine.forEach((e, i) => {
      if (e.kind !== 'finding') return;
      const f = { reviewer: e.reviewer, sha: e.sha, severity: e.severity, text: e.text, at: e.at };
      const later = mine
        .slice(i + 1)
        .some((x) => x.kind !== 'finding' && x.reviewer === e.reviewer);
      (later ? resolved : open).push(f);
    });
    return { role, open, resolved };
  });
}

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
  const promotion =
    (sha &&
      [...audit].reverse().find((e) => e.kind === 'promotion' && e.object.endsWith(`-> ${sha}`))) ||
    null;
  return {
    generatedAt: new Date().toISOString(),
    coordinator: coordinatorDir(ctx.wt),
    status,
    reviewsRequired: config.reviews.required,
    stuck: status.lanes.filter((r) => (r.recentRefusals ?? 0) >= STUCK_REFUSALS).map((r) => r.role),
    queue,
    reviews: reviewSummary(reviews),
    release: { branch: config.release, sha, ref, promotion },
    audit: audit.slice(-AUDIT_SHOWN).reverse(),
    auditTotal: audit.length,
    problems,
  };
}
