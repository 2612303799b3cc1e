// doctor --repair: a store ref that no longer reads (pointing at a blob, a missing object, a commit
// with a wrong tree) goes back to the newest state that does — from its reflog, or from its own
// history — with a compare-and-swap, so nothing newer is overwritten.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../util/errors.js';
import { git, gitMaybe } from '../git/exec.js';
import { casRef, readStore, type StoreSpec } from './store.js';

export type StoreHealth =
  { ref: string; ok: true } | { ref: string; ok: false; problem: string; repairedTo?: string };

function readable<S, O>(spec: StoreSpec<S, O>, at: string, cwd?: string): boolean {
  try {
    readStore(spec, cwd, at);
    return true;
  } catch {
    return false;
  }
}

export function checkStore<S, O>(
  spec: StoreSpec<S, O>,
  repair: boolean,
  cwd?: string,
): StoreHealth {
  try {
    readStore(spec, cwd);
    return { ref: spec.ref, ok: true };
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    const problem = e.message.split('\n')[0]!;
    if (!repair) return { ref: spec.ref, ok: false, problem };
    const current = gitMaybe(['rev-parse', '-q', '--verify', spec.ref], { cwd });
    for (const candidate of candidates(spec.ref, current, cwd)) {
      if (
        candidate !== current &&
        readable(spec, candidate, cwd) &&
        casRef(spec.ref, candidate, current, cwd)
      ) {
        return { ref: spec.ref, ok: false, problem, repairedTo: candidate };
      }
    }
    return {
      ref: spec.ref,
      ok: false,
      problem: `${problem}; no earlier readable state was found (git reflog ${spec.ref})`,
    };
  }
}

/** Earlier values of the ref, newest first: its reflog, then the first-parent history of its tip. */
function candidates(ref: string, current: string | null, cwd?: string): string[] {
  // The reflog file itself: `git reflog` stops at an entry that is not a commit.
  const common = git(['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd });
  let fromReflog: string[] = [];
  try {
    fromReflog = readFileSync(path.join(common, 'logs', ref), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ')[1]!)
      .filter((s) => /^[0-9a-f]{40,64}$/.test(s))
      .reverse();
  } catch {
    /* no reflog */
  }
  const fromHistory =
    current && gitMaybe(['cat-file', '-t', current], { cwd }) === 'commit'
      ? git(['rev-list', '--first-parent', '-n', '200', current], { cwd })
          .split('\n')
          .filter(Boolean)
      : [];
  return [...new Set([...fromReflog, ...fromHistory])];
}
