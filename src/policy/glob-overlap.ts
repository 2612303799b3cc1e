// Whether two task globs can name a common path, and whether a task glob lies inside a role's
// scope, decided on the globs themselves (no path is enumerated, no regex is run).
//
// Why not picomatch: its regex for `a*a*a*…*b` backtracks without end against a long literal path
// (route 10: one push spun the hub's guard at 100% CPU), and "one glob matches the other read as a
// path" is no overlap test at all (`contracts/api-*.json` and `contracts/*-v2.json` share
// `contracts/api-v2.json`; route 6). Here a glob is read as a sequence of path segments, each
// either `**` (any number of segments, none included: picomatch's `a/**` matches `a`) or a segment
// pattern of literal characters, `?` (one character) and `*` (any run within the segment), which is
// picomatch's meaning of those with `dot: true` (scope.ts globMatcher). Two such globs meet when the
// product of their automata reaches both ends: a walk over (segment of A, segment of B), and within
// two segment patterns over (token of A, token of B). Each walk visits every pair once, so the cost
// is O(|A|·|B|) whatever the globs, and every glob is cut to MAX_GLOB_LENGTH first.
//
// The rest of picomatch's syntax (brackets, braces, extglobs, negation, escapes, quotes, a `**`
// inside a segment, empty or dot segments) is not decided: such a glob is read from its first
// undecided segment on as `**`, a superset of what it matches. Over-approximating both sides
// never calls two overlapping globs disjoint; it may refuse a claim that a finer reading would
// allow, and the refusal says which glob was read broadly.

import { MAX_GLOB_LENGTH } from '../config/glob-limits.js';

export { globLimitProblem, MAX_GLOB_LENGTH } from '../config/glob-limits.js';

const STAR = -1;
const ANY = -2;
/** One segment pattern: character codes, STAR for `*`, ANY for `?`. */
type SegPattern = number[];
/** A glob as segments: `**` or a pattern. */
type Segment = 'globstar' | SegPattern;

export interface ParsedGlob {
  segments: Segment[];
  /** false: read broadly (undecided syntax or too long); the glob matches at most `segments`. */
  exact: boolean;
}

/** Characters whose picomatch meaning is not the plain subset above. */
const UNDECIDED = /[[\]{}()\\"|]/;

export function parseGlob(glob: string): ParsedGlob {
  // A glob over the limit is only ever read as `**` (an old hub entry, say): never walked.
  if (glob.length > MAX_GLOB_LENGTH || glob.startsWith('!'))
    return { segments: ['globstar'], exact: false };
  const segments: Segment[] = [];
  for (const seg of glob.split('/')) {
    if (seg === '**') {
      // Consecutive globstars match what one does.
      if (segments.at(-1) !== 'globstar') segments.push('globstar');
      continue;
    }
    if (seg === '' || seg === '.' || seg === '..' || UNDECIDED.test(seg) || seg.includes('**')) {
      if (segments.at(-1) !== 'globstar') segments.push('globstar');
      return { segments, exact: false };
    }
    const pattern: SegPattern = [];
    // UTF-16 units, as picomatch's regex reads them: its `?` is one unit, half an emoji.
    for (let k = 0; k < seg.length; k++) {
      const ch = seg[k]!;
      pattern.push(ch === '*' ? STAR : ch === '?' ? ANY : seg.charCodeAt(k));
    }
    segments.push(pattern);
  }
  return { segments, exact: true };
}

/**
 * Reachability over pairs (i, j) from (0, 0) to (n, m). Every step moves to a pair with neither
 * index smaller and one larger, so one pass in row order visits each pair once, allocating nothing.
 */
function reaches(
  n: number,
  m: number,
  step: (i: number, j: number, mark: (a: number, b: number) => void) => void,
): boolean {
  const width = m + 1;
  const seen = new Uint8Array((n + 1) * width);
  const mark = (a: number, b: number) => {
    if (a <= n && b <= m) seen[a * width + b] = 1;
  };
  seen[0] = 1;
  for (let i = 0; i <= n; i++)
    for (let j = 0; j <= m; j++) if (seen[i * width + j]) step(i, j, mark);
  return seen[n * width + m] === 1;
}

/** Whether two segment patterns match a common segment (the product of their automata). */
function segmentsMeet(p: SegPattern, q: SegPattern): boolean {
  return reaches(p.length, q.length, (i, j, mark) => {
    const a = p[i];
    const b = q[j];
    if (a === STAR) mark(i + 1, j); // the star ends (matches nothing more)
    if (b === STAR) mark(i, j + 1);
    if (a === undefined || b === undefined) return;
    // One common character read by both sides.
    const fixedA = a !== STAR;
    const fixedB = b !== STAR;
    if (fixedA && fixedB && (a === ANY || b === ANY || a === b)) mark(i + 1, j + 1);
    if (fixedA && !fixedB) mark(i + 1, j); // B's star reads A's character
    if (!fixedA && fixedB) mark(i, j + 1);
  });
}

/** Whether two parsed globs match a common path (the product over segments). */
function parsedMeet(a: Segment[], b: Segment[]): boolean {
  return reaches(a.length, b.length, (i, j, mark) => {
    const x = a[i];
    const y = b[j];
    if (x === 'globstar') mark(i + 1, j); // matches no more segments
    if (y === 'globstar') mark(i, j + 1);
    if (x === undefined || y === undefined) return;
    // One common segment: a globstar reads any segment the other side's pattern matches.
    if (x === 'globstar' && y !== 'globstar') mark(i, j + 1);
    else if (y === 'globstar' && x !== 'globstar') mark(i + 1, j);
    else if (x !== 'globstar' && y !== 'globstar' && segmentsMeet(x, y)) mark(i + 1, j + 1);
  });
}

/** Whether every segment `inner` matches, `outer` matches (read symbolically: sufficient). */
function segmentWithin(inner: SegPattern, outer: SegPattern): boolean {
  return reaches(outer.length, inner.length, (i, j, mark) => {
    const o = outer[i];
    const t = inner[j];
    if (o === STAR) {
      mark(i + 1, j);
      if (t !== undefined) mark(i, j + 1); // the outer star absorbs any inner token
    } else if (o !== undefined && t !== undefined && t !== STAR && (o === ANY || o === t))
      mark(i + 1, j + 1);
  });
}

/** Whether every path `inner` matches, `outer` matches (sufficient, not necessary). */
function parsedWithin(inner: Segment[], outer: Segment[]): boolean {
  return reaches(outer.length, inner.length, (i, j, mark) => {
    const o = outer[i];
    const t = inner[j];
    if (o === 'globstar') {
      mark(i + 1, j);
      if (t !== undefined) mark(i, j + 1);
    } else if (o !== undefined && t !== undefined && t !== 'globstar' && segmentWithin(t, o))
      mark(i + 1, j + 1);
  });
}

/**
 * Whether two sets of globs may match a common path, and the witness pair ("a ~ b") when they may.
 * Exact on the decided subset; a glob read broadly counts as overlapping wherever its broad
 * reading does.
 */
export function globsMeet(a: readonly string[], b: readonly string[]): string | null {
  const pb = b.map(parseGlob);
  for (const ga of a) {
    const pa = parseGlob(ga);
    for (const [k, gb] of b.entries())
      if (parsedMeet(pa.segments, pb[k]!.segments))
        return `${ga} ~ ${gb}${pa.exact && pb[k]!.exact ? '' : ' (read broadly: brackets, braces or extglobs are not decided)'}`;
  }
  return null;
}

/**
 * The globs of `inner` that are not proven to lie within one glob of `outer` (a role's scope).
 * A glob of `outer` read broadly proves nothing but equal text; `**` alone proves everything.
 */
export function globsOutside(inner: readonly string[], outer: readonly string[]): string[] {
  const po = outer.map((g) => [g, parseGlob(g)] as const).filter(([, p]) => p.exact);
  return inner.filter((g) => {
    if (outer.includes(g)) return false;
    const pi = parseGlob(g);
    return !po.some(([, o]) => parsedWithin(pi.segments, o.segments));
  });
}
