// Facts about the repository and the worktree a command runs in, each asked of git once.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { git, gitBytes, gitMaybe, splitZ } from './exec.js';
import { DIFF_PINS } from './history.js';
import { PATHSPEC_PINS, pathspecEnv } from './pathspec.js';

export interface Worktree {
  /** This worktree's own git dir (`.git` or `.git/worktrees/<id>`), absolute. */
  gitDir: string;
  /** The repository's shared git dir, absolute. */
  commonDir: string;
  /** The working tree's top level, absolute; null in a bare repository. */
  top: string | null;
  isMain: boolean;
  /** Stable name of the worktree: `(main)` or the `<id>` of `.git/worktrees/<id>`. */
  id: string;
}

export const MAIN_WORKTREE_ID = '(main)';

export function currentWorktree(cwd?: string): Worktree {
  const dirs = ['rev-parse', '--path-format=absolute', '--git-dir', '--git-common-dir'];
  // One call in a working tree; a bare repository has no top level and needs the second form.
  const out = gitMaybe([...dirs, '--show-toplevel'], { cwd }) ?? git(dirs, { cwd });
  const [gitDir = '', commonDir = '', top = null] = out.split('\n');
  // The main worktree is the common git dir's own working tree. GIT_DIR=<main>/.git with
  // GIT_WORK_TREE (or core.worktree) pointing at a lane's directory also gives git-dir ==
  // common-dir: that is a lane borrowing the coordinator's git dir, not the coordinator.
  const isMain =
    path.resolve(gitDir) === path.resolve(commonDir) &&
    (top === null || path.basename(commonDir) !== '.git' || sameDir(top, path.dirname(commonDir)));
  return { gitDir, commonDir, top, isMain, id: isMain ? MAIN_WORKTREE_ID : path.basename(gitDir) };
}

function sameDir(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return real(a) === real(b);
}

/** The branch HEAD is attached to (`refs/heads/x`), or null when detached. */
export function headBranch(cwd?: string): string | null {
  return gitMaybe(['symbolic-ref', '-q', 'HEAD'], { cwd });
}

/** The ref HEAD names (`refs/heads/x`), read from the worktree's HEAD file without starting git; null when detached or unreadable. */
export function headRefFromFile(gitDir: string): string | null {
  try {
    const head = readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
    return head.startsWith('ref: ') ? head.slice(5) : null;
  } catch {
    return null;
  }
}

export function resolveCommit(rev: string, cwd?: string): string | null {
  return gitMaybe(['rev-parse', '-q', '--verify', '--end-of-options', `${rev}^{commit}`], { cwd });
}

export function resolveRef(ref: string, cwd?: string): string | null {
  return gitMaybe(['rev-parse', '-q', '--verify', '--end-of-options', ref], { cwd });
}

/** The current value of each ref (null where it does not exist), in one git call for all of refs/. */
export function refValues(refs: string[], cwd?: string): Map<string, string | null> {
  const out = new Map<string, string | null>();
  const full = [...new Set(refs.filter((r) => r.startsWith('refs/')))];
  if (full.length) {
    const listed = gitMaybe(['for-each-ref', '--format=%(objectname) %(refname)', ...full], {
      cwd,
    });
    for (const line of (listed ?? '').split('\n')) {
      const at = line.indexOf(' ');
      if (at > 0) out.set(line.slice(at + 1), line.slice(0, at));
    }
  }
  for (const r of refs)
    if (!out.has(r)) out.set(r, r.startsWith('refs/') ? null : resolveRef(r, cwd));
  return out;
}

/**
 * The commit ids among `refs`' values that `base` reaches (`merged`: isAncestor(tip, base)) and
 * that reach `base` (`contains`: isAncestor(base, tip)), from two for-each-ref calls for all the
 * refs instead of a merge-base process per ref and question (land over 30 lanes asked 48). A
 * commit is its own ancestor in both, as with merge-base --is-ancestor. null when git could not
 * answer (a ref to a missing object): then ask isAncestor one pair at a time.
 */
export function ancestryOf(
  refs: string[],
  base: string,
  cwd?: string,
): { merged: Set<string>; contains: Set<string> } | null {
  const full = [...new Set(refs.filter((r) => r.startsWith('refs/')))];
  if (!full.length) return { merged: new Set(), contains: new Set() };
  const ask = (opt: string) =>
    gitMaybe(['for-each-ref', '--format=%(objectname)', `${opt}=${base}`, '--', ...full], { cwd });
  const merged = ask('--merged');
  const contains = merged === null ? null : ask('--contains');
  if (merged === null || contains === null) return null;
  const ids = (out: string) => new Set(out.split('\n').filter(Boolean));
  return { merged: ids(merged), contains: ids(contains) };
}

/** Every ref's full name (for-each-ref, one call). */
export function allRefs(cwd?: string): string[] {
  return (gitMaybe(['for-each-ref', '--format=%(refname)'], { cwd }) ?? '')
    .split('\n')
    .filter(Boolean);
}

/**
 * The "<sha> <ref>" lines of the repository's packed-refs file (gitrepository-layout(5)): where a
 * ref's packed value equals the value a delete line names, the delete only drops a loose copy
 * (pack-refs, gc) and the ref keeps its value.
 */
export function packedRefLines(commonDir: string): Set<string> {
  try {
    return new Set(
      readFileSync(path.join(commonDir, 'packed-refs'), 'utf8')
        .split('\n')
        .filter((l) => /^[0-9a-f]{40,64} /.test(l)),
    );
  } catch {
    return new Set();
  }
}

export function isAncestor(ancestor: string, descendant: string, cwd?: string): boolean {
  return gitMaybe(['merge-base', '--is-ancestor', ancestor, descendant], { cwd }) !== null;
}

export function objectExists(sha: string, cwd?: string): boolean {
  return gitMaybe(['cat-file', '-e', `${sha}^{commit}`], { cwd }) !== null;
}

/** lanes.* keys of the worktree's own config (config.worktree): only that scope may name a role. */
export function worktreeLanesConfig(cwd?: string): Map<string, string> {
  return parseScopedConfig(
    gitMaybe(['config', '-z', '--show-scope', '--get-regexp', '^lanes\\.'], { cwd }) ?? '',
  ).worktree;
}

/**
 * Parse `git config -z --show-scope` output ("<scope>\0<key>\n<value>\0" per entry): the values
 * of the worktree's own config.worktree, and the effective value of each key.
 */
export function parseScopedConfig(out: string): {
  worktree: Map<string, string>;
  any: Map<string, string>;
} {
  const fields = splitZ(out);
  const worktree = new Map<string, string>();
  const any = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const kv = fields[i + 1]!;
    const nl = kv.indexOf('\n');
    const key = (nl < 0 ? kv : kv.slice(0, nl)).toLowerCase();
    const value = nl < 0 ? '' : kv.slice(nl + 1);
    any.set(key, value);
    if (fields[i] === 'worktree') worktree.set(key, value);
  }
  return { worktree, any };
}

/**
 * A worktree's own git dir, read from its `.git` without starting git (gitrepository-layout(5)):
 * the directory itself in the main worktree, the `gitdir: <path>` a linked worktree's `.git` file
 * names (relative to the worktree when not absolute); null when neither can be read.
 */
export function gitDirOf(dir: string): string | null {
  const dotGit = path.join(dir, '.git');
  try {
    if (statSync(dotGit).isDirectory()) return dotGit;
    const m = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, 'utf8'));
    return m ? path.resolve(dir, m[1]!.trim()) : null;
  } catch {
    return null;
  }
}

/**
 * The one git call behind {@link scopedConfigsFrom}, run in the common git dir: every config
 * entry with its scope and origin, each worktree's `config.worktree` included from the command
 * line so that its entries come back under that file's name (one process instead of one per lane).
 */
export function scopedConfigsArgs(gitDirs: string[]): string[] {
  return [
    ...gitDirs.flatMap((g) => ['-c', `include.path=${path.join(g, 'config.worktree')}`]),
    'config',
    '-z',
    '--show-scope',
    '--show-origin',
    '--list',
  ];
}

/**
 * What `git -C <worktree> config -z --show-scope --get-regexp <keys>` prints in each worktree of
 * `gitDirs` (the repository's own worktrees: `<common>` and `<common>/worktrees/<id>`), derived
 * from the output of {@link scopedConfigsArgs}; null where it cannot be derived exactly (ask that
 * worktree's git). Worktrees share the system, global, local and command scopes; only the worktree
 * scope (`config.worktree`, read when the repository's own config file sets
 * extensions.worktreeConfig: git-config(1), git-worktree(1) "CONFIGURATION FILE") is their own.
 * Conditional includes (`includeIf`) may differ per worktree, so any of them, an include inside a
 * `config.worktree`, or a setting of the extension git may read differently, makes every answer
 * null.
 */
export function scopedConfigsFrom(
  listing: string | null,
  commonDir: string,
  gitDirs: string[],
  keys: RegExp,
): (string | null)[] {
  const none = gitDirs.map(() => null);
  if (listing === null) return none;
  const fields = splitZ(listing);
  if (fields.length % 3) return none;
  const own = new Map(gitDirs.map((g, i) => [`file:${path.join(g, 'config.worktree')}`, i]));
  const included = new Set<string>();
  const shared: { scope: string; kv: string }[] = [];
  const perTree: string[][] = gitDirs.map(() => []);
  const repoConfig = path.join(commonDir, 'config');
  let worktreeConfig = false;
  for (let i = 0; i < fields.length; i += 3) {
    const [scope, origin, kv] = [fields[i]!, fields[i + 1]!, fields[i + 2]!];
    const nl = kv.indexOf('\n');
    const key = nl < 0 ? kv : kv.slice(0, nl);
    const value = nl < 0 ? null : kv.slice(nl + 1);
    const lane = own.get(origin);
    if (scope === 'command' && origin === 'command line:' && key === 'include.path') {
      const file = `file:${value}`;
      if (own.has(file) && !included.has(file)) {
        included.add(file);
        continue;
      }
    }
    if (lane !== undefined) {
      if (/^include(if)?\./.test(key)) return none;
      perTree[lane]!.push(kv);
      continue;
    }
    if (key.startsWith('includeif.')) return none;
    if (key === 'extensions.worktreeconfig') {
      // git reads its repository format from the repository's config file alone.
      if (scope !== 'local' || path.resolve(commonDir, origin.slice(5)) !== repoConfig) return none;
      const v = value?.toLowerCase();
      if (v === undefined || ['true', 'yes', 'on', '1'].includes(v)) worktreeConfig = true;
      else if (['false', 'no', 'off', '0', ''].includes(v)) worktreeConfig = false;
      else return none;
    }
    // The worktree scope here is the main worktree's own, which its include above stands for.
    if (scope === 'worktree') continue;
    if (!['system', 'global', 'local', 'command'].includes(scope)) return none;
    // An entry of some other file in the command scope: an include inside a config.worktree.
    if (scope === 'command' && origin !== 'command line:') return none;
    shared.push({ scope, kv });
  }
  if (included.size !== gitDirs.length) return none;
  const keep = (kv: string) => keys.test(kv.split('\n', 1)[0]!);
  const entry = (scope: string, kv: string) => `${scope}\0${kv}\0`;
  const before = shared.filter((e) => e.scope !== 'command' && keep(e.kv));
  const after = shared.filter((e) => e.scope === 'command' && keep(e.kv));
  return perTree.map((mine) =>
    [
      ...before.map((e) => entry(e.scope, e.kv)),
      ...(worktreeConfig ? mine.filter(keep).map((kv) => entry('worktree', kv)) : []),
      ...after.map((e) => entry(e.scope, e.kv)),
    ].join(''),
  );
}

export type TransientState = 'rebase' | 'am' | 'bisect' | 'sequencer' | 'merge';

/**
 * Rebase, am and bisect detach HEAD and commit on it by themselves, then reattach: their detached
 * commits are theirs. A cherry-pick, revert or merge on a detached HEAD is the user's own commit.
 */
export const detachesOnItsOwn = (s: TransientState | null): boolean =>
  s === 'rebase' || s === 'am' || s === 'bisect';

/**
 * An operation in progress that detaches HEAD (or commits) on its own and reattaches it later.
 * Files only: these checks sit on the hot path of every hook.
 */
export function transientState(gitDir: string): TransientState | null {
  const has = (p: string) => existsSync(path.join(gitDir, p));
  if (has('rebase-merge') || has('rebase-apply/rebasing')) return 'rebase';
  if (has('rebase-apply')) return 'am';
  if (has('BISECT_LOG')) return 'bisect';
  if (has('sequencer') || has('CHERRY_PICK_HEAD') || has('REVERT_HEAD')) return 'sequencer';
  if (has('MERGE_HEAD')) return 'merge';
  return null;
}

/**
 * Paths the next commit changes, both sides of a rename, raw names (GIT_INDEX_FILE respected).
 * For a merge being concluded (MERGE_HEAD), only what differs from every parent: the merge's own
 * resolution, not what it brings in (the same rule as commitPaths). Plumbing with the same pinned
 * options: porcelain `git diff --cached` obeys diff.ignoreSubmodules and would hide a gitlink.
 * Before the first commit there is no HEAD: everything staged counts (against the empty tree).
 * `pathspecs` (pathspec.ts: explicit magic on each) lists only the paths they select.
 */
export function stagedPaths(gitDir: string, cwd?: string, pathspecs?: readonly string[]): string[] {
  // With pathspecs (pathspec.ts), nothing in the environment or configuration may change them.
  const pins = pathspecs ? PATHSPEC_PINS : [];
  const env = pathspecs ? pathspecEnv() : undefined;
  const against = (rev: string) =>
    new Set(
      splitZ(
        gitBytes(
          [...pins, 'diff-index', '--cached', ...DIFF_PINS, rev, '--', ...(pathspecs ?? [])],
          {
            cwd,
            env,
          },
        ),
      ).filter((_, i) => i % 2 === 1),
    );
  let staged: Set<string>;
  try {
    staged = against('HEAD');
  } catch (e) {
    // Before the first commit there is no HEAD to compare with: the empty tree stands in.
    if (resolveCommit('HEAD', cwd)) throw e;
    staged = against(emptyTree(cwd));
  }
  const paths = [...staged];
  let heads: string[];
  try {
    heads = readFileSync(path.join(gitDir, 'MERGE_HEAD'), 'utf8')
      .split('\n')
      .filter((l) => /^[0-9a-f]{40,64}$/.test(l));
  } catch {
    return paths;
  }
  return heads.reduce((kept, sha) => {
    const differs = against(sha);
    return kept.filter((p) => differs.has(p));
  }, paths);
}

/**
 * What a worktree holds that HEAD does not: changed or deleted tracked files (staged or not) and
 * new files git does not ignore, as raw paths.
 *
 * One `git status --porcelain=v2`, not `diff-index HEAD` + `ls-files --others`: diff-index trusts
 * the index's stat data as it is, so a file only touched (a formatter that rewrote the same bytes,
 * a copied worktree) was reported as changed; status refreshes the stat data first (in memory
 * only: `--no-optional-locks`, so an agent's own git command never meets our index.lock). Every
 * setting that changes what status lists is pinned: untracked files all listed, no renames,
 * submodules never ignored (diff.ignoreSubmodules, submodule.*.ignore), no branch or stash
 * header (status.branch, status.showStash), and no fsmonitor (core.fsmonitor names a program a
 * lane could point at one that answers "nothing changed"; off, git looks at every file).
 */
export function worktreeChanges(top: string): { tracked: string[]; untracked: string[] } {
  const fields = splitZ(
    gitBytes(
      [
        '--no-optional-locks',
        '-c',
        'core.fsmonitor=false',
        'status',
        '--porcelain=v2',
        '-z',
        '--untracked-files=all',
        '--no-renames',
        '--ignore-submodules=none',
        '--no-branch',
        '--no-show-stash',
      ],
      { cwd: top },
    ),
  );
  return parseStatusV2(fields);
}

/**
 * git status --porcelain=v2 -z records (git-status(1), "Porcelain Format Version 2"): the path
 * follows a fixed number of space-separated fields, so a path with spaces stays whole:
 * `1 XY sub mH mI mW hH hI <path>`, `2 XY sub mH mI mW hH hI Xscore <path>` then the original
 * path as a field of its own, `u XY sub m1 m2 m3 mW h1 h2 h3 <path>`, `? <path>`, `! <path>`.
 */
function parseStatusV2(fields: string[]): { tracked: string[]; untracked: string[] } {
  const tracked: string[] = [];
  const untracked: string[] = [];
  const after = (f: string, spaces: number) => {
    let at = -1;
    for (let i = 0; i < spaces; i++) at = f.indexOf(' ', at + 1);
    return f.slice(at + 1);
  };
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.startsWith('1 ')) tracked.push(after(f, 8));
    else if (f.startsWith('2 ')) {
      tracked.push(after(f, 9));
      i++; // the original path: with --no-renames there is none, but never read it as a record
    } else if (f.startsWith('u ')) tracked.push(after(f, 10));
    else if (f.startsWith('? ')) untracked.push(f.slice(2));
  }
  return { tracked, untracked };
}

/** The empty tree's id in this repository's hash (git knows it without storing it). */
export function emptyTree(cwd?: string): string {
  return git(['hash-object', '-t', 'tree', '/dev/null'], { cwd });
}

export interface ListedWorktree {
  path: string;
  head: string | null;
  branch: string | null;
  bare: boolean;
  prunable: boolean;
}

export function listWorktrees(cwd?: string): ListedWorktree[] {
  const fields = splitZ(gitBytes(['worktree', 'list', '--porcelain', '-z'], { cwd }));
  const out: ListedWorktree[] = [];
  let cur: ListedWorktree | null = null;
  for (const f of fields) {
    if (f === '') {
      cur = null;
      continue;
    }
    const sp = f.indexOf(' ');
    const key = sp < 0 ? f : f.slice(0, sp);
    const val = sp < 0 ? '' : f.slice(sp + 1);
    if (key === 'worktree') {
      cur = { path: val, head: null, branch: null, bare: false, prunable: false };
      out.push(cur);
    } else if (cur) {
      if (key === 'HEAD') cur.head = val;
      else if (key === 'branch') cur.branch = val;
      else if (key === 'bare') cur.bare = true;
      else if (key === 'prunable') cur.prunable = true;
    }
  }
  return out;
}

/**
 * The repository's own git dir and the lanes.* keys of its own config file, read with `--file`
 * only: git's other sources (GIT_CONFIG_GLOBAL, GIT_CONFIG_PARAMETERS/COUNT from `-c` or the
 * environment, the system file, includes) may come from whoever runs this (on a hub reached over a
 * local path, the pusher), so none of them is consulted. receive-pack runs hooks in the repository
 * with GIT_DIR=. (githooks(5)), so the git dir is the hub's.
 */
/** A repository's own config file's lanes.* values (lower-cased keys) and its git dir. */
export interface OwnRepoConfig {
  gitDir: string;
  /** `git rev-parse --is-bare-repository`, asked in the same process as the git dir. */
  bare: boolean;
  values: Map<string, string>;
}

export function ownRepoConfig(cwd?: string): OwnRepoConfig {
  // rev-parse prints its answers in the order asked, one a line (the git dir is absolute: no LF
  // can be told apart from a name's here, so the last line is the bare answer).
  const asked = git(['rev-parse', '--absolute-git-dir', '--is-bare-repository'], { cwd });
  const nl = asked.lastIndexOf('\n');
  const gitDir = asked.slice(0, nl);
  const bare = asked.slice(nl + 1) === 'true';
  const out =
    gitMaybe(
      [
        'config',
        '--file',
        path.join(gitDir, 'config'),
        '--no-includes',
        '-z',
        '--get-regexp',
        '^lanes\\.',
      ],
      { cwd },
    ) ?? '';
  const values = new Map<string, string>();
  for (const kv of splitZ(out)) {
    const nl = kv.indexOf('\n');
    values.set((nl < 0 ? kv : kv.slice(0, nl)).toLowerCase(), nl < 0 ? '' : kv.slice(nl + 1));
  }
  return { gitDir, bare, values };
}

/**
 * The integration branch a first `init` should write, and why: the branch the remote's HEAD names
 * (`<remote>/HEAD`, set by clone), else the current branch when it is a usual integration name
 * (born or not), else the only one of main and master that exists, else the current branch.
 * Null in a detached repository with neither.
 */
export function guessIntegration(
  remote: string,
  cwd?: string,
): { branch: string; why: string } | null {
  const remoteHead = gitMaybe(['symbolic-ref', '-q', `refs/remotes/${remote}/HEAD`], { cwd });
  const prefix = `refs/remotes/${remote}/`;
  if (remoteHead?.startsWith(prefix))
    return { branch: remoteHead.slice(prefix.length), why: `${remote}/HEAD names it` };
  const current = gitMaybe(['symbolic-ref', '-q', '--short', 'HEAD'], { cwd });
  if (current && ['main', 'master', 'trunk', 'develop'].includes(current))
    return { branch: current, why: 'the current branch' };
  const present = ['main', 'master'].filter(
    (b) => gitMaybe(['rev-parse', '-q', '--verify', `refs/heads/${b}^{commit}`], { cwd }) !== null,
  );
  if (present.length === 1) return { branch: present[0]!, why: 'the only one of main and master' };
  return current ? { branch: current, why: 'the current branch' } : null;
}
