// What git accepts as a branch name (`git check-ref-format --branch`, `git branch`): the config
// names branches, and a name git refuses would make a rule that can never match anything.
// Pinned against git itself by a differential test (test/deep/chaos/config.test.ts).

/** The reasons git refuses a branch name, or null when it takes it. */
export function branchNameProblem(name: string): string | null {
  if (!name) return 'is empty';
  if (name === 'HEAD') return 'is "HEAD", which git reserves';
  if (name.startsWith('-')) return 'starts with "-"';
  // Control characters, space, and the characters git gives meaning to in revisions and globs.
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name))
    return 'contains a space, control character or one of ~^:?*[\\';
  if (name.includes('..')) return 'contains ".."';
  if (name.includes('@{')) return 'contains "@{"';
  if (name.endsWith('.')) return 'ends with "."';
  const parts = name.split('/');
  if (parts.some((p) => p === ''))
    return 'has an empty path component (a leading, trailing or double "/")';
  if (parts.some((p) => p.startsWith('.'))) return 'has a component starting with "."';
  if (parts.some((p) => p.endsWith('.lock'))) return 'has a component ending in ".lock"';
  return null;
}
