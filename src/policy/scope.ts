// What a lane may change: picomatch globs (dot: true) compiled once per run.
import picomatch from 'picomatch';
import type { LanesConfig } from '../config/schema.js';
import type { Lane } from '../lanes/resolve.js';

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

/** The fixed directory part of a glob (`backend/api` of `backend/api/**`), without a trailing slash. */
const globBase = (g: string) => g.split(/[*?[{(!]/)[0]!.replace(/\/+$/, '');

/**
 * Whether two sets of globs may match a common path, and a witness pair ("a ~ b") when they may.
 * Conservative where it cannot be sure (no enumeration of paths): two globs overlap when one
 * matches the other read as a path, when a probe under one's fixed directory is matched by the
 * other, or when one's fixed directory lies inside the other's and that other reaches any depth
 * (`**`).
 */
export function globsOverlap(a: readonly string[], b: readonly string[]): string | null {
  const inside = (dir: string, of: string) => of === '' || dir === of || dir.startsWith(`${of}/`);
  for (const ga of a) {
    const ma = globMatcher([ga]);
    for (const gb of b) {
      const mb = globMatcher([gb]);
      const [ba, bb] = [globBase(ga), globBase(gb)];
      const probes = (base: string) => (base ? [base, `${base}/x`] : []);
      if (
        ma(gb) ||
        mb(ga) ||
        probes(bb).some(ma) ||
        probes(ba).some(mb) ||
        (inside(ba, bb) && gb.includes('**')) ||
        (inside(bb, ba) && ga.includes('**'))
      )
        return `${ga} ~ ${gb}`;
    }
  }
  return null;
}
