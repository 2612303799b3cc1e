// The vocabulary every rule shares. Rules are pure: facts in, violations out, no I/O.
import type { LanesConfig } from '../config/schema.js';
import type { Lane } from '../lanes/resolve.js';

export const RULE_IDS = [
  'release-branch-commit',
  'review-detached-head',
  'lane-branch',
  'path-scope',
  'claim-required',
  'integration-ff-only',
  'release-exact-sha',
  'lane-unassigned',
  // The server's guard of the refs/lanes/ store: append-only, well-formed operations only.
  'store-integrity',
  // Provenance trailers (Lane:, Task:) on a lane's commits, where the config requires them.
  'commit-trailers',
  // An agent changing its own hook settings or git's hooks (agent-hook only).
  'hook-integrity',
  // The hub accepts only the ref namespaces the config names (guard pre-receive).
  'hub-namespace',
  // Integration moves only to lane tips the hub accepted and its own store signed off, or by a
  // coordinator's own commits; a policy change needs the policy reviewers' sign-off.
  'merge-requirements',
  // A policy file that does not load (parse or schema) never reaches integration.
  'config-invalid',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export interface Violation {
  rule: RuleId;
  /** What was refused: a ref, a SHA, "commit on <branch>". */
  object: string;
  why: string;
  /** Commands or steps that fix it, most likely first. */
  fix: string[];
  /** Offending paths, in full: the formatter lists at most 20. */
  paths?: string[];
}

export interface Context {
  config: LanesConfig;
  lane: Lane;
}

/** One line of reference-transaction input, `old` and `new` as git sent them. */
export interface RefUpdate {
  old: string;
  new: string;
  ref: string;
}

export const OVERRIDE_HINT =
  'LANES_OVERRIDE="<reason>" before the command lets this one operation through (recorded in the audit log)';
