// `lanes-hooks --help` and `lanes-hooks <command> --help`.
export const HELP: Record<string, string> = {
  init: `lanes-hooks init
  Write the default .lanesrc.json in this worktree's top level (refuses to overwrite one).`,
  install: `lanes-hooks install [--role <role>]
  Make git run the lanes hooks (pre-commit, pre-push, post-checkout, reference-transaction) in
  every worktree of this repository, keeping the hooks that ran before (husky, .git/hooks) running.
  --role <role>   record this worktree's lane role (bound to this worktree only); "coordinator" too.
  Idempotent: run it again after an upgrade or when doctor says so.`,
  uninstall: `lanes-hooks uninstall
  Undo install exactly: give back the previous core.hooksPath, remove the hooks and recorded roles.`,
  doctor: `lanes-hooks doctor [--all] [--json]
  Check the config, this worktree's lane, the hooks (present, current, active) and Node.js.
  --all    every worktree of the repository
  --json   machine-readable report
  Exits 1 when something needs fixing, and says what.`,
  audit: `lanes-hooks audit [--json]
  Print the audit log: every override (and promotion), who, when, lane, rule, object and reason.`,
  demo: `lanes-hooks demo [<dir>]
  Build a sandbox (bare remote, coordinator, one worktree per lane) and walk through allowed and
  refused operations. Exits 0 only if every step behaved as the policy says.`,
  hook: `lanes-hooks hook <git-hook> [args...]
  Internal: run by the installed shell hooks.`,
};

export const MAIN_HELP = `lanes-hooks — git hooks that keep parallel agent lanes (worktrees) within their rules

Usage: lanes-hooks <command> [options]

Commands:
  init                    write the default .lanesrc.json
  install [--role <r>]    install the hooks for every worktree; record this worktree's role
  uninstall               undo install exactly
  doctor [--all] [--json] check config, lane, hooks and Node.js
  audit [--json]          the override and promotion log
  demo [<dir>]            a sandbox tour of allowed and refused operations

Exit codes: 0 ok, 1 refused by policy, 2 usage or config error, 3 conflict.
Override a refusal once: LANES_OVERRIDE="<reason>" git …   (recorded in the audit log)
Run "lanes-hooks <command> --help" for a command's options.`;
