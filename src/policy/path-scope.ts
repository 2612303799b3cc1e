// Every commit of a lane, and its net effect on integration, stays inside its role's paths
// (docs/reference.md, "Rules, layer by layer"); no commit of anyone brings a path git refuses
// to check out.
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

/** The net effect of a branch on integration (history.ts `netPaths`), named for messages. */
export interface NetChange {
  /** The integration branch's name as the layer knows it (`master`, `origin/master`). */
  integration: string;
  bases: string[];
  paths: string[];
}

/**
 * The lane's net effect: every path where its tip differs from its merge base with integration
 * lies in the scope. Each commit may be in scope and the whole not: a merge that takes an older
 * integration commit's side (or a new root's) reverts or deletes other lanes' files while
 * differing from no parent there.
 */
export function netScope(
  ctx: Context,
  scope: Scope | null,
  net: NetChange,
  object: string,
): Violation[] {
  if (!scope) return [];
  const offending = net.paths.filter((p) => !scope.allows(p));
  if (!offending.length) return [];
  const against = net.bases.length
    ? `its merge base with ${net.integration}, ${net.bases.map((b) => b.slice(0, 10)).join(' and ')}`
    : `${net.integration} itself (no common history: an unrelated root)`;
  return [
    {
      rule: 'path-scope',
      object: `${object}: net effect against ${net.integration}: ${offending.length} path${offending.length === 1 ? '' : 's'} outside the scope`,
      why: `what the branch would change in ${net.integration} (its tip against ${against}) must lie in the ${ctx.lane.role ?? 'lane'}'s scope: ${scope.globs.join(', ') || '(no paths)'}; a merge that takes an older or unrelated side reverts or deletes other lanes' files`,
      fix: [
        `git rebase ${net.integration}   (replay only the lane's own commits onto integration), then push again`,
        `or restore each path from integration and commit: git checkout ${net.integration} -- <path>   (git rm <path> where integration has none)`,
      ],
      paths: offending,
    },
  ];
}

/**
 * A path git itself must never check out (fsck's hasDotgit / hasDot / hasDotdot / hasEmptyName):
 * a clone of a branch holding one fails, and a `.git` component would plant a repository (hooks,
 * config) inside the work tree. Mirrors git's fsck.c `fsck_tree`, which applies to every tree entry
 * `is_hfs_dotgit` (utf8.c: `.git` in any case with the HFS+-ignorable code points removed) and
 * `is_ntfs_dotgit` (path.c: `.git` or `git~1` in any case followed only by dots and spaces, each
 * backslash-separated segment too), whatever core.protectHFS/NTFS say.
 */
export function forbiddenPath(path: string): boolean {
  return path.split('/').some(forbiddenComponent);
}

/** utf8.c `next_hfs_char`: code points HFS+ ignores in a name. */
const HFS_IGNORED = /[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g;

function forbiddenComponent(name: string): boolean {
  if (name === '' || name === '.' || name === '..') return true;
  if (name.replace(HFS_IGNORED, '').toLowerCase() === '.git') return true;
  return name.split('\\').some((seg) => /^(\.git|git~1)[. ]*$/i.test(seg));
}

/** Paths no lane, not even the coordinator, may bring in (see forbiddenPath). */
export function forbiddenPaths(changes: Change[], object: string): Violation[] {
  const offending = new Set<string>();
  for (const c of changes)
    for (const p of c.paths)
      if (forbiddenPath(p)) offending.add(c.commit ? `${c.commit.slice(0, 10)} ${p}` : p);
  if (!offending.size) return [];
  return [
    {
      rule: 'path-scope',
      object: `${object}: ${offending.size} path${offending.size === 1 ? '' : 's'} that git refuses to check out`,
      why: 'a path with a .git component (in any case, with trailing dots or spaces, git~1) or an empty, . or .. component is refused everywhere, in every lane: git fsck forbids it and a clone of the branch fails',
      fix: changes.some((c) => c.commit)
        ? ['rewrite those commits without the paths (git rebase -i), then push again']
        : ['git rm --cached -- <path>   for each path above'],
      paths: [...offending],
    },
  ];
}
