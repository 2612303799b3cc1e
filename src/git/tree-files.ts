// Files as a commit holds them, and ref values, read without a checkout: where the policy comes
// from (the integration branch's committed config) is answered from the object store alone.
import { git, gitBytes, splitZ } from './exec.js';

export interface TreeFile {
  /** The path inside the tree, as asked. */
  place: string;
  content: Buffer;
}

/**
 * The blobs at `places` in `commit`'s tree, in the order asked; places that are missing or no blob
 * (a folder) are left out. One `cat-file --batch` for all of them.
 */
export function readTreeFiles(commit: string, places: readonly string[], cwd?: string): TreeFile[] {
  return readBlobs(places, `${commit}:`, cwd);
}

/**
 * The blobs at `places` in the index, stage 0: what the next commit would hold. git hands a
 * pre-commit hook the index it commits (GIT_INDEX_FILE, a temporary one for `git commit -a` or
 * `git commit <paths>`), and `:0:<path>` reads that one (gitrevisions(7): `:[<n>:]<path>`, a path
 * from the top of the worktree).
 */
export function readIndexFiles(places: readonly string[], cwd?: string): TreeFile[] {
  return readBlobs(places, ':0:', cwd);
}

function readBlobs(places: readonly string[], prefix: string, cwd?: string): TreeFile[] {
  const out = gitBytes(['cat-file', '--batch'], {
    cwd,
    input: places.map((p) => `${prefix}${p}\n`).join(''),
  });
  const files: TreeFile[] = [];
  let at = 0;
  for (const place of places) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) throw new Error('git cat-file --batch: unexpected output');
    const header = out.subarray(at, eol).toString('utf8');
    at = eol + 1;
    if (header.endsWith(' missing') || header.endsWith(' ambiguous')) continue;
    const [, type, size] = header.split(' ');
    const n = Number(size);
    if (!Number.isInteger(n)) throw new Error(`git cat-file --batch: unexpected header ${header}`);
    if (type === 'blob') files.push({ place, content: Buffer.from(out.subarray(at, at + n)) });
    at += n + 1; // the content, then a newline
  }
  return files;
}

/** The current value of each existing ref among `refs` (exact names), in one call. */
export function refTips(refs: readonly string[], cwd?: string): Map<string, string> {
  const out = gitBytes(['for-each-ref', '--format=%(objectname) %(refname)', ...refs], { cwd });
  const tips = new Map<string, string>();
  for (const line of out.toString('utf8').split('\n')) {
    const sp = line.indexOf(' ');
    const ref = line.slice(sp + 1);
    // for-each-ref also matches refs below a pattern (`refs/heads/x/…`): keep exact names only.
    if (sp > 0 && refs.includes(ref)) tips.set(ref, line.slice(0, sp));
  }
  return tips;
}

/**
 * `git ls-tree <commit> -- <places>` as text: which of the places a tree holds, with their blob
 * ids. Equal listings mean equal committed config, whatever else the commit changed; the shims
 * run the same command (so the bytes compare as they are).
 */
export function treeListing(commit: string, places: readonly string[], cwd?: string): string {
  return git(['ls-tree', '--full-tree', commit, '--', ...places], { cwd });
}

/** One entry of a tree's top level: its name and whether it is a folder. */
export interface TopEntry {
  name: string;
  folder: boolean;
}

/** The top level of `commit`'s tree (`ls-tree -z`: names with newlines or quotes come through). */
export function topLevelEntries(commit: string, cwd?: string): TopEntry[] {
  const out = gitBytes(['ls-tree', '-z', '--full-tree', commit], { cwd });
  return splitZ(out).flatMap((entry) => {
    const tab = entry.indexOf('\t');
    if (tab < 0) return [];
    const type = entry.slice(0, tab).split(' ')[1];
    return [{ name: entry.slice(tab + 1), folder: type === 'tree' }];
  });
}

/** Every file path in `commit`'s tree. */
export function treePaths(commit: string, cwd?: string): string[] {
  return splitZ(gitBytes(['ls-tree', '-r', '-z', '--name-only', '--full-tree', commit], { cwd }));
}
