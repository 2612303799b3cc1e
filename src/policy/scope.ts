// What a lane may change: picomatch globs (dot: true) compiled once per run.
import picomatch from 'picomatch';
import type { LanesConfig } from '../config/schema.js';
import type { Lane } from '../lanes/resolve.js';
import { globsMeet } from './glob-overlap.js';
import type { ScopeRegExp } from '../lanes/scope-regexp.js';

export type { ScopeRegExp } from '../lanes/scope-regexp.js';

export interface Scope {
  /** The globs, for messages. */
  globs: string[];
  allows(path: string): boolean;
}

/** A lane's writable paths; null means unrestricted (the coordinator). */
export function scopeOf(config: LanesConfig, lane: Lane): Scope | null {
  const globs = scopeGlobs(config, lane);
  return globs ? { globs, allows: globMatcher(globs) } : null;
}

/** The one definition of what a set of globs matches (the shell's compiled scope is tested against it). */
export function globMatcher(globs: string[]): (path: string) => boolean {
  // flags 's': a file name may contain a newline, and `**` must match it like any other byte.
  return globs.length ? picomatch(globs, { dot: true, flags: 's' }) : () => false;
}

/**
 * The globs as the regular expressions picomatch matches with (picomatch.makeRe, the options of
 * globMatcher), or null when one does not compile. globMatcher's matcher is, per glob (picomatch 4
 * lib/picomatch.js `picomatch.test`, on POSIX where no slash is rewritten): an empty path matches
 * nothing, a path equal to the glob matches, else the expression decides. scopeTest applies
 * exactly that, so a process that has these can decide without picomatch (agents/fast.ts);
 * test/scope-regexps.test.ts holds both to the same answers.
 */
export function scopeRegExps(globs: string[]): ScopeRegExp[] | null {
  try {
    return globs.map((glob) => {
      const re = picomatch.makeRe(glob, { dot: true, flags: 's' });
      return { glob, source: re.source, flags: re.flags };
    });
  } catch {
    return null;
  }
}

export function scopeGlobs(config: LanesConfig, lane: Lane): string[] | null {
  if (lane.kind === 'coordinator') return null;
  if (lane.kind === 'review') return [`${config.reviews.dir.replace(/\/+$/, '')}/**`];
  if (lane.kind === 'delivery' && lane.role) {
    const role = config.roles[lane.role];
    return [...(role?.kind === 'delivery' ? role.paths : []), ...config.shared];
  }
  return [];
}

/**
 * Pairs of delivery roles whose scopes overlap (allowed, but worth a warning): a role's glob whose
 * literal base, or a path under it, falls in another role's scope.
 */
export function overlappingScopes(config: LanesConfig): [string, string, string][] {
  const delivery = Object.entries(config.roles).flatMap(([name, r]) =>
    r.kind === 'delivery' ? [[name, r.paths] as const] : [],
  );
  const out: [string, string, string][] = [];
  for (const [a, globsA] of delivery) {
    const inA = globMatcher(globsA);
    for (const [b, globsB] of delivery) {
      if (a >= b) continue;
      const inB = globMatcher(globsB);
      const probes = (globs: readonly string[]) =>
        globs
          .map((g) => g.split(/[*?[{(!]/)[0]!.replace(/\/+$/, ''))
          .filter(Boolean)
          .flatMap((base) => [base, `${base}/x`]);
      const hit = probes(globsB).find((p) => inA(p)) ?? probes(globsA).find((p) => inB(p));
      if (hit) out.push([a, b, hit]);
    }
  }
  return out;
}

/**
 * Whether two sets of globs may match a common path, and a witness pair ("a ~ b") when they may:
 * decided exactly on the glob subset of policy/glob-overlap.ts, in time bounded by their sizes.
 */
export const globsOverlap = globsMeet;
