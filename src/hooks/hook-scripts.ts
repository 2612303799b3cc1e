// git's hooks as install wrote them, checked after every agent shell command (rule
// hook-integrity): a shell command can rewrite a shim under `<common-git-dir>/lanes-hooks/hooks/`
// to `exit 0`, delete it, or point this worktree's core.hooksPath elsewhere
// (`git config --worktree core.hooksPath /dev/null`: config.worktree is read after .git/config and
// its include), and every later commit then runs unchecked. What each file must hold is computed
// again from the code and the recorded install (install.ts hookFiles), never read from a copy a
// shell could have changed too; a file that differs is written back on the spot.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gitMaybe } from '../git/exec.js';
import type { Worktree } from '../git/repo.js';
import { writeFileAtomic } from '../util/fs.js';
import type { HookScriptRepair } from '../policy/hook-integrity.js';
import { hookFiles, hooksBase, installStateOf, readInstallState, stateFile } from './install.js';
import { realPath as real } from '../util/real-path.js';

const read = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};
const executable = (file: string) => {
  try {
    return (statSync(file).mode & 0o111) !== 0;
  } catch {
    return false;
  }
};

/**
 * The files whose change the light entry must not pass over: every hook file, and the two config
 * files that can name another core.hooksPath (this worktree's config.worktree, .git/config).
 */
export function hookScriptFiles(wt: Worktree): string[] {
  const state = readInstallState(wt);
  if (!state) return [stateFile(wt)];
  return [
    ...hookFiles(wt, state).map((f) => f.file),
    // What those files must hold is computed from it (repairInstallNode).
    stateFile(wt),
    path.join(wt.gitDir, 'config.worktree'),
    path.join(wt.commonDir, 'config'),
  ];
}

/**
 * The install record's Node written back as `node` where it names another. Every shim and every
 * agent hook command runs the Node the record names, and the repairs (repairHookScripts here,
 * agents/guard.ts settingsDrift) compute what those files must hold from it: a record that a shell
 * command in a lane can write (the common git dir). Forged to name a stand-in that exits 0, the
 * repairs would themselves install it everywhere, and every decision left to Node would pass.
 * install records the Node that ran it (process.execPath) and writes the agents' commands with it,
 * so agent-hook's after-shell check runs under that same Node: `node` is this process's, and the
 * record is put back before anything is computed from it (test/deep/attacks/install-state.test.ts).
 */
export function repairInstallNode(wt: Worktree, node = process.execPath): HookScriptRepair[] {
  const file = stateFile(wt);
  const text = read(file);
  // Without a record (deleted, or not the shape install writes) nothing can be computed, so no
  // repair would run from here on: named, for a person to install again. (None is there before
  // install, nor after uninstall, which also takes git's hooks away.)
  if (text === null)
    return existsSync(path.join(hooksBase(wt), 'hooks'))
      ? [{ file, state: 'missing', restored: false }]
      : [];
  const state = installStateOf(text);
  if (!state) return [{ file, state: 'changed', restored: false }];
  if (state.node === node || real(state.node) === real(node)) return [];
  let restored = true;
  try {
    writeFileAtomic(file, JSON.stringify({ ...state, node }, null, 2) + '\n');
  } catch {
    restored = false;
  }
  return [{ file, state: 'changed', restored }];
}

/** Every hook file (and core.hooksPath) that is not as install left it, put back (`repair`). */
export function repairHookScripts(wt: Worktree, repair = true): HookScriptRepair[] {
  const state = readInstallState(wt);
  if (!state) return [];
  const out: HookScriptRepair[] = [];
  for (const f of hookFiles(wt, state)) {
    const text = read(f.file);
    const how =
      text === null
        ? 'missing'
        : text !== f.data
          ? 'changed'
          : f.mode !== undefined && !executable(f.file)
            ? 'mode'
            : null;
    if (!how) continue;
    let restored = repair;
    try {
      if (repair) writeFileAtomic(f.file, f.data, f.mode);
    } catch {
      restored = false;
    }
    out.push({ file: f.file, state: how, restored });
  }
  // git reads config.worktree after .git/config (and the include that names our hooks there):
  // a core.hooksPath in this worktree's own config wins. Nothing of ours is ever written there.
  const cwd = wt.top ?? wt.gitDir;
  const hooksDir = path.join(hooksBase(wt), 'hooks');
  const active = gitMaybe(['config', '--get', 'core.hooksPath'], { cwd });
  if (active !== null && path.resolve(cwd, active) !== hooksDir) {
    const inWorktree = gitMaybe(['config', '--worktree', '--get-all', 'core.hooksPath'], { cwd });
    if (inWorktree !== null) {
      if (repair) gitMaybe(['config', '--worktree', '--unset-all', 'core.hooksPath'], { cwd });
      const now = gitMaybe(['config', '--get', 'core.hooksPath'], { cwd });
      out.push({
        file: `core.hooksPath (${JSON.stringify(inWorktree.split('\n')[0])} in this worktree's config.worktree)`,
        state: 'hooks-path',
        restored: now !== null && path.resolve(cwd, now) === hooksDir,
      });
    }
  }
  return out;
}
