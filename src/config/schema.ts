// The .lanesrc schema (docs/reference.md, "Configuration"). Strict everywhere: an unknown key is an
// error, because a typo must never silently weaken a policy.
import * as z from 'zod';
import { branchNameProblem } from './git-names.js';
import { globLimitProblem } from './glob-limits.js';

/** Role names become branch and directory names: keep them to what git and shells take plainly. */
export const ROLE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Paths are relative to the repository: a glob that escapes it could never match a git path. */
const glob = z
  .string()
  .min(1, 'expected a non-empty glob')
  .refine((g) => !g.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(g), {
    message: 'expected a path relative to the repository, got an absolute path',
  })
  .refine((g) => !g.split('/').includes('..'), {
    message: 'expected a path inside the repository, got one with ".."',
  })
  .superRefine((g, ctx) => {
    const problem = globLimitProblem(g);
    if (problem)
      ctx.addIssue({ code: 'custom', message: `expected a bounded glob, got one ${problem}` });
  });
/** A branch (or remote) name git itself would accept. */
const branchName = z.string().superRefine((name, ctx) => {
  const problem = branchNameProblem(name);
  if (problem)
    ctx.addIssue({
      code: 'custom',
      message: `git refuses ${JSON.stringify(name)} as a name: it ${problem}`,
    });
});
const template = z
  .string()
  .refine((s) => s.includes('{role}'), { message: 'expected a template containing {role}' });

/** Identities the hosting layer names (see guard/identity.ts) that may push a lane's branch. */
const owners = z.array(z.string().min(1)).optional();
/** A delivery role without paths could commit nothing but `shared`: a forgotten key, not a role. */
const NEEDS_PATHS = 'a delivery role needs paths (the globs its lane may change)';
const deliveryRole = z.strictObject({
  kind: z.literal('delivery'),
  paths: z
    .array(glob, { error: (i) => (i.input === undefined ? NEEDS_PATHS : undefined) })
    .min(1, NEEDS_PATHS),
  owner: z.string().min(1).optional(),
  owners,
});
const reviewRole = z.strictObject({
  kind: z.literal('review'),
  owner: z.string().min(1).optional(),
  owners,
});
const role = z.discriminatedUnion('kind', [deliveryRole, reviewRole]);

const defaultRoles = (): Record<string, z.input<typeof role>> => ({
  'A-backend': {
    kind: 'delivery',
    paths: ['backend/**', 'services/**', 'contracts/**', 'workers/**'],
  },
  'B-ui': { kind: 'delivery', paths: ['web/**', 'e2e/**'] },
  'C-ops': {
    kind: 'delivery',
    paths: ['ops/**', 'runbooks/**', 'scripts/ops/**', 'scripts/ci/**'],
  },
  'D-arch': { kind: 'review' },
  'E-governance': { kind: 'review' },
});

export const configSchema = z
  .strictObject({
    $schema: z.string().optional(),
    integration: branchName.default('master'),
    release: branchName.default('release/platform-control'),
    remote: branchName.default('origin'),
    worktrees: template.default('../gpuas-{role}'),
    branches: z
      .strictObject({
        role: template.default('agent/{role}'),
        review: template.default('review/{role}'),
      })
      .prefault({}),
    roles: z
      .record(
        z.string().regex(ROLE_NAME, 'expected a role name of letters, digits, ".", "_" or "-"'),
        role,
      )
      .prefault(defaultRoles),
    shared: z.array(glob).default([]),
    reviews: z
      .strictObject({
        dir: z.string().min(1).default('doc/governance/reviews'),
        required: z.array(z.string()).default([]),
        /**
         * A sign-off of one SHA also counts for a rebase of it whose own commits are unchanged
         * (same patch ids, paths and order), recorded as a carry-over naming both SHAs.
         */
        carryOver: z.boolean().default(false),
        /**
         * The review roles whose sign-off a change of the committed policy file needs on the hub
         * (rule merge-requirements). Unset: every review role whose name contains "governance";
         * `[]`: the coordinators alone change the policy.
         */
        policy: z.array(z.string()).optional(),
      })
      .prefault({}),
    queue: z.strictObject({ requireClaim: z.boolean().default(true) }).prefault({}),
    /** Provenance: every commit a lane branch gains carries Lane: (and Task:) trailers. */
    trailers: z.strictObject({ require: z.boolean().default(false) }).prefault({}),
    /**
     * land's checks, run on the exact SHA to land in a throwaway clone (coordinator/checks.ts):
     * one shell command, or `setup` (prepares the clone: installs dependencies) and `run`.
     */
    checks: z
      .union([
        z.string().trim().min(1, 'expected a shell command'),
        z.strictObject({
          setup: z.string().trim().min(1, 'expected a shell command').optional(),
          run: z.string().trim().min(1, 'expected a shell command'),
        }),
      ])
      .optional(),
    server: z
      .strictObject({
        /** Pusher identities that may move integration and release, end claims and promote. */
        coordinators: z.array(z.string().min(1)).default([]),
        /** A release move must come with its promotion entry in the hub's audit log. */
        requirePromotionAudit: z.boolean().default(false),
        /**
         * Ref patterns beyond the governed ones that the hub accepts from anyone (rule
         * hub-namespace): `refs/tags/*`, `refs/notes/*`, `refs/for/*`, … (`*` matches within one
         * path component, `**` across them). `refs/replace/*` is never accepted.
         */
        namespaces: z
          .array(
            z
              .string()
              .regex(/^refs\/[^\s]+$/, 'expected a ref pattern under refs/ (refs/tags/*)')
              .refine(
                (p) => !/^refs\/replace(\/|\*|$)/.test(p),
                'refs/replace/* is never accepted: a replace ref shows other content behind an unchanged SHA',
              ),
          )
          .default([]),
        /** At most this many refs in one push (rule hub-namespace): bounded work per push. */
        maxRefs: z.number().int().min(1).default(1000),
      })
      .prefault({}),
  })
  .superRefine((c, ctx) => {
    // Every lane and review branch the templates make must be a name git takes.
    for (const key of ['role', 'review'] as const) {
      for (const role of Object.keys(c.roles)) {
        const branch = c.branches[key].replaceAll('{role}', role);
        const problem = branchNameProblem(branch);
        if (problem) {
          ctx.addIssue({
            code: 'custom',
            path: ['branches', key],
            message: `makes ${JSON.stringify(branch)} for role ${JSON.stringify(role)}, and git refuses it: it ${problem}`,
          });
          break;
        }
      }
    }
    if (c.integration === c.release) {
      ctx.addIssue({
        code: 'custom',
        path: ['release'],
        message: `must differ from integration (${JSON.stringify(c.integration)})`,
      });
    }
    (c.reviews.policy ?? []).forEach((name, i) => {
      const r = c.roles[name];
      if (r?.kind !== 'review')
        ctx.addIssue({
          code: 'custom',
          path: ['reviews', 'policy', i],
          message: r
            ? `${JSON.stringify(name)} is a ${r.kind} role, expected a review role`
            : `no role named ${JSON.stringify(name)}`,
        });
    });
    c.reviews.required.forEach((name, i) => {
      const r = c.roles[name];
      if (!r)
        ctx.addIssue({
          code: 'custom',
          path: ['reviews', 'required', i],
          message: `no role named ${JSON.stringify(name)}`,
        });
      else if (r.kind !== 'review') {
        ctx.addIssue({
          code: 'custom',
          path: ['reviews', 'required', i],
          message: `${JSON.stringify(name)} is a ${r.kind} role, expected a review role`,
        });
      }
    });
  });

export type LanesConfig = z.output<typeof configSchema>;

/**
 * The review roles whose sign-off a policy change needs (`reviews.policy`; by default the
 * governance review roles: every review role whose name contains "governance").
 */
export const policyReviewers = (c: LanesConfig): string[] =>
  c.reviews.policy ??
  Object.keys(c.roles).filter((r) => c.roles[r]!.kind === 'review' && /governance/i.test(r));
export type RoleConfig = LanesConfig['roles'][string];

/** The reference configuration as `init` writes it (and as the repository ships it at its root). */
export const referenceConfigText = (
  over: { integration?: string; worktrees?: string; roles?: Record<string, unknown> } = {},
): string => JSON.stringify({ ...defaultConfigFile(), ...over }, null, 2) + '\n';

/** What `init` writes: the documented defaults, spelled out so users see what they can change. */
export function defaultConfigFile(): Record<string, unknown> {
  const { $schema: _omit, ...defaults } = configSchema.parse({});
  return {
    $schema: './node_modules/lanes-hooks/schema/lanesrc.schema.json',
    ...defaults,
    // The reference model audits every promotion, however it is pushed.
    server: { ...defaults.server, requirePromotionAudit: true },
  };
}
