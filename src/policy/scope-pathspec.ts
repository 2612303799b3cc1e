// A scope's globs as git exclusion pathspecs, so that git lists only the staged paths outside the
// scope (a large commit's in-scope paths then cost git's matching, not Node's). Only globs whose
// meaning under git's `glob` magic is known to equal picomatch's (scope.ts globMatcher: dot: true,
// flags 's') on git paths are translated; any other makes the whole scope fall back to listing
// everything (null). test/pathspec.test.ts compares both on random hostile names.
//
// What is translated, per gitglossary(7) "pathspec" (glob: "wildcards in the pattern will not match
// a / in the pathname"; `**/` leading, `/**/` inside and `/**` trailing; "Other consecutive
// asterisks are considered invalid"):
// - literal characters: anything but picomatch's and wildmatch's special ones (GLOB_SPECIAL) and
//   control characters;
// - `*` inside a segment (both: any run of characters but `/`, a leading dot included under dot: true);
// - `**` as a whole segment (both: any number of whole segments).
// Refused: `?` (wildmatch counts bytes, picomatch UTF-16 units), brackets and classes, braces,
// extglobs, `!` negation, backslash escapes, quotes and `|` (picomatch reads them specially),
// `./`, `/`, `//`, `.` and `..` segments, a trailing slash.
//
// Where git's matching is wider, the difference is listed again and judged exactly (`recheck`):
// a pathspec also matches every path under a directory whose name is the whole pattern read
// literally (dir.c match_pathspec_item: "matchlen <= namelen && !strncmp(...)" then
// MATCHED_RECURSIVELY), so `:(exclude,glob)a*` also hides `a*/x`, and `:(exclude,literal)a` hides
// `a/x`, which picomatch's `a*` and `a` do not match. `:(top,literal)<pattern>` lists exactly
// those names (and the pattern itself), few or none in practice. Where git's matching is narrower
// (picomatch's `a/**` also matches `a`, git's `a/**` not), the pattern without `/**` is excluded too,
// exactly where picomatch matches it (not after a star: picomatch's `a*/**` does not match `ab`).

/** Characters that make a glob more than literal text for picomatch or for wildmatch. */
const GLOB_SPECIAL = /[?[\]{}()!+@\\"|^$]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export interface ScopePathspecs {
  /** `:(top,exclude,…)` pathspecs: together, never more than what the globs match. */
  exclude: string[];
  /** `:(top,literal)` pathspecs listing what the exclusions may hide beyond the globs. */
  recheck: string[];
}

/** The pathspecs of one glob, or null when its git meaning is not provably picomatch's. */
function globPathspecs(glob: string): ScopePathspecs | null {
  if (!glob || LONE_SURROGATE.test(glob) || CONTROL.test(glob) || GLOB_SPECIAL.test(glob))
    return null;
  const segments = glob.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return null;
  // `**` only as a whole segment; any other run of asterisks is refused.
  if (segments.some((s) => s !== '**' && s.includes('**'))) return null;
  const wild = (s: string) => s.includes('*');
  const lit = (s: string) => `:(top,exclude,literal)${s}`;
  const glb = (s: string) => `:(top,exclude,glob)${s}`;
  const recheck = (s: string) => `:(top,literal)${s}`;
  const trailing = segments.length > 1 && segments.at(-1) === '**';
  const head = trailing ? segments.slice(0, -1).join('/') : glob;
  if (!wild(head)) {
    // `lit/**`: exactly `lit` and all under it, as picomatch (compile.ts globToCase says the same).
    // `lit`: `lit` only; the literal pathspec's directory match is rechecked.
    return trailing
      ? { exclude: [lit(head)], recheck: [] }
      : { exclude: [lit(head)], recheck: [recheck(head)] };
  }
  // picomatch's `x/**` matches `x` itself where x's last segment ends in a literal character (a
  // text token before the slash; parse.js "!afterStar"), not after a star (`a*/**`, `**/**`); git's
  // matches only what is inside: then the head is excluded too.
  if (trailing && !head.endsWith('*'))
    return { exclude: [glb(glob), glb(head)], recheck: [recheck(head)] };
  return { exclude: [glb(glob)], recheck: [recheck(trailing ? head : glob)] };
}

/** A scope's globs as pathspecs, or null when any glob is not translatable (list everything). */
export function scopePathspecs(globs: readonly string[]): ScopePathspecs | null {
  const out: ScopePathspecs = { exclude: [], recheck: [] };
  for (const g of globs) {
    const p = globPathspecs(g);
    if (!p) return null;
    out.exclude.push(...p.exclude);
    out.recheck.push(...p.recheck);
  }
  return out;
}
