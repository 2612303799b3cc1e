// The light entry's after-shell decision (fast.ts), in its own module so that an allowed file
// write never loads it: fast.ts imports it dynamically, and the CommonJS bundle initialises it
// (and what only it needs: git's child process, node:crypto, node:os) on the first call only.
// It allows when every agent's hook settings are as installed, HEAD is the commit the last full
// check saw, git's hooks are untouched, no switch turns an installed agent's hooks off, and
// nothing outside the scope is in the worktree (two git commands, no CLI).
import path from 'node:path';
import type { CompiledFacts } from './compiled.js';
import { worktreeChanges } from '../git/repo.js';
import { recordedSettings, settingsDrift } from './guard.js';
import { findSwitches, switchPlaces } from './off-switches.js';
import { stillAsChecked } from './shell-checked.js';
import { readFileSync } from 'node:fs';

export function shellAllows(
  wt: { top: string; gitDir: string; commonDir: string },
  facts: CompiledFacts,
  base: string,
  inScope: (rel: string) => boolean,
): boolean {
  const node = installedNode(wt.commonDir);
  if (node === null || settingsDrift(base, node).length) return false;
  // A commit since the last full check, or git's hooks touched: the full check judges them.
  if (!stillAsChecked(wt.gitDir, facts.common)) return false;
  // A switch that turns an installed agent's hooks off: the full check says so (and clears it).
  const agents = [...new Set(recordedSettings(base).map((r) => r.agent))];
  const root = path.basename(facts.common) === '.git' ? path.dirname(facts.common) : null;
  if (findSwitches(switchPlaces(agents, wt.top, root)).length) return false;
  if (facts.scope === null) return true;
  try {
    const { tracked, untracked } = worktreeChanges(wt.top);
    return [...tracked, ...untracked].every((p) => inScope(p));
  } catch {
    return false; // the full CLI says what went wrong
  }
}

/** The Node.js install recorded (the hook commands name it), or null. */
function installedNode(common: string): string | null {
  try {
    const node = JSON.parse(readFileSync(path.join(common, 'lanes-hooks', 'install.json'), 'utf8'))
      .node as unknown;
    return typeof node === 'string' ? node : null;
  } catch {
    return null;
  }
}
