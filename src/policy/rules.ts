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

/** The git hooks that have a shell shim deciding in sh (src/hooks/shims.ts). */
export const SHIM_HOOKS = [
  'pre-commit',
  'reference-transaction',
  'pre-push',
  'post-checkout',
] as const;
export type ShimHook = (typeof SHIM_HOOKS)[number];

/**
 * How the reference-transaction shim's first lines tell refs apart: `case` patterns tried in this
 * order (HEAD before the pseudo-refs' `[!r]*`); `other` is every ref none of the others names
 * (`refs/notes/x`, `refs/x`: a name that may shadow a governed branch).
 */
export const REF_CLASSES = {
  head: 'HEAD',
  branch: 'refs/heads/*',
  tag: 'refs/tags/*',
  store: 'refs/lanes/*',
  'remote-tracking': 'refs/remotes/*',
  'store-sync': 'refs/lanes-sync/*',
  pseudo: '[!r]*',
  other: '*',
} as const;
export type RefClass = keyof typeof REF_CLASSES;

/**
 * What a rule must see of a hook that exits early on what no rule needs (the shims' first lines,
 * generated from these by src/hooks/shims.ts): anything no declaration names is skipped in sh.
 */
export interface EarlyDeclaration {
  /** In the `prepared` state (the only one that can refuse; hooks/reference-transaction.ts). */
  'reference-transaction'?: {
    /** Classes of refs whose moves (old ≠ new, not a delete) the rule judges. */
    moves: readonly RefClass[];
    /** Classes of refs whose deletes the rule judges. */
    deletes: readonly RefClass[];
    /** Whether it judges a HEAD-only move while a rebase, am or bisect runs (they detach HEAD on their own). */
    transientHead: boolean;
  };
  'post-checkout'?: {
    /** Whether it acts after a file checkout (flag 0), not only a branch checkout (flag 1). */
    fileCheckouts: boolean;
    /** Whether it acts in a new worktree (previous HEAD all zeros). */
    newWorktrees: boolean;
    /** Whether it acts when the checkout leaves HEAD on a branch. */
    attachedHead: boolean;
  };
}

export interface RuleDeclaration {
  /** What each layer refuses (or does) under this rule; a layer not named does not enforce it. */
  layers: Partial<Record<Layer, string>>;
  /** The lane kinds whose brief (src/hooks/brief.ts) lists the rule among what is refused. */
  brief: readonly ('delivery' | 'review')[];
  /**
   * The git hooks whose shim (src/hooks/shims.ts, with the compiled policy of src/hooks/compile.ts)
   * may ALLOW this rule's common case in sh; every refusal, and anything else, starts Node.
   */
  shell: readonly ShimHook[];
  /**
   * For each shim hook that enforces the rule (`layers`) but does not decide it in sh (`shell`):
   * an sh test, true whenever the rule may apply, that makes the shim's fast path hand the call to
   * Node. It runs inside the fast path with its variables: pre-commit `$branch` (empty: detached),
   * pre-push one pushed line `$lref $lsha $rref $rsha`; the compiled policy's `$lanes_*` in both.
   */
  handOff?: Partial<Record<ShimHook, string>>;
  /** What the shims' first lines must not skip for this rule (EarlyDeclaration). */
  early?: EarlyDeclaration;
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
    early: {
      'reference-transaction': { moves: ['branch'], deletes: ['branch'], transientHead: false },
    },
  },
  'review-detached-head': {
    layers: {
      'pre-commit': 'a commit on a detached HEAD',
      'reference-transaction': 'a detached commit',
      'post-checkout': 'undoes the detach',
    },
    brief: ['review'],
    shell: ['reference-transaction', 'post-checkout'],
    handOff: { 'pre-commit': '[ -z "$branch" ]' },
    early: {
      'reference-transaction': { moves: ['head'], deletes: [], transientHead: false },
      'post-checkout': { fileCheckouts: false, newWorktrees: false, attachedHead: false },
    },
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
    early: {
      'reference-transaction': { moves: ['branch'], deletes: ['branch'], transientHead: false },
    },
  },
  'path-scope': {
    layers: {
      'agent-hook':
        "a write out of scope or in another lane's worktree, EnterWorktree, WorktreeCreate; after a shell tool, changes out of scope (reported)",
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
    handOff: { 'pre-push': '[ "$rref" = "$lanes_integration" ]' },
    early: {
      'reference-transaction': { moves: ['branch'], deletes: ['branch'], transientHead: false },
    },
  },
  'release-exact-sha': {
    layers: {
      'reference-transaction': 'a ref that shadows a governed branch',
      'pre-push': 'a SHA off integration',
      'guard pre-receive': 'a SHA off integration; no promotion entry; a non-coordinator',
    },
    brief: [],
    shell: ['reference-transaction'],
    handOff: { 'pre-push': '[ "$rref" = "$lanes_release" ]' },
    early: {
      'reference-transaction': {
        moves: ['branch', 'tag', 'store', 'other'],
        deletes: [],
        transientHead: false,
      },
    },
  },
  'lane-unassigned': {
    layers: { 'agent-hook': 'any write', 'pre-commit': 'any commit', 'pre-push': 'any push' },
    brief: [],
    shell: [],
    handOff: {
      'pre-commit': '[ "$lanes_kind" = unassigned ]',
      'pre-push': '[ "$lanes_kind" = unassigned ]',
    },
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
      'reference-transaction': 'a lane rewriting or deleting `refs/lanes/*`',
      'guard pre-receive': 'rewrites, deletes and ill-formed operations of `refs/lanes/*`',
    },
    brief: [],
    shell: ['reference-transaction'],
    early: {
      'reference-transaction': { moves: ['store'], deletes: ['store'], transientHead: false },
    },
  },
  'hub-namespace': {
    layers: {
      'guard pre-receive':
        '`refs/replace/*`; tags and notes from a non-coordinator; a namespace the config does not name; more refs than `server.maxRefs`',
    },
    brief: [],
    shell: [],
  },
  'merge-requirements': {
    layers: {
      'guard pre-receive':
        "integration gaining a lane commit the hub's own queue and reviews do not back; a policy change without the policy reviewers' sign-off",
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
    handOff: { 'pre-push': '[ "$lanes_trailers" = 1 ]' },
  },
  'config-invalid': {
    layers: {
      'pre-commit': 'a staged policy file that does not load (parse or schema), or its removal',
      'pre-push': 'an integration tip whose policy does not load',
      'guard pre-receive': 'the same; a repair of a broken policy is judged by its own new file',
    },
    brief: [],
    // The pre-commit shim allows in sh only a commit that stages no config place (shims.ts).
    shell: ['pre-commit'],
    handOff: { 'pre-push': '[ "$rref" = "$lanes_integration" ]' },
  },
  'hook-integrity': {
    layers: {
      'agent-hook':
        "a write to an agent's hook settings or into the git directory; after a shell tool, lanes-hooks' entry in an agent's settings restored (reported)",
    },
    brief: ['delivery', 'review'],
    shell: [],
  },
};
