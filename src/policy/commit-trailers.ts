// Provenance (docs/reference.md, "Provenance"): where the config requires it (trailers.require),
// every commit a lane branch gains carries `Lane: <its role>` and, while the lane's claim names a
// task, a `Task:` trailer. Pure: the trailers come from git/trailers.ts.
import type { LanesConfig } from '../config/schema.js';
import type { Violation } from './types.js';

export function commitTrailersRule(
  config: LanesConfig,
  role: string,
  task: string | null,
  commits: { commit: string; trailers: Record<string, string[]> }[],
  object: string,
): Violation[] {
  if (!config.trailers.require) return [];
  const bad = commits.filter(
    (c) => !(c.trailers.Lane ?? []).includes(role) || (task !== null && !c.trailers.Task?.length),
  );
  if (!bad.length) return [];
  const want = `Lane: ${role}${task !== null ? ` and Task: <task>` : ''}`;
  return [
    {
      rule: 'commit-trailers',
      object: `${object}: ${bad.length} of ${commits.length} commits (${bad
        .slice(0, 5)
        .map((c) => c.commit.slice(0, 12))
        .join(', ')}${bad.length > 5 ? ', …' : ''})`,
      why: `this repository requires provenance trailers (trailers.require): every commit of the ${role} lane carries ${want}`,
      fix: [
        `commit in the ${role} lane with the hooks installed (prepare-commit-msg adds them), or add them: git rebase --exec 'git commit --amend --no-edit --trailer "Lane: ${role}"${task !== null ? ` --trailer "Task: ${task}"` : ''}' <base>`,
      ],
    },
  ];
}
