// Claude Code's WorktreeCreate hook, the event that closes "a lane's session (or its sub-agent)
// gets a new worktree on a new branch, outside the lane's rules".
//
// The contract, as both binaries (2.1.197 and 2.1.328) state it in their hook table, and as
// code.claude.com/docs/en/hooks ("WorktreeCreate") documents it:
//   "Input to command is JSON with name (suggested worktree slug). Stdout should contain the
//    absolute path to the created worktree directory. Exit code 0 - worktree created
//    successfully. Other exit codes - worktree creation failed."
// It fires wherever Claude Code would make a worktree: `claude --worktree [name]`, a sub-agent with
// `isolation: "worktree"`, and EnterWorktree with a `name` (2.1.328's code: the three callers of
// the hook runner). A configured hook REPLACES Claude Code's own `git worktree add`: when every
// configured hook fails, creation fails ("WorktreeCreate hook failed: <command>: <stderr>", the
// error the Agent tool returns to the model, and `claude --worktree` prints), and when one
// succeeds without a path it fails too ("hook succeeded but returned no worktree path"). So the
// hook cannot pass a creation through to git: it either makes the worktree itself or refuses.
// lanes-hooks refuses (policy/agent-worktree.ts), exit 2 with the reason on stderr.
//
// Written ONLY into a worktree's own settings (the entry with `--lane`): never into the user-level
// hook (`--user`) nor the machine-wide managed entry (`--managed`), which run in every other
// repository and folder of the machine, where an entry that stays out of the way would still
// break every worktree Claude Code makes there (a hook that exits 0 with no path fails it).
// With 2.1.328 a lane's session also runs the main checkout's entries: both judge by the
// session's own lane (agents/session.ts); the main checkout's stays silent (exit 0, no path) where
// the lane's own entry refuses, so Claude Code reports one reason, and no entry prints a path.
import { groupedSettings, type JsonSettings } from './adapter.js';

/** Lifecycle events match no matcher (the hooks reference): one group, every occurrence. */
export const CLAUDE_WORKTREE_EVENTS: Record<string, string | undefined> = {
  WorktreeCreate: undefined,
};

/** A command install writes into one worktree's own settings (not `--user`, not `--managed`). */
const isWorktreeEntry = (command: string) => / claude --lane /.test(command);

/**
 * Claude Code's settings spec with WorktreeCreate added to the entries of a worktree's own file,
 * and kept out of (taken out of) the user's and the managed file.
 */
export function withWorktreeCreate(spec: JsonSettings): JsonSettings {
  const worktree = groupedSettings('claude', spec.file, CLAUDE_WORKTREE_EVENTS);
  return {
    ...spec,
    add(settings, command) {
      const out = spec.add(settings, command);
      return isWorktreeEntry(command) ? worktree.add(out, command) : worktree.remove(out);
    },
    remove(settings) {
      return worktree.remove(spec.remove(settings));
    },
  };
}
