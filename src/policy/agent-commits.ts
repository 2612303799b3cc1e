// The commits an agent's shell command left on the lane's HEAD, judged by the same rules as
// pre-commit (path-scope, lane-branch). A commit made with git's hooks skipped — `git -c
// core.hooksPath=/dev/null commit`, `--no-verify`, hook scripts rewritten to `exit 0` — leaves a
// clean worktree, so the check of the worktree after a shell command sees nothing; the commit
// itself is seen here. Every commit of HEAD beyond integration (and beyond what the lane already
// pushed) is judged, not only those since a marker a shell could rewrite: a commit that passed
// pre-commit passes again. Pure: facts in, violations out.
import { shortBranch } from '../lanes/names.js';
import { laneCommitBranch } from './lane-branch.js';
import { pathScope, type Change } from './path-scope.js';
import type { Scope } from './scope.js';
import type { Context, Violation } from './types.js';

export interface ShellCommits {
  /** The branch HEAD is on (full ref), or null when detached. */
  branch: string | null;
  /** A rebase, am or cherry-pick in progress: detached commits are its own. */
  transient: boolean;
  /** HEAD's commits beyond integration, newest first (git rev-list order), with their paths. */
  commits: { commit: string; parents: string[]; paths: string[] }[];
}

const short = (sha: string) => sha.slice(0, 10);

/** `git reset --soft` to just before the oldest of `bad`: its changes and later ones stay staged. */
function resetFix(facts: ShellCommits, bad: Set<string>): string[] {
  const oldest = [...facts.commits].reverse().find((c) => bad.has(c.commit));
  if (!oldest) return [];
  if (oldest.parents.length !== 1)
    return [
      `git rebase -i ${short(oldest.commit)}^   (rewrite ${short(oldest.commit)} and the commits after it without those paths)`,
    ];
  return [
    `git reset --soft ${oldest.parents[0]}   (undoes the commits from ${short(oldest.commit)} on; their changes stay staged)`,
  ];
}

export function agentShellCommits(
  ctx: Context,
  scope: Scope | null,
  tool: string,
  facts: ShellCommits,
): Violation[] {
  const { lane } = ctx;
  if (!facts.commits.length || lane.kind === 'unassigned' || lane.kind === 'coordinator') return [];
  const out: Violation[] = [];
  const names = facts.commits.map((c) => short(c.commit));
  const onBranch = laneCommitBranch(ctx, facts.branch, facts.transient);
  if (onBranch.length) {
    const [v] = onBranch;
    out.push({
      ...v!,
      object: `${tool} left ${names.length} commit${names.length === 1 ? '' : 's'} on ${facts.branch ? shortBranch(facts.branch) : 'a detached HEAD'} (${names.join(', ')})`,
      fix: [
        ...(lane.ownBranch
          ? [
              `git switch ${shortBranch(lane.ownBranch)} && git cherry-pick ${[...names].reverse().join(' ')}   (the commits onto the lane's branch, through its hooks)`,
            ]
          : []),
        ...v!.fix,
      ],
    });
  }
  const changes: Change[] = facts.commits.map((c) => ({ commit: c.commit, paths: c.paths }));
  const [scoped] = pathScope(
    ctx,
    scope,
    changes,
    `${tool} committed on ${facts.branch ? shortBranch(facts.branch) : 'a detached HEAD'}`,
  );
  if (scoped) {
    const bad = new Set(
      facts.commits.filter((c) => c.paths.some((p) => !scope!.allows(p))).map((c) => c.commit),
    );
    out.push({
      ...scoped,
      why: `${scoped.why}; a commit made with git's hooks skipped is judged all the same`,
      fix: [
        ...resetFix(facts, bad),
        'git restore --staged -- <path>   for each path above, then commit the rest again (git commit runs the lane’s hooks)',
        'leave git’s hooks on: no `-c core.hooksPath=…`, no --no-verify, no edits under the git directory',
      ],
    });
  }
  return out;
}
