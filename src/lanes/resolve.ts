// Which lane am I in (docs/architecture.md; README, the lane's role): a pure decision over facts
// gathered by lanes/facts.ts.
import type { LanesConfig } from '../config/schema.js';
import { heads, roleBranch } from './names.js';

export type LaneKind = 'delivery' | 'review' | 'coordinator' | 'unassigned';

export interface Lane {
  role: string | null;
  kind: LaneKind;
  /** How the role was found: recorded in this worktree's config, the main worktree, its path. */
  source: 'recorded' | 'main' | 'path' | 'none';
  /** `refs/heads/agent/<role>` for delivery and review lanes. */
  ownBranch: string | null;
  /** Who works in this lane (claims must be theirs): lanes.owner, else the role's `owner`. */
  owner: string | null;
  /** Why a recorded role was not used, for messages and doctor. */
  notes: string[];
}

export interface LaneFacts {
  worktreeId: string;
  isMain: boolean;
  /** lanes.role and lanes.worktree from the worktree's own config.worktree. */
  recordedRole: string | null;
  recordedFor: string | null;
  recordedOwner: string | null;
  /** The role whose `worktrees` path is this worktree's path, if any (null in the main worktree). */
  roleByPath: string | null;
}

export const COORDINATOR = 'coordinator';

/**
 * Role bindings a lane cannot grant itself (LANES-SPEC §3). A lane can write its own git config
 * (`git config --worktree lanes.role coordinator` is one ordinary command), so a recorded role is
 * never enough on its own: the coordinator is the main worktree alone, and a recorded role counts
 * only where it agrees with the worktree's configured path (the committed `worktrees` template,
 * which a lane cannot move: it follows integration's config). Anything else is unassigned.
 */
export function resolveLane(f: LaneFacts, config: LanesConfig): Lane {
  const notes: string[] = [];
  const bound = f.recordedRole !== null && f.recordedFor === f.worktreeId;
  if (f.recordedRole !== null && !bound)
    // git worktree add copies config.worktree: a role recorded for another worktree is a copy.
    notes.push(
      `lanes.role=${JSON.stringify(f.recordedRole)} was recorded for worktree ${JSON.stringify(f.recordedFor ?? '?')}, not this one (copied by git worktree add): ignored`,
    );
  if (f.isMain) {
    if (bound && f.recordedRole !== COORDINATOR)
      notes.push(
        `lanes.role=${JSON.stringify(f.recordedRole)} is recorded in the main worktree, which is the coordinator: ignored`,
      );
    return {
      role: COORDINATOR,
      kind: 'coordinator',
      source: bound && f.recordedRole === COORDINATOR ? 'recorded' : 'main',
      ownBranch: null,
      owner: bound ? f.recordedOwner : null,
      notes,
    };
  }
  if (bound) {
    const r = f.recordedRole!;
    if (r === COORDINATOR)
      notes.push(
        'lanes.role="coordinator" is recorded in a linked worktree: the coordinator is the main worktree alone: ignored',
      );
    else if (!config.roles[r])
      notes.push(`lanes.role=${JSON.stringify(r)} names no role in the config: ignored`);
    else if (f.roleByPath !== r)
      notes.push(
        `lanes.role=${JSON.stringify(r)}, but this worktree is not at that role's configured path (worktrees ${JSON.stringify(config.worktrees)}): ignored`,
      );
    else return lane(config, r, 'recorded', notes, f.recordedOwner);
  }
  if (f.roleByPath && config.roles[f.roleByPath])
    return lane(config, f.roleByPath, 'path', notes, null);
  return { role: null, kind: 'unassigned', source: 'none', ownBranch: null, owner: null, notes };
}

function lane(
  config: LanesConfig,
  role: string,
  source: Lane['source'],
  notes: string[],
  recordedOwner: string | null,
): Lane {
  const r = config.roles[role]!;
  return {
    role,
    kind: r.kind,
    source,
    ownBranch: heads(roleBranch(config, role)),
    owner: recordedOwner ?? r.owner ?? null,
    notes,
  };
}
