// The compiled policy as agent-hook's light entry reads it (written by hooks/compile.ts), and the
// test of whether the light entry may trust it. That test is shared with the full after-shell check
// (hooks/agent-hook.ts): a file the light entry would trust but that is not what compiling the
// policy gives now was written by something else (a shell command in the lane) and is put back.
// Only node:fs and node:path here: the light entry loads this module on every allowed write.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ScopeRegExp } from '../lanes/scope-regexp.js';
import { realPath as real } from '../util/real-path.js';

/** The compiled policy the git shims source, in each worktree's own git dir (hooks/compile.ts). */
export const COMPILED_FILE = 'lanes-hooks.compiled.sh';
/** Its JSON twin, which agent-hook's light entry (agents/fast.ts) decides from. */
export const COMPILED_JSON = 'lanes-hooks.compiled.json';

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

/**
 * Whether the light entry trusts `facts` for the worktree at `top`: this build's version, the same
 * worktree, every input file holding the content it was compiled from and every ref its value.
 * Nothing here tells facts compiled from these inputs from facts written to look so.
 */
export function factsTrusted(
  facts: CompiledFacts | null,
  top: string,
  version: string,
): facts is CompiledFacts {
  if (!facts || typeof facts !== 'object' || facts.version !== version) return false;
  if (typeof facts.top !== 'string' || real(facts.top) !== real(top)) return false;
  if (!Array.isArray(facts.inputs) || !Array.isArray(facts.refs)) return false;
  for (const i of facts.inputs) {
    if (i.content === null ? existsSync(i.file) : readText(i.file) !== i.content) return false;
  }
  return facts.refs.every((r) => refIs(facts.common, r.ref, r.sha));
}

/** The shims' lanes_ref: a loose ref file, else packed-refs; anything unclear reads as changed. */
export function refIs(common: string, ref: string, sha: string | null): boolean {
  const loose = readText(path.join(common, ref));
  if (loose !== null) return loose.split('\n')[0] === (sha ?? '');
  const packed = readText(path.join(common, 'packed-refs')) ?? '';
  return sha ? packed.split('\n').includes(`${sha} ${ref}`) : !packed.includes(` ${ref}`);
}

export function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
