// Claude Code's WorktreeCreate (its own new worktree on a new branch, for `claude --worktree`, a
// sub-agent with `isolation: "worktree"`, or EnterWorktree with a `name`), judged before git runs:
// a hook on that event REPLACES Claude Code's own `git worktree add`, so refusing it means no
// worktree and no branch are made (agents/claude-worktree.ts has the contract).
//
// Refused for every lane kind, the coordinator's session included, and why the coordinator too:
// the worktree Claude Code would make (`.claude/worktrees/<name>` on a branch `worktree-<name>`)
// matches no role's `worktrees` template, so it is an unassigned worktree where lane-unassigned
// refuses every commit and push (LANES-SPEC §3): nothing done there can land. Parallel work with
// rules is a lane, which `setup` makes (a role in the config, its branch, its worktree, its
// hooks). The coordinator's own EnterWorktree is refused for the same reason (agent-write.ts).
import type { Context, Violation } from './types.js';

export function agentWorktreeCreate(ctx: Context, name: string | null): Violation[] {
  const { lane } = ctx;
  // The formatter prints `object` quoted (control characters escaped): the name goes in as given.
  const what = name ? `a new worktree named ${name}` : 'a new worktree';
  const coordinator = lane.kind === 'coordinator';
  return [
    {
      rule: 'path-scope',
      object: `WorktreeCreate of ${what}`,
      why: coordinator
        ? `a worktree Claude Code makes on its own (.claude/worktrees/<name>, a new branch) belongs to no lane: every commit and push there is refused (lane-unassigned), so work done in it cannot land`
        : `each lane's agent works only in its own worktree; a new worktree on a new branch has no lane, and nothing may be committed there — this session stays ${lane.role ? `the ${lane.role} lane` : 'this worktree'}'s`,
      fix: coordinator
        ? [
            'run the work without a worktree of its own (a sub-agent without isolation: "worktree"), or in a lane',
            'a new lane: add its role to the config, then lanes-hooks setup   (its branch, worktree and hooks)',
          ]
        : [
            'do the work here, in this worktree (a sub-agent without isolation: "worktree")',
            'for work that belongs to another lane, ask the coordinator to queue it (lanes-hooks queue add "<what>" --role <role>)',
          ],
    },
  ];
}
