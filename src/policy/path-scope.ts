// Every commit of a lane, and its net effect on integration, stays inside its role's paths
// (docs/reference.md, "Rules, layer by layer"); no commit of anyone brings a path git refuses
// to check out.
import { globMatcher, type Scope } from './scope.js';
import { showName } from './format.js';
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
      fix: [
        changes.some((c) => c.commit)
          ? 'rewrite those commits without the paths (git rebase -i), then:'
          : 'git restore --staged -- <path>   for each path above, then:',
        ...whoChanges(
          ctx,
          changes.flatMap((c) => c.paths.filter((p) => !scope.allows(p))),
        ),
      ],
      paths: offending,
    },
  ];
}

/**
 * Who may make a change the lane may not, path by path: the delivery lane whose paths hold it,
 * else only the coordinator (a path no lane owns, like package.json: "the lane that owns it" sent
 * people looking for a lane that does not exist; issue 30).
 */
export function whoChanges(ctx: Context, paths: readonly string[]): string[] {
  const byOwner = new Map<string, string[]>();
  const lanes = Object.entries(ctx.config.roles).flatMap(([name, r]) =>
    r.kind === 'delivery' && name !== ctx.lane.role ? [[name, globMatcher(r.paths)] as const] : [],
  );
  for (const p of new Set(paths)) {
    const owners = lanes.filter(([, allows]) => allows(p)).map(([name]) => name);
    const key = owners.length ? owners.join(' or ') : '';
    byOwner.set(key, [...(byOwner.get(key) ?? []), p]);
  }
  const some = (ps: string[]) =>
    ps.slice(0, 3).map(showName).join(', ') + (ps.length > 3 ? ` and ${ps.length - 3} more` : '');
  return [...byOwner].map(([owners, ps]) =>
    owners
      ? `  ${some(ps)}: the ${owners} lane${owners.includes(' or ') ? 's own' : ' owns'} ${ps.length === 1 ? 'it' : 'them'}; commit there`
      : `  ${some(ps)}: no lane owns ${ps.length === 1 ? 'it' : 'them'}, so only the coordinator commits ${ps.length === 1 ? 'it' : 'them'} (in the main checkout), or add ${ps.length === 1 ? 'it' : 'them'} to "shared" in the config`,
  );
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
  own: readonly Change[] = [],
): Violation[] {
  if (!scope) return [];
  const offending = net.paths.filter((p) => !scope.allows(p));
  if (!offending.length) return [];
  // A path one of the lane's own new commits changes is that commit's doing: a rebase would
  // replay it unchanged, so the fix is to rewrite the commit (issue 30), not to rebase.
  const mine = new Set(own.flatMap((c) => c.paths));
  const caused = offending.filter((p) => mine.has(p));
  const merged = offending.filter((p) => !mine.has(p));
  const against = net.bases.length
    ? `its merge base with ${net.integration}, ${net.bases.map((b) => b.slice(0, 10)).join(' and ')}`
    : `${net.integration} itself (no common history: an unrelated root)`;
  return [
    {
      rule: 'path-scope',
      object: `${object}: net effect against ${net.integration}: ${offending.length} path${offending.length === 1 ? '' : 's'} outside the scope`,
      why: `what the branch would change in ${net.integration} (its tip against ${against}) must lie in the ${ctx.lane.role ?? 'lane'}'s scope: ${scope.globs.join(', ') || '(no paths)'}; a merge that takes an older or unrelated side reverts or deletes other lanes' files`,
      fix: [
        ...(caused.length
          ? [
              `the lane's own commits change ${caused.slice(0, 3).map(showName).join(', ')}${caused.length > 3 ? ` and ${caused.length - 3} more` : ''}: rewrite them without those paths (git rebase -i ${net.integration}), then push again`,
              ...whoChanges(ctx, caused),
            ]
          : []),
        ...(merged.length
          ? [
              `${caused.length ? 'for the rest: ' : ''}git rebase ${net.integration}   (replay only the lane's own commits onto integration), then push again`,
              `or restore each path from integration and commit: git checkout ${net.integration} -- <path>   (git rm <path> where integration has none)`,
            ]
          : []),
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
