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
  /** The role whose `worktrees` path is this worktree's path, if any. */
  roleByPath: string | null;
}

export const COORDINATOR = 'coordinator';

export function resolveLane(f: LaneFacts, config: LanesConfig): Lane {
  const notes: string[] = [];
  if (f.recordedRole !== null) {
    if (f.recordedFor !== f.worktreeId) {
      // git worktree add copies config.worktree: a role recorded for another worktree is a copy.
      notes.push(
        `lanes.role=${f.recordedRole} was recorded for worktree "${f.recordedFor ?? '?'}", not this one (copied by git worktree add): ignored`,
      );
    } else if (f.recordedRole === COORDINATOR) {
      return {
        role: COORDINATOR,
        kind: 'coordinator',
        source: 'recorded',
        ownBranch: null,
        owner: f.recordedOwner,
        notes,
      };
    } else if (config.roles[f.recordedRole]) {
      return lane(config, f.recordedRole, 'recorded', notes, f.recordedOwner);
    } else {
      notes.push(`lanes.role=${f.recordedRole} names no role in the config: ignored`);
    }
  }
  if (f.isMain)
    return {
      role: COORDINATOR,
      kind: 'coordinator',
      source: 'main',
      ownBranch: null,
      owner: null,
      notes,
    };
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
