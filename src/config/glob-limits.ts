// Limits on the globs of roles (config) and tasks (queue add, the hub's replay). They bound the
// overlap check (policy/glob-overlap.ts walks |A|·|B| pairs at most) and picomatch's own regex,
// whose backtracking grows with the number of stars in a segment (`a*a*a*…*b`, route 10).

/** Limits for task globs (queue add, the hub's replay) and role globs (config validation). */
export const MAX_GLOB_LENGTH = 256;
/** `*` and `?` characters in one glob. */
export const MAX_GLOB_WILDCARDS = 16;
/** `*` runs in one path segment (a `**` segment is none): picomatch's backtracking is their power. */
export const MAX_SEGMENT_STARS = 3;
/** Globs in one task's `--paths`. */
export const MAX_TASK_GLOBS = 32;

/** Why a glob breaks the limits, or null. The limits bound picomatch's own regex too. */
export function globLimitProblem(glob: string): string | null {
  if (glob.length > MAX_GLOB_LENGTH)
    return `longer than ${MAX_GLOB_LENGTH} characters (${glob.length})`;
  const wild = (glob.match(/[*?]/g) ?? []).length;
  if (wild > MAX_GLOB_WILDCARDS)
    return `more than ${MAX_GLOB_WILDCARDS} wildcards (* and ?: ${wild})`;
  const crowded = glob
    .split('/')
    .find((seg) => seg !== '**' && (seg.match(/\*+/g) ?? []).length > MAX_SEGMENT_STARS);
  if (crowded !== undefined)
    return `more than ${MAX_SEGMENT_STARS} stars in the segment ${JSON.stringify(crowded)}`;
  return null;
}
