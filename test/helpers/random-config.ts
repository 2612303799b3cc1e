// Random configs for the config tests: hostile values at every key of a valid config, and what
// every rule relies on in a config that loads. Shared by test/config-table.test.ts (thousands of
// configs in process, fast tier) and test/deep/chaos/config.test.ts (through the CLI, deep tier).
import { expect } from 'vitest';
import { branchNameProblem } from '../../src/config/git-names.js';
import type { LanesConfig } from '../../src/config/schema.js';

let seed = 2026;
export const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
export const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

export const HOSTILE = [
  '',
  ' ',
  '..',
  '../**',
  '/abs/**',
  'C:\\x',
  'a b',
  'a..b',
  'x.lock',
  '-x',
  'HEAD',
  '@',
  'a@{1}',
  '.hidden',
  'trailing/',
  'a//b',
  'ünï/**',
  'line\nbreak',
  'tab\there',
  '"quoted"',
  "it's",
  '*',
  '{role}',
  'x-{role}',
  '../lane-{role}',
  'agent/{role}',
  'review/{role}',
  'master',
  'release/platform-control',
  'A-backend',
  'D-arch',
  'nope',
  'x'.repeat(5000),
  '\u200b',
  '\u001b[31m',
] as const;
const VALUES: (() => unknown)[] = [
  () => pick(HOSTILE),
  () => 42,
  () => null,
  () => true,
  () => [pick(HOSTILE), pick(HOSTILE)],
  () => ({ [pick(HOSTILE)]: pick(HOSTILE) }),
  () => ({ kind: pick(['delivery', 'review', 'coordinator', 'DELIVERY']), paths: [pick(HOSTILE)] }),
];

/** Every place a value can sit in a config, and a few that do not exist. */
const KEYS = [
  ['integration'],
  ['release'],
  ['remote'],
  ['worktrees'],
  ['branches', 'role'],
  ['branches', 'review'],
  ['roles', 'A-backend', 'paths'],
  ['roles', 'A-backend', 'paths', 0],
  ['roles', 'A-backend', 'kind'],
  ['roles', 'A-backend', 'owner'],
  ['roles', 'D-arch', 'kind'],
  ['roles', 'HOSTILE'],
  ['shared'],
  ['shared', 0],
  ['reviews', 'dir'],
  ['reviews', 'required'],
  ['reviews', 'required', 0],
  ['queue', 'requireClaim'],
  ['unknownKey'],
  ['branches', 'extra'],
];

export function mutate(cfg: Record<string, unknown>): void {
  const key = [...pick(KEYS)].map((k) => (k === 'HOSTILE' ? pick(HOSTILE) : k));
  let at = cfg as Record<string | number, unknown>;
  for (const k of key.slice(0, -1)) {
    if (typeof at[k] !== 'object' || at[k] === null) at[k] = typeof k === 'number' ? [] : {};
    at = at[k] as Record<string | number, unknown>;
  }
  const last = key.at(-1)!;
  if (rand() < 0.1) delete at[last];
  else at[last] = pick(VALUES)();
}

/** What every rule relies on, checked on every config that loads. */
export function trustworthy(c: LanesConfig): void {
  for (const name of [c.integration, c.release, c.remote])
    expect(branchNameProblem(name)).toBeNull();
  expect(c.integration).not.toBe(c.release);
  for (const t of [c.worktrees, c.branches.role, c.branches.review]) expect(t).toContain('{role}');
  for (const [role, r] of Object.entries(c.roles)) {
    expect(role).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
    expect(['delivery', 'review']).toContain(r.kind);
    expect(branchNameProblem(c.branches.role.replaceAll('{role}', role))).toBeNull();
    expect(branchNameProblem(c.branches.review.replaceAll('{role}', role))).toBeNull();
    for (const g of r.kind === 'delivery' ? r.paths : []) {
      expect(g).not.toBe('');
      expect(g.startsWith('/')).toBe(false);
      expect(g.split('/')).not.toContain('..');
    }
  }
  for (const g of c.shared) expect(g.split('/')).not.toContain('..');
  for (const name of c.reviews.required) expect(c.roles[name]?.kind).toBe('review');
}
