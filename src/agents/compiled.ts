// The compiled policy as agent-hook's light entry reads it (written by hooks/compile.ts).
import type { ScopeRegExp } from '../lanes/scope-regexp.js';

/** What agents/fast.ts may decide alone; like the sh policy it only ever allows. */
export interface CompiledFacts {
  version: string;
  top: string;
  kind: string;
  /** The lane's own branch (refs/heads/…), '' for the coordinator. */
  own: string;
  release: string;
  /** The scope's globs (picomatch, as policy/scope.ts reads them); null: unrestricted. */
  scope: string[] | null;
  /**
   * The same scope as regular expressions, one per glob (policy/scope.ts scopeRegExps): what the
   * light entry tests a path with. Absent (an older build, a glob picomatch cannot compile): the
   * light entry leaves the decision to the full CLI.
   */
  scopeRe?: ScopeRegExp[];
  /** The repository's common git dir, where the refs below are stored. */
  common: string;
  /**
   * The refs the committed policy was read from, with their values then (null: absent), and the
   * config places their tree held (git ls-tree): a ref that moved on with the same listing (the
   * coordinator merged, the config did not change) still holds the same policy.
   */
  refs: { ref: string; sha: string | null; listing: string | null }[];
  /**
   * Integration's local branch and remote-tracking copy (full ref names): the rebase notice at a
   * prompt (hooks/rebase-notice.ts) has nothing new to say while both still hold the commit the
   * agent was last told about. Absent in facts an older build wrote: the full CLI decides.
   */
  integration?: string[];
  /**
   * git's system config file (git/config-files.ts): the shims read it, with the user's and the
   * repository's, to tell whether sh may append the trailers itself (hooks/trailer-sh.ts).
   */
  sysconfig?: string | null;
  /** Every file the decision depends on, with its exact content (null: must not exist). */
  inputs: { file: string; content: string | null }[];
}
