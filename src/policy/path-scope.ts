// Every commit of a lane stays inside its role's paths (docs/reference.md, "Rules, layer by
// layer").
import type { Scope } from './scope.js';
import type { Context, Violation } from './types.js';

export interface Change {
  /** The commit, when checking pushed history; absent for the staged index. */
  commit?: string;
  paths: string[];
}

export function pathScope(
  ctx: Context,
  scope: Scope | null,
  changes: Change[],
  object: string,
): Violation[] {
  if (!scope) return [];
  const offending: string[] = [];
  for (const c of changes) {
    for (const p of c.paths)
      if (!scope.allows(p)) offending.push(c.commit ? `${c.commit.slice(0, 10)} ${p}` : p);
  }
  if (!offending.length) return [];
  const { lane } = ctx;
  const owner =
    lane.kind === 'review'
      ? 'review lanes write only findings'
      : `the ${lane.role} lane changes only its role's paths${ctx.config.shared.length ? ' plus shared' : ''}`;
  return [
    {
      rule: 'path-scope',
      object: `${object}: ${offending.length} path${offending.length === 1 ? '' : 's'} outside the scope`,
      why: `${owner}: ${scope.globs.join(', ') || '(no paths)'}`,
      fix: changes.some((c) => c.commit)
        ? [
            'rewrite those commits without the paths (git rebase -i), or let the owning lane make the change',
          ]
        : [
            'git restore --staged -- <path>   for each path above, then commit it from the lane that owns it',
          ],
      paths: offending,
    },
  ];
}
