// `install --agent codex --sandbox`: Codex's own sandbox for the lane, so that the OS refuses a
// shell command's writes outside it. Pure: a path in, the file's text out.
//
// Codex reads `sandbox_mode` and `[sandbox_workspace_write]` from a trusted project's
// `.codex/config.toml` layer (developers.openai.com/codex/config-reference; codex-rs
// config/src/loader/mod.rs, project layers), the lane's own for a linked worktree.
// `workspace-write` lets a command write the working directory, the `writable_roots`, /tmp and
// $TMPDIR; `.git` inside a writable root stays read-only. The lane's top is the writable root, so
// a session started in a subfolder may still write the whole lane and nothing beside it: not
// another lane's worktree, not the root checkout. On Linux Codex runs commands under bubblewrap
// through its own helper (codex-linux-sandbox, a symlink it makes under $CODEX_HOME/tmp/path2
// unless CODEX_HOME lies under the temp dir: codex-rs/arg0/src/lib.rs). The lane's git directory
// lives in the root checkout, so `git commit` run by the agent needs Codex's approval to run
// outside the sandbox.
//
// The file is lanes-hooks' own: install refuses a `.codex/config.toml` someone else wrote.
const MARK =
  '# Written by lanes-hooks (install --agent codex --sandbox): Codex sandbox for this lane.';

export const isOurCodexSandbox = (text: string) => text.startsWith(MARK);

/** The lane's `.codex/config.toml`: workspace-write with the lane as the writable root. */
export const codexSandboxToml = (laneTop: string) =>
  [
    MARK,
    '# Undo: lanes-hooks uninstall.',
    'sandbox_mode = "workspace-write"',
    '',
    '[sandbox_workspace_write]',
    `writable_roots = [${JSON.stringify(laneTop)}]`,
    '',
  ].join('\n');
