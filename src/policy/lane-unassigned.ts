import type { Context, Violation } from './types.js';

/** §3: an unassigned worktree may neither commit nor push until it is given a role. */
export function laneUnassigned({ lane }: Context, action: 'commit' | 'push' | 'edit'): Violation[] {
  if (lane.kind !== 'unassigned') return [];
  return [
    {
      rule: 'lane-unassigned',
      object: `${action} from a worktree with no lane role`,
      why: [
        'every worktree of a governed repository must be a lane (or the coordinator) before it commits or pushes',
        ...lane.notes,
      ].join('; '),
      fix: [
        'npx lanes-hooks install --role <role>   (or create lanes with `lanes-hooks setup` from the coordinator)',
      ],
    },
  ];
}
