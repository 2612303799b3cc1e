// init on an existing repository: roles proposed from the repository's own top-level folders, and
// the paths of a config that match no file said out loud (issue 30: express got the reference
// model's backend/**, web/**, ops/** without a word).
import { ROLE_NAME } from '../config/schema.js';
import { branchNameProblem } from '../config/git-names.js';
import { globMatcher } from '../policy/scope.js';
import type { TopEntry } from '../git/tree-files.js';

export type ProposedRole = { kind: 'delivery'; paths: string[] } | { kind: 'review' };

/** Characters picomatch reads as glob syntax: a folder named with them gets no proposal. */
const GLOB_SYNTAX = /[*?[\]{}()!+@\\]/;

export interface Proposal {
  roles: Record<string, ProposedRole>;
  /** Folders left to the coordinator, each with the reason (said by init). */
  skipped: { folder: string; why: string }[];
}

/**
 * One delivery lane per top-level folder (its name the role's, `<folder>/**` its paths) and one
 * review lane; dot-folders (`.github`, `.husky`) and top-level files stay the coordinator's. Null
 * when the tree has no folder to go by (a new repository: the reference model is the proposal).
 */
export function proposeRoles(top: readonly TopEntry[]): Proposal | null {
  const roles: Record<string, ProposedRole> = {};
  const skipped: Proposal['skipped'] = [];
  for (const { name, folder } of top) {
    if (!folder || name.startsWith('.')) continue;
    const role = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+|[-.]+$/g, '');
    if (GLOB_SYNTAX.test(name)) skipped.push({ folder: name, why: 'its name is glob syntax' });
    else if (!ROLE_NAME.test(role) || branchNameProblem(`agent/${role}`))
      skipped.push({ folder: name, why: 'no role name can be made of it' });
    else if (roles[role]) skipped.push({ folder: name, why: `role ${role} is taken` });
    else roles[role] = { kind: 'delivery', paths: [`${name}/**`] };
  }
  if (!Object.keys(roles).length) return null;
  if (!roles.review) roles.review = { kind: 'review' };
  return { roles, skipped };
}

/** Each delivery role's globs that match no file of `files`: `[role, glob]`, in config order. */
export function unmatchedPaths(
  roles: Record<string, { kind: string; paths?: string[] }>,
  files: readonly string[],
): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, r] of Object.entries(roles))
    for (const g of r.kind === 'delivery' ? (r.paths ?? []) : []) {
      const match = globMatcher([g]);
      if (!files.some((f) => match(f))) out.push([name, g]);
    }
  return out;
}
