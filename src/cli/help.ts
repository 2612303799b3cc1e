// `lanes-hooks --help` and `lanes-hooks <command> --help`.
export const HELP: Record<string, string> = {
  init: `lanes-hooks init [--scaffold]
  Write the reference .lanesrc.json in this worktree's top level (refuses to overwrite one).
  --scaffold   keep an existing .lanesrc.json, and also write the lane model's entry points as thin
               wrappers: scripts/ops/setup_agent_lanes.sh, scripts/ops/launch_agent_lanes.sh,
               scripts/ci/platform_control_promote_release_branch.sh <ref>,
               scripts/ci/platform_control_release_branch_guard.sh, and lanes.mk (orchestrator-tick,
               queue-claim ROLE= OWNER= BRANCH= [TASK=], queue-done, queue-release, lanes-setup,
               lanes-launch, review-refresh ROLE=, promote [SHA=], release-guard), included from the
               Makefile. Never overwrites a file that differs (exit 3, nothing written).`,
  install: `lanes-hooks install [--role <role>] [--agent claude|codex|all]
  Make git run the lanes hooks (pre-commit, pre-push, post-checkout, reference-transaction) in
  every worktree of this repository, keeping the hooks that ran before (husky, .git/hooks) running.
  --role <role>   record this worktree's lane role (bound to this worktree only); "coordinator" too.
  --agent <a>     also make the coding agent's own hooks call agent-hook in this worktree
                  (.claude/settings.local.json, .codex/hooks.json; merged, untracked)
  Idempotent: run it again after an upgrade or when doctor says so.`,
  'agent-hook': `lanes-hooks agent-hook claude|codex
  Called by a coding agent's hook system, its JSON payload on stdin. Before a file-writing tool
  (Claude Code: Write, Edit, MultiEdit, NotebookEdit; Codex: apply_patch) it exits 2 with the
  reason on stderr when the lane's rules forbid the write; at session start it prints the brief.`,
  brief: `lanes-hooks brief [--json]
  This lane's rules in plain words: role and kind, branch, paths, what is refused and why, the
  current claim and task, and the commands of its flow.`,
  uninstall: `lanes-hooks uninstall
  Undo install exactly: give back the previous core.hooksPath, remove the hooks and recorded roles.`,
  doctor: `lanes-hooks doctor [--all] [--json] [--repair]
  Check the config, this worktree's lane, the hooks (present, current, active), Node.js and the
  store under refs/lanes/.
  --repair put a damaged store ref back on its last readable state (from its reflog or history)
  --all    every worktree of the repository
  --json   machine-readable report
  Exits 1 when something needs fixing, and says what.`,
  audit: `lanes-hooks audit [--json]
  Print the audit log: every override (and promotion), who, when, lane, rule, object and reason.`,
  demo: `lanes-hooks demo [<dir>]
  Build a sandbox (bare remote, coordinator, one worktree per lane) and walk through allowed and
  refused operations. Exits 0 only if every step behaved as the policy says.`,
  queue: `lanes-hooks queue <add|claim|release|done|list>
  add <title> [--role <role>]                 add a task; prints its id alone on stdout
  claim --role <r> --owner <o> --branch <b> [--task <id>]
                                              claim work; exit 3 if the task or branch is held by someone else
  release (--task <id> | --branch <b>)        end a claim, the task goes back to open
  done (--task <id> | --branch <b>)           end a claim, the task is done
  list [--json]                               tasks and claims
  The queue lives in git at refs/lanes/queue: every worktree sees it; every change is a commit.`,
  sync: `lanes-hooks sync
  Exchange the queue and the audit log (refs/lanes/*) with the configured remote, with
  compare-and-swap on both sides. Where both sides changed, the local changes are replayed onto
  the remote's; a change that no longer applies (a claim the remote gave to someone else) is
  reported as lost and sync exits 3.`,
  setup: `lanes-hooks setup [--dry-run] [--agent claude|codex|all]
  From the coordinator: for every role of the config, create agent/<role> from integration if
  missing, add its worktree at the configured path if missing (or repair one whose directory was
  deleted), and record its role there. A second run changes nothing and says so; a path occupied
  by something else is an error and is never touched. --dry-run prints the plan only.
  --agent <a>   also install the coding agent's hooks in every lane (see install --agent).`,
  launch: `lanes-hooks launch [--multiplexer zellij|tmux] [--print]
  The control room: a coordinator pane plus one pane per lane, each in its worktree and titled by
  its role. zellij by default (a KDL layout), tmux as the alternative (a session of panes).
  --print   print the zellij layout or the tmux commands instead of starting it`,
  status: `lanes-hooks status [--json] [--watch] [--interval <seconds>]   (alias: tick)
  One row per lane: role, kind, path, branch, HEAD, dirty files, commits ahead/behind
  <remote>/<integration>, active claim, review sign-offs of its HEAD, refusals of the last hour,
  hook health; then the next actions for the coordinator (a lane refused again and again is flagged).
  --watch   refresh every --interval seconds (default 2): in place on a terminal, one after the
            other otherwise; Ctrl-C stops it.`,
  review: `lanes-hooks review <refresh|finding|signoff|export>   (in a review lane)
  refresh <delivery-role>        fetch; rebase this lane's branch onto <remote>/<integration>;
                                 point review/<role> at <remote>/agent/<role> and switch to it
  finding <delivery-role> <text> [--severity info|minor|major|blocker]
                                 record a finding against the reviewed SHA (refs/lanes/reviews)
  signoff <delivery-role>        sign off the reviewed SHA
  export                         write the findings and sign-offs as Markdown under reviews.dir`,
  merge: `lanes-hooks merge <role> [--no-push]   (coordinator only)
  Fast-forward integration to <remote>/agent/<role>: the coordinator must be clean and on
  integration; integration is first pulled fast-forward only; the branch needs an active claim and
  a sign-off from every role in reviews.required for that exact SHA. Then push and mark the claim
  done. Not a fast-forward: exit 3, nothing moved.`,
  promote: `lanes-hooks promote [<sha>]   (coordinator only)
  Point the release branch at <sha> (default: <remote>/<integration>), which must be reachable
  from <remote>/<integration>; push it; record the promotion in the audit log.`,
  guard: `lanes-hooks guard release [--branch <ref>] [--integration <ref>]
  For CI: exit 0 only if the release ref points at a commit reachable from integration (defaults:
  <remote>/<release> and <remote>/<integration>, fetched when missing or shallow), else 1 naming
  both SHAs. LANES_OVERRIDE="<reason>" with LANES_OVERRIDE_UNTIL=<YYYY-MM-DD> (not in the past)
  lets it pass with a loud warning.

lanes-hooks guard pre-receive [--config <file>]
  For a server's hooks/pre-receive (or CI): reads "<old> <new> <ref>" lines on stdin and applies
  path-scope (by the role owning each agent/<role> branch), integration-ff-only and
  release-exact-sha to each; rejects the whole push on any violation. The config is .lanesrc.json
  at the integration branch's tip in this repository, unless --config names a file.

  Overrides: LANES_OVERRIDE in the environment does not count here (over a local path it is the
  pusher's). The hub's admin sets them in the hub repository's own config file, the only one read:
    git config lanes.override "<reason>"          (mandatory reason)
    git config lanes.overrideUntil <YYYY-MM-DD>   (mandatory, not in the past)
    git config lanes.overrideRef <ref>            (optional: only a push of that ref alone)
  Each use is appended to <gitdir>/lanes-hooks/overrides.log (at, pusher, refs, rule, object,
  reason) and printed to the pusher. Unset them once fixed.

  Identities: LANES_PUSHER, GL_USERNAME, GITEA_PUSHER_NAME, GL_USER (first that names someone).
  Where the config names coordinators or owners, a push that carries none is refused every move
  that needs one; an audit entry's "who" must name the pusher (lanes.identity where you record).`,
  hook: `lanes-hooks hook <git-hook> [args...]
  Internal: run by the installed shell hooks.`,
};

export const MAIN_HELP = `lanes-hooks — git hooks that keep parallel agent lanes (worktrees) within their rules

Usage: lanes-hooks <command> [options]

Commands:
  init [--scaffold]       write the reference .lanesrc.json (and the lane model's entry points)
  install [--role <r>] [--agent claude|codex|all]
                          install the hooks for every worktree; record this worktree's role
  uninstall               undo install exactly
  brief [--json]          this lane's rules, for its agent or a person
  agent-hook <agent>      called by a coding agent's hooks (see: install --agent)
  doctor [--all] [--json] check config, lane, hooks and Node.js
  setup [--dry-run]       create the lane branches and worktrees, with roles (coordinator)
  launch [--multiplexer zellij|tmux] [--print]
                          the control room: one pane per lane
  status [--json] [--watch]
                          one row per lane, then the next actions (alias: tick)
  review <sub>            refresh, finding, signoff, export (in a review lane)
  queue <sub>             the work queue: add, claim, release, done, list
  sync                    exchange the queue and audit log with the remote
  merge <role>            fast-forward integration to a lane (coordinator)
  promote [<sha>]         point release at a SHA on integration (coordinator)
  guard release|pre-receive   the same policy in CI and on a git server
  audit [--json]          the override and promotion log
  demo [<dir>]            a sandbox tour of allowed and refused operations

Exit codes: 0 ok, 1 refused by policy, 2 usage or config error, 3 conflict.
Override a refusal once: LANES_OVERRIDE="<reason>" git …   (recorded in the audit log)
Run "lanes-hooks <command> --help" for a command's options.`;
