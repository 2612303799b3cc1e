// The lane of a role, for checks that know the branch but not the worktree (the server, CI).
import type { LanesConfig } from '../config/schema.js';
import { heads, roleBranch } from './names.js';
import type { Lane } from './resolve.js';

export function laneForRole(config: LanesConfig, role: string): Lane {
  const r = config.roles[role]!;
  return {
    role,
    kind: r.kind,
    source: 'recorded',
    ownBranch: heads(roleBranch(config, role)),
    owner: r.owner ?? null,
    notes: [],
  };
}
