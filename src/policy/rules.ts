// One declaration per rule id: where each layer enforces it (docs/reference.md, "Rules, layer by
// layer", is checked against this table by test/rules.test.ts), which lane briefs list it, and
// which shims may allow its common case in sh without Node. `Record<RuleId, …>` makes a new rule
// id without a declaration a type error; the test also finds rule ids used in src/policy that are
// missing from RULE_IDS. docs/architecture.md, "Adding a rule", lists every place a rule touches.
import type { RuleId } from './types.js';

export const LAYERS = [
  'agent-hook',
  'pre-commit',
  'reference-transaction',
  'pre-push',
  'post-checkout',
  'guard pre-receive',
] as const;
export type Layer = (typeof LAYERS)[number];

export interface RuleDeclaration {
  /** What each layer refuses (or does) under this rule; a layer not named does not enforce it. */
  layers: Partial<Record<Layer, string>>;
  /** The lane kinds whose brief (src/hooks/brief.ts) lists the rule among what is refused. */
  brief: readonly ('delivery' | 'review')[];
  /**
   * The git hooks whose shim (src/hooks/shims.ts, with the compiled policy of src/hooks/compile.ts)
   * may ALLOW this rule's common case in sh; every refusal, and anything else, starts Node.
   */
  shell: readonly ('pre-commit' | 'reference-transaction' | 'pre-push' | 'post-checkout')[];
}

export const RULES: Record<RuleId, RuleDeclaration> = {
  'release-branch-commit': {
    layers: {
      'agent-hook': 'writes on release',
      'pre-commit': 'commits on release',
      'reference-transaction': "every move of release but `promote`'s",
    },
    brief: ['delivery', 'review'],
    shell: ['pre-commit', 'reference-transaction'],
  },
  'review-detached-head': {
    layers: {
      'pre-commit': 'a commit on a detached HEAD',
      'reference-transaction': 'a detached commit',
      'post-checkout': 'undoes the detach',
    },
    brief: ['review'],
    shell: ['reference-transaction', 'post-checkout'],
  },
  'lane-branch': {
    layers: {
      'agent-hook': 'writes on a review mirror',
      'pre-commit': "a commit off the lane's branch",
      'reference-transaction':
        'mirrors that do not follow `agent/<x>`; a lane moving another branch',
      'pre-push': "pushing another lane's branch",
      'guard pre-receive': 'a lane branch pushed by someone not in its `owners`',
    },
    brief: ['delivery', 'review'],
    shell: ['pre-commit', 'reference-transaction', 'pre-push'],
  },
  'path-scope': {
    layers: {
      'agent-hook':
        "a write outside the scope or into another lane's worktree, EnterWorktree; after a shell tool, changes outside the scope (reported)",
      'pre-commit': 'staged paths',
      'pre-push': 'every commit the push adds',
      'guard pre-receive': 'every commit the branch gains beyond integration',
    },
    brief: ['delivery', 'review'],
    shell: ['pre-commit', 'pre-push'],
  },
  'integration-ff-only': {
    layers: {
      'reference-transaction': 'a lane moving integration',
      'pre-push': 'non-fast-forward; a lane pushing it',
      'guard pre-receive': 'non-fast-forward, delete, a non-coordinator',
    },
    brief: ['delivery', 'review'],
    shell: ['reference-transaction'],
  },
  'release-exact-sha': {
    layers: {
      'pre-push': 'a SHA off integration',
      'guard pre-receive': 'a SHA off integration; no promotion entry; a non-coordinator',
    },
    brief: [],
    shell: [],
  },
  'lane-unassigned': {
    layers: { 'agent-hook': 'any write', 'pre-commit': 'any commit', 'pre-push': 'any push' },
    brief: [],
    shell: [],
  },
  'claim-required': {
    layers: {
      'pre-push': 'no active claim (local queue)',
      'guard pre-receive': "no active claim in the hub's queue",
    },
    brief: ['delivery', 'review'],
    shell: ['pre-push'],
  },
  'store-integrity': {
    layers: {
      'guard pre-receive': 'rewrites, deletes and ill-formed operations of `refs/lanes/*`',
    },
    brief: [],
    shell: [],
  },
  'commit-trailers': {
    layers: {
      'pre-push': "a lane's commit without `Lane:`/`Task:` (`trailers.require`)",
      'guard pre-receive': 'the same, on every commit a lane branch gains',
    },
    brief: ['delivery'],
    // With trailers.require on, the pre-push shim hands every lane push to Node.
    shell: [],
  },
  'hook-integrity': {
    layers: {
      'agent-hook':
        "a write to an agent's hook settings or into the git directory; after a shell tool, lanes-hooks' entry in an agent's settings restored (reported)",
    },
    brief: [],
    shell: [],
  },
};
