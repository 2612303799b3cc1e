// What the dashboard leads with at 30 lanes: each lane's urgency group (what needs a person first),
// how long it has waited, the last thing `land` recorded about it, and the one command that moves
// it on, as an exact sh command line whose every word from a lane, a config or a store is quoted.
// Pure: the facts come from status --json's rows and the stores the model already read.
import type { LanesConfig } from '../config/schema.js';
import type { LaneRow } from '../lifecycle/actions.js';
import { STUCK_REFUSALS } from '../lifecycle/actions.js';
import type { AuditEntry } from '../store/audit.js';
import { roleBranch } from '../lanes/names.js';
import { shellQuote } from '../util/sh.js';

/** Worst first: the order lanes are listed in, and the summary strip's counts. */
export const GROUPS = ['stuck', 'ready', 'waiting', 'working', 'idle'] as const;
export type Group = (typeof GROUPS)[number];

export interface LaneExtra {
  role: string;
  group: Group;
  /**
   * Since when a delivery lane with commits of its own has waited (for a reviewer, for land, or
   * stuck): its pushed tip's arrival (the remote-tracking ref's newest reflog entry) or, failing
   * that, its claim; null for the others.
   */
  waitingSince: string | null;
  /** The newest landing or rebase request `land` recorded for the lane's branch. */
  lastLand: { kind: 'landed' | 'rebase asked'; at: string; reason: string } | null;
  /** The command that moves the lane on, runnable as it stands in a POSIX shell; null: none. */
  command: { text: string; where: string } | null;
}

/** A word for sh: bare when it holds nothing sh treats specially, single-quoted otherwise. */
export const shWord = (s: string): string =>
  /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : shellQuote(s);

/** `cd <dir> && <cmd> && <cmd>`: each command an argv whose words are all quoted as needed. */
export function commandLine(dir: string, ...commands: string[][]): string {
  return [['cd', '--', dir], ...commands].map((c) => c.map(shWord).join(' ')).join(' && ');
}

/** The group a row belongs to, by what it waits for (status's rule for stuck). */
export function laneGroup(r: LaneRow, required: string[]): Group {
  const stuck =
    r.missing ||
    (r.recentRefusals ?? 0) >= STUCK_REFUSALS ||
    r.hooks !== 'ok' ||
    (r.agents ?? []).some((a) => !a.runs) ||
    r.merge === 'conflict' ||
    !!r.landRebase;
  if (stuck) return 'stuck';
  if (r.kind === 'delivery' && r.ahead > 0) {
    const signed = r.signoffs.map((s) => s.role);
    if (r.behind > 0 || !r.claim) return 'stuck';
    return required.every((q) => signed.includes(q)) ? 'ready' : 'waiting';
  }
  if (r.dirty > 0) return 'working';
  if (r.kind === 'review' && r.reviewing) return 'working';
  return 'idle';
}

/** The newest landing or rebase request land recorded for `branch`. */
export function lastLandOf(audit: AuditEntry[], branch: string): LaneExtra['lastLand'] {
  for (let i = audit.length - 1; i >= 0; i--) {
    const e = audit[i]!;
    // land's own entries (coordinator/land.ts): a landing names "(<branch>)" at the end of its
    // object, a rebase request "<branch> at <sha>".
    if (e.kind === 'landing' && e.object.endsWith(` (${branch})`))
      return { kind: 'landed', at: e.at, reason: e.reason };
    if (e.kind === 'rebase' && e.object.startsWith(`${branch} at `))
      return { kind: 'rebase asked', at: e.at, reason: e.reason };
  }
  return null;
}

/** The one command that moves a lane on (the first of status's actions for it, as argv). */
export function laneCommand(
  r: LaneRow,
  config: LanesConfig,
  group: Group,
  where: { coordinator: string; lanes: Map<string, string>; integrationName: string },
): LaneExtra['command'] {
  const cli = 'lanes-hooks';
  const at = (dir: string, ...cmds: string[][]) => ({
    text: commandLine(dir, ...cmds),
    where: dir,
  });
  const rebase = [
    ['git', 'fetch'],
    ['git', 'rebase', `${config.remote}/${config.integration}`],
  ];
  if (r.missing) return at(where.coordinator, [cli, 'setup']);
  if ((r.recentRefusals ?? 0) >= STUCK_REFUSALS) return at(r.path, [cli, 'brief']);
  if (r.hooks !== 'ok')
    return at(
      r.path,
      r.kind === 'coordinator' ? [cli, 'install'] : [cli, 'install', '--role', r.role],
    );
  if ((r.agents ?? []).some((a) => !a.runs)) return at(r.path, [cli, 'doctor']);
  if (r.kind === 'delivery') {
    if (r.landRebase || (r.ahead > 0 && r.behind > 0) || r.merge === 'conflict')
      return at(r.path, ...rebase, ['git', 'push', '--force-with-lease']);
    if (r.ahead > 0 && !r.claim)
      return at(where.coordinator, [
        cli,
        'queue',
        'claim',
        '--role',
        r.role,
        '--owner',
        r.role,
        '--branch',
        roleBranch(config, r.role),
      ]);
    if (group === 'waiting') {
      const signed = r.signoffs.map((s) => s.role);
      const reviewer = config.reviews.required.find((q) => !signed.includes(q));
      const dir = reviewer && where.lanes.get(reviewer);
      if (dir)
        return at(
          dir,
          [cli, 'review', 'refresh', r.role],
          [cli, 'review', 'signoff', r.role],
          [cli, 'sync'],
        );
      return null;
    }
    if (group === 'ready') return at(where.coordinator, [cli, 'land']);
    if (r.ahead === 0 && r.behind > 0) return at(r.path, ...rebase);
    return null;
  }
  if (r.kind === 'review' && r.reviewing && r.reviewing.behind > 0)
    return at(r.path, [cli, 'review', 'refresh', r.reviewing.role]);
  return null;
}

/** Urgency rank for sorting: the group, then the longest wait first, then the role. */
export function byUrgency(a: LaneExtra, b: LaneExtra): number {
  const g = GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group);
  if (g) return g;
  const wa = a.waitingSince ? Date.parse(a.waitingSince) : Infinity;
  const wb = b.waitingSince ? Date.parse(b.waitingSince) : Infinity;
  if (wa !== wb) return wa < wb ? -1 : 1;
  return a.role < b.role ? -1 : a.role > b.role ? 1 : 0;
}
