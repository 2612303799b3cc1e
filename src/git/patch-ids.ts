// A lane's own commits as the sign-off carry-over compares them (policy/signoff-carry.ts): the
// commits of `tip` that integration does not have, oldest first, each with its stable patch id
// (`git patch-id --stable` of a diff whose every output-changing option is pinned, binary content
// included) and the paths it changes (history.ts, the path-scope reader).
import { gitBytes } from './exec.js';
import { commitPaths, DIFF_PINS } from './history.js';

export interface OwnCommit {
  commit: string;
  /** More than one parent: its resolution has no patch id, so nothing carries over it. */
  merge: boolean;
  /** null for a merge or a commit that changes nothing. */
  patchId: string | null;
  paths: string[];
}

/**
 * diff-tree options that fix a patch whatever the configuration says: the path-scope reader's pins
 * (DIFF_PINS in history.ts) for a patch instead of raw output, and the patch's own shape.
 */
const PATCH_PINS = [
  ...DIFF_PINS.filter((o) => o !== '-z' && o !== '--raw'),
  '-p',
  '--binary',
  '--diff-algorithm=myers',
  '--indent-heuristic',
  '--inter-hunk-context=0',
  '-U3',
  '--src-prefix=a/',
  '--dst-prefix=b/',
  '-O/dev/null',
];

/** The commits of `tip` not in `integration`, oldest first (topological order). */
export function ownCommits(tip: string, integration: string, cwd?: string): OwnCommit[] {
  const listing = gitBytes(
    ['rev-list', '--reverse', '--topo-order', '--parents', tip, '--not', integration, '--'],
    { cwd },
  )
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' '));
  if (!listing.length) return [];
  const single = listing.filter((l) => l.length <= 2).map((l) => l[0]!);
  const ids = new Map<string, string>();
  if (single.length) {
    const patches = gitBytes(
      ['-c', 'core.quotePath=true', 'diff-tree', '--stdin', '--root', ...PATCH_PINS],
      { cwd, input: single.join('\n') + '\n' },
    );
    const out = gitBytes(['patch-id', '--stable'], { cwd, input: patches }).toString('utf8');
    for (const line of out.split('\n')) {
      const [id, commit] = line.split(' ');
      if (id && commit) ids.set(commit, id);
    }
  }
  const paths = new Map(commitPaths([tip], [integration], cwd).map((c) => [c.commit, c.paths]));
  return listing.map(([commit, ...parents]) => ({
    commit: commit!,
    merge: parents.length > 1,
    patchId: ids.get(commit!) ?? null,
    paths: [...(paths.get(commit!) ?? [])].sort(),
  }));
}
