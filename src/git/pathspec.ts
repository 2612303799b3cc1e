// Pathspecs whose meaning no environment or configuration can change, for listings that let git
// do the matching (the staged set of a large commit, hooks/pre-commit.ts).
//
// git(1), "Environment Variables": GIT_LITERAL_PATHSPECS makes git "treat all pathspecs literally,
// rather than as glob patterns" (the magic prefix included: `:(exclude,glob)x` would name a file),
// GIT_GLOB_PATHSPECS "as glob patterns (aka "glob" magic)", GIT_NOGLOB_PATHSPECS "as literal (aka
// "literal" magic)", GIT_ICASE_PATHSPECS "as case-insensitive". A hook inherits them from the
// command that runs it (`git --literal-pathspecs commit` sets the first), so the listing's git gets
// none of them, and every pathspec carries its own magic (gitglossary(7), "pathspec": top, glob,
// literal, icase, exclude). core.ignorecase, core.precomposeUnicode (macOS rewrites argv, pathspecs
// included, NFD to NFC) and core.quotePath are pinned on the command line as well.
import { statSync } from 'node:fs';
import path from 'node:path';

export const PATHSPEC_ENV = [
  'GIT_LITERAL_PATHSPECS',
  'GIT_GLOB_PATHSPECS',
  'GIT_NOGLOB_PATHSPECS',
  'GIT_ICASE_PATHSPECS',
] as const;

export const PATHSPEC_PINS = [
  '-c',
  'core.ignorecase=false',
  '-c',
  'core.precomposeUnicode=false',
  '-c',
  'core.quotePath=false',
] as const;

/** The environment without the variables that change what a pathspec means. */
export function pathspecEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const k of PATHSPEC_ENV) delete out[k];
  return out;
}

/**
 * Names that may have a component git refuses to check out (policy/path-scope.ts forbiddenPath),
 * a superset in six pathspecs, each tried once per index entry: a component starting with `.`
 * (`.`, `..`, `.git`, `.git.`, `.GIT `), one holding `.` then g, i, t in any case with anything
 * between (`.git` with HFS+-ignorable code points around its letters, a `\`-separated NTFS
 * segment `.git`), one holding `git~` in any case (NTFS's short name `git~1`). `**` is a whole
 * segment (gitglossary: "A leading `**` followed by a slash means match in all directories",
 * "A trailing `/**` matches everything inside"); `*` never crosses a `/` under glob magic. An empty
 * component cannot be named by a pathspec; git refuses one in the index (read-cache.c
 * verify_path), so only a deletion of one from HEAD could list it, and deleting it is no harm.
 */
export const FORBIDDEN_CANDIDATES = [
  ':(top,glob)**/.*',
  ':(top,glob)**/.*/**',
  ':(top,glob,icase)**/*.*g*i*t*',
  ':(top,glob,icase)**/*.*g*i*t*/**',
  ':(top,glob,icase)**/*git~*',
  ':(top,glob,icase)**/*git~*/**',
] as const;

/** The size of the index the next commit is made from (GIT_INDEX_FILE respected); 0 if none. */
export function indexBytes(gitDir: string, cwd = process.cwd()): number {
  const file = process.env.GIT_INDEX_FILE;
  const index = file
    ? path.isAbsolute(file)
      ? file
      : path.resolve(cwd, file)
    : path.join(gitDir, 'index');
  try {
    return statSync(index).size;
  } catch {
    return 0;
  }
}
