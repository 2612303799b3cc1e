// Every command's options, in one table: parse() (args.ts) reads them from here and help.ts
// prints them from here, so an option cannot exist without its help line, nor help show one that
// does not exist. A new option is one entry in its command's `options`.

export interface OptionSpec {
  type: 'boolean' | 'string';
  short?: string;
  /** The value's placeholder in help, for a string option: `<role>`, `claude|codex|all`. */
  arg?: string;
  /** Shown without brackets in the synopsis: the command needs it. */
  required?: boolean;
  /** May be given more than once (a string option): the values in order. */
  multiple?: boolean;
  /** One or more lines. */
  help: string;
}

export interface CommandSpec {
  /** Positional arguments as the synopsis shows them; none accepted when absent. */
  args?: string;
  /** One line for the main help (top-level commands). */
  summary: string;
  /** What it does, in lines of at most 100 characters. */
  about: string;
  options: Record<string, OptionSpec>;
  /** Printed after the options. */
  note?: string;
  /** Shown after the synopsis: "(coordinator only)", "(alias: tick)". */
  tag?: string;
}

const json = (what = 'machine-readable output') => ({ type: 'boolean', help: what }) as const;
const agent = {
  type: 'string',
  arg: '<agent>',
  help: "also make a coding agent's own hooks call agent-hook: claude, codex, gemini,\nqwen, opencode, copilot, cursor, or all (per-worktree settings, merged, untracked:\n.claude/settings.local.json, the root checkout's .codex/hooks.json, .gemini/settings.json,\n.qwen/settings.json, .opencode/plugins/lanes-hooks.js,\n.github/hooks/lanes-hooks.json, .cursor/hooks.json)",
} as const;

export const COMMAND_SPECS = {
  init: {
    summary: "write the reference .lanesrc.json (and the lane model's entry points)",
    about:
      "Write the reference .lanesrc.json in this worktree's top level (refuses to overwrite one).",
    options: {
      scaffold: {
        type: 'boolean',
        help: "keep an existing .lanesrc.json, and also write the lane model's entry points as thin\nwrappers: scripts/ops/setup_agent_lanes.sh, scripts/ops/launch_agent_lanes.sh,\nscripts/ci/platform_control_promote_release_branch.sh <ref>,\nscripts/ci/platform_control_release_branch_guard.sh, and lanes.mk (orchestrator-tick,\nqueue-claim ROLE= OWNER= BRANCH= [TASK=], queue-done, queue-release, lanes-setup,\nlanes-launch, review-refresh ROLE=, promote [SHA=], release-guard), included from the\nMakefile. Never overwrites a file that differs (exit 3, nothing written).",
      },
    },
  },
  install: {
    summary: "install the hooks for every worktree; record this worktree's role",
    about:
      'Make git run the lanes hooks (pre-commit, pre-push, post-checkout, reference-transaction, and\nprepare-commit-msg for the provenance trailers) in every worktree of this repository, keeping\nthe hooks that ran before (husky, .git/hooks) running.',
    options: {
      role: {
        type: 'string',
        arg: '<role>',
        help: 'record this worktree\'s lane role (bound to this worktree only);\n"coordinator" too',
      },
      agent,
      'user-hook': {
        type: 'boolean',
        help: "with --agent claude: also add the hook to Claude Code's user settings\n($CLAUDE_CONFIG_DIR/settings.json or ~/.claude/settings.json), which covers a session\nstarted in a subfolder of a lane; a no-op outside repositories with lanes-hooks",
      },
      managed: {
        type: 'boolean',
        help: "with --agent: also write the agents' administrator-level settings, which no project\nor user file can switch off: Claude Code's /etc/claude-code/managed-settings.json\n(allowManagedHooksOnly), Codex's /etc/codex/requirements.toml ([features] hooks = true,\nmanaged hooks), Gemini CLI's /etc/gemini-cli/settings.json (hooksConfig.enabled); needs\nroot (exit 2 otherwise) unless --managed-root; one repository per machine",
      },
      'managed-root': {
        type: 'string',
        arg: '<dir>',
        help: 'with --managed: write those files under <dir> instead of / (an image being built)',
      },
      sandbox: {
        type: 'boolean',
        help: "with --agent claude: also turn on Claude Code's own sandbox in the lane's\n.claude/settings.local.json (sandbox.enabled, sandbox.filesystem.denyWrite: the other\nworktrees and the lane's out-of-scope top-level folders), so the OS refuses a shell\ncommand's writes there; needs bubblewrap and socat on Linux (Seatbelt on macOS).\nWith --agent codex: Codex's workspace-write sandbox in the lane's .codex/config.toml,\nthe lane its writable root",
      },
    },
    note: 'Idempotent: run it again after an upgrade or when doctor says so.',
  },
  uninstall: {
    summary: 'undo install exactly',
    about:
      'Undo install exactly: give back the previous core.hooksPath, remove the hooks and recorded roles.',
    options: {},
  },
  brief: {
    summary: "this lane's rules, for its agent or a person",
    about:
      "This lane's rules in plain words: role and kind, branch, paths, what is refused and why, the\ncurrent claim and task, and the commands of its flow.",
    options: { json: json() },
  },
  'agent-hook': {
    args: '<agent>',
    summary: "called by a coding agent's hooks (see: install --agent)",
    about:
      "Called by a coding agent's hook system, its JSON payload on stdin. Before a file-writing tool\n(Claude Code: Write, Edit, MultiEdit, NotebookEdit, EnterWorktree; Codex: apply_patch;\nGemini CLI: write_file, replace; Qwen Code: write_file, edit; OpenCode: write, edit,\nmultiedit, apply_patch; Copilot CLI: create, edit; Cursor: Write, Delete) it refuses a write the lane's\nrules forbid, in that agent's own contract (exit 2 and the reason on stderr, or its JSON\ndecision on stdout); after a shell tool (Bash, exec_command) it reports out-of-scope changes the\nsame way; before Claude Code makes a worktree of its own (WorktreeCreate) it refuses, so none is\nmade; at session start it gives the brief as the agent's context. --lane <worktree>\n(written by install) fixes the session's lane.",
    options: {},
  },
  doctor: {
    summary: 'check config, lane, hooks, Node.js and the store',
    about:
      "Check the config, this worktree's lane, the hooks (present, current, active), Node.js and the\nstore under refs/lanes/.",
    options: {
      repair: {
        type: 'boolean',
        help: 'put a damaged store ref back on its last readable state (from its reflog or history)',
      },
      all: { type: 'boolean', help: 'every worktree of the repository' },
      json: json('machine-readable report'),
    },
    note: 'Exits 1 when something needs fixing, and says what.',
  },
  setup: {
    summary: 'create the lane branches and worktrees, with roles',
    tag: '(coordinator)',
    about:
      'From the coordinator: for every role of the config, create agent/<role> from integration if\nmissing, add its worktree at the configured path if missing (or repair one whose directory was\ndeleted), and record its role there. A second run changes nothing and says so; a path occupied\nby something else is an error and is never touched.',
    options: {
      'dry-run': { type: 'boolean', help: 'print the plan only' },
      agent: {
        ...agent,
        help: "also install the coding agent's hooks in every lane (see install --agent)",
      },
    },
  },
  launch: {
    summary: 'the control room: one pane per lane',
    about:
      'The control room: a coordinator pane plus one pane per lane, each in its worktree and titled by\nits role. zellij by default (a KDL layout), tmux as the alternative (a session of panes).',
    options: {
      multiplexer: {
        type: 'string',
        arg: 'zellij|tmux',
        help: 'which multiplexer (default zellij)',
      },
      print: {
        type: 'boolean',
        help: 'print the zellij layout or the tmux commands instead of starting it',
      },
      dashboard: {
        type: 'boolean',
        help: 'add a pane that serves the dashboard (dashboard --no-open; its URL is printed there)',
      },
    },
  },
  status: {
    summary: 'each lane and its conflicts, then the next actions',
    tag: '(alias: tick)',
    about:
      'Each lane: role, kind, path, branch, HEAD, dirty files, commits ahead/behind integration\n(<remote>/<integration>, or the local branch while the remote lags), active claim, review\nsign-offs of its HEAD, refusals of the last hour, hook health, whether it still merges cleanly\nand which other lanes it would conflict with, on which paths (git merge-tree, cached by commit\nids); then the next actions for the coordinator: lanes to rebase (with the files that will\nconflict), integration to push, a lane refused again and again. Fits 80 columns.',
    options: {
      json: json(),
      watch: {
        type: 'boolean',
        help: 'refresh every --interval seconds: in place on a terminal, one after the other\notherwise; Ctrl-C stops it',
      },
      interval: { type: 'string', arg: '<seconds>', help: 'seconds between refreshes (default 2)' },
    },
  },
  dashboard: {
    summary: 'a live page of every lane in the browser (127.0.0.1, read-only)',
    tag: '(coordinator)',
    about:
      "Serve a live dashboard on 127.0.0.1 and print its URL, which carries a random token for this\nrun (a request without it, or for another Host, gets 403). One page: a card per lane (role and\nkind, branch, HEAD, claim and task, ahead/behind, conflicts, sign-offs of its HEAD, refusals and\nthe stuck flag, git and agent hooks), the next actions, the queue, review findings, integration\nand release with its promotion, the audit log; Enter on a card shows its commits with their\ntrailers, its paths against its scope and its diff stat. Updated without reload when refs move\n(one for-each-ref per interval; status's model is recomputed only when something moved). The\nsame model as status --json. Read-only: nothing on the page changes a ref or runs a command.\nCtrl-C stops it.",
    options: {
      port: { type: 'string', arg: '<port>', help: 'listen on this port (default: a free one)' },
      'no-open': { type: 'boolean', help: 'print the URL only; do not open a browser' },
      interval: {
        type: 'string',
        arg: '<seconds>',
        help: 'how often to look for moved refs (default 1)',
      },
    },
  },
  'review refresh': {
    args: '<delivery-role>',
    summary: '',
    about:
      "fetch; rebase this lane's branch onto <remote>/<integration>; point review/<role> at\n<remote>/agent/<role> and switch to it",
    options: {},
  },
  'review finding': {
    args: '<delivery-role> <text>',
    summary: '',
    about: 'record a finding against the reviewed SHA (refs/lanes/reviews)',
    options: { severity: { type: 'string', arg: 'info|minor|major|blocker', help: 'how serious' } },
  },
  'review signoff': {
    args: '<delivery-role> | --policy [<rev>]',
    summary: '',
    about:
      'sign off the reviewed SHA; --policy: sign off the policy file committed at <rev> (default:\nintegration), which the hub requires of reviews.policy before the policy changes',
    options: {
      policy: { type: 'boolean', help: 'sign off the exact content of the committed policy file' },
    },
  },
  'review resolve': {
    args: '<delivery-role> <n>',
    summary: '',
    about:
      'resolve finding number <n> of that lane (the reviewer who wrote it only); a sign-off\nleaves findings open',
    options: {},
  },
  'review export': {
    summary: '',
    about: 'write the findings and sign-offs as Markdown under reviews.dir',
    options: {},
  },
  'queue add': {
    args: '<title>',
    summary: '',
    about: 'add a task; prints its id alone on stdout',
    options: {
      role: { type: 'string', arg: '<role>', help: 'the role the task is for' },
      paths: {
        type: 'string',
        arg: '<glob>',
        multiple: true,
        help: 'a path the task touches (repeatable): no two active claims of tasks\nwhose paths may overlap, whatever their branches',
      },
    },
  },
  'queue claim': {
    summary: '',
    about: 'claim work; exit 3 if the task or branch is held by someone else',
    options: {
      role: { type: 'string', arg: '<r>', required: true, help: 'the lane role' },
      owner: { type: 'string', arg: '<o>', required: true, help: 'who works on it' },
      branch: { type: 'string', arg: '<b>', required: true, help: 'the branch the work lands on' },
      task: { type: 'string', arg: '<id>', help: 'the task claimed (from queue add)' },
    },
  },
  'queue release': {
    summary: '',
    about: 'end a claim (by --task or --branch), the task goes back to open',
    options: {
      task: { type: 'string', arg: '<id>', help: 'the claimed task' },
      branch: { type: 'string', arg: '<b>', help: 'the claimed branch' },
    },
  },
  'queue done': {
    summary: '',
    about: 'end a claim (by --task or --branch), the task is done',
    options: {
      task: { type: 'string', arg: '<id>', help: 'the claimed task' },
      branch: { type: 'string', arg: '<b>', help: 'the claimed branch' },
    },
  },
  'store repair': {
    args: '<queue|reviews|audit>',
    summary: '',
    about:
      "Rebuild a store the hub holds from before its size limits (an oversized or padded entry, extra\nfiles: readers fail on it): replay its entries from the root, keep every one that is well-formed,\nwithin the caps and accepted by the store, drop and list the others, record the repair in the\naudit log (who, old tip, new tip, each dropped entry and why) and push both atomically with a\nlease on the hub's old tips. The hub takes this rewrite only from a coordinator identity with\nthat audit entry; other machines' sync adopts it because the hub's audit log records it.\nSee docs/server.md, \"Repairing a store\".",
    tag: '(coordinator only)',
    options: {
      'dry-run': {
        type: 'boolean',
        help: 'list what would be kept and dropped; write and push nothing',
      },
    },
  },
  'queue list': {
    summary: '',
    about: 'tasks and claims',
    options: { json: json() },
  },
  sync: {
    summary: 'exchange the refs/lanes/ store (queue, audit, reviews) with the remote',
    about:
      "Exchange the store under refs/lanes/ (the queue, the audit log, review findings and sign-offs)\nwith the configured remote, with compare-and-swap on both sides. Where both sides changed, the\nlocal changes are replayed onto the remote's; a change that no longer applies (a claim the remote\ngave to someone else) is reported as lost and sync exits 3. A remote silent for\nLANES_REMOTE_TIMEOUT seconds (default 60) is given up, exit 1.",
    options: {},
  },
  merge: {
    args: '<role>',
    summary: 'land one lane: the same checks and audit as land',
    tag: '(coordinator only)',
    about:
      "land's single-lane form: fast-forward integration to <remote>/agent/<role> if the hub holds an\nactive claim and a sign-off from every role in reviews.required for that exact SHA, and the\nconfig's checks pass on it (run in a sandboxed throwaway clone: they execute lane code). Then\npush that SHA with a lease, mark the claim done and record the landing. A refusal is an error\n(exit 1); not a fast-forward: exit 3, nothing moved.",
    options: {
      'no-push': { type: 'boolean', help: 'move integration locally only; push it yourself' },
    },
  },
  land: {
    summary: 'land every ready lane, in queue order (checks, fast-forward, push)',
    tag: '(coordinator only)',
    about:
      "The ready lanes, in the hub's queue order (oldest active claim first): pushed under an active claim, in\nscope, signed off at their exact HEAD by every role in reviews.required (a sign-off carried over\na clean rebase counts where reviews.carryOver allows it). Each that fast-forwards integration is\nchecked (the config's `checks`: lane code, run by sh in a throwaway clone of that exact SHA\nwith a scrubbed environment, under bubblewrap where it works; setup first if configured) and\nlanded: ff-only, integration verified unchanged after the checks, claim done, an audit entry; the\nothers wait, and one that no longer fast-forwards is asked to rebase (recorded; status and brief\nshow it). Claims and sign-offs are the hub's (fetched and replayed; the local store only said to\ndiffer). Then integration is pushed once, as the checked SHA with a lease on the hub's old value.\nA failing check lands nothing of that lane, names it and makes the exit 1; Ctrl-C cleans up and\nexits 130.",
    options: {
      'dry-run': {
        type: 'boolean',
        help: 'report what would land and what waits; move, check and record nothing',
      },
      'no-push': { type: 'boolean', help: 'move integration locally only; push it yourself' },
      json: json('{ "landed": [ { "role", "sha" } ], "waiting": [ { "role", "reason" } ] }'),
    },
  },
  promote: {
    args: '[<sha>]',
    summary: 'point release at a SHA on integration',
    tag: '(coordinator only)',
    about:
      'Point the release branch at <sha> (default: <remote>/<integration>), which must be reachable\nfrom <remote>/<integration>; push it; record the promotion in the audit log.',
    options: {},
  },
  'guard release': {
    summary: '',
    about:
      'For CI: exit 0 only if the release ref points at a commit reachable from integration, else 1\nnaming both SHAs. LANES_OVERRIDE="<reason>" with LANES_OVERRIDE_UNTIL=<YYYY-MM-DD> (not in the\npast) lets it pass with a loud warning.',
    options: {
      branch: {
        type: 'string',
        arg: '<ref>',
        help: 'the release ref (default <remote>/<release>, fetched when missing or shallow)',
      },
      integration: {
        type: 'string',
        arg: '<ref>',
        help: 'the integration ref (default <remote>/<integration>, fetched likewise)',
      },
    },
  },
  'guard pre-receive': {
    summary: '',
    about:
      "For a server's hooks/pre-receive (or CI): reads \"<old> <new> <ref>\" lines on stdin and rejects\nthe whole push on any violation of: the refs/lanes/ store's integrity, path-scope and\nclaim-required on each agent/<role> branch (by the role owning it), integration-ff-only,\nrelease-exact-sha (with the promotion audit when server.requirePromotionAudit), and who may push\nwhat where the hosting layer names the pusher (LANES_PUSHER, GL_USERNAME, GITEA_PUSHER_NAME,\nGL_USER: roles.<r>.owners, server.coordinators); where the config names any, a push that carries\nnone is refused every move that needs one, and an audit entry's \"who\" must name the pusher.\n\nThe policy: --config <file>, or the hub's own `git config lanes.config <file>`, else the config\ncommitted on the integration branch (the hub's `lanes.integration`, else the branch HEAD names);\nnone readable refuses every push; a broken one admits only the coordinators' repair push.\n\nOverrides: LANES_OVERRIDE in the environment does not count here (over a local path it is the\npusher's). The hub's admin sets them in the hub repository's own config file, the only one read:\n  git config lanes.override \"<reason>\"          (mandatory reason)\n  git config lanes.overrideUntil <YYYY-MM-DD>   (mandatory, not in the past)\n  git config lanes.overrideRef <ref>            (optional: only a push of that ref alone)\nEach use is appended to <gitdir>/lanes-hooks/overrides.log and printed to the pusher.\nSee docs/server.md.",
    options: {
      config: {
        type: 'string',
        arg: '<file>',
        help: 'a pinned policy file, any config format (default: the config committed on integration)',
      },
    },
  },
  verify: {
    summary: "the hub's decision as a CI step (GitHub, GitLab, Forgejo)",
    about:
      "For a forge's CI, where no pre-receive hook can run: judge a push, a pull request or a\nmerge-queue group exactly as guard pre-receive judges it on a hub. The event comes from the\nforge's own variables (GitHub and Forgejo Actions: GITHUB_EVENT_NAME and GITHUB_EVENT_PATH, the\nactor in GITHUB_ACTOR; GitLab CI: CI_PIPELINE_SOURCE and the CI_COMMIT_* and\nCI_MERGE_REQUEST_* variables, the user in GITLAB_USER_LOGIN), or \"<old> <new> <ref>\" lines on\nstdin with --stdin. A pull request or group is judged as the integration move its merge makes.\n\nThe hub's refs are fetched from --remote into a scratch copy, each judged ref put back at its\nold value, and the policy read from integration there: never from the pushed tree. Every store\nunder refs/lanes/ is replayed from its root (a forge protects none of them), and one rewritten\nsince the last verified tip (the tag lanes-verified/<store>) is refused.\nExit 0 when allowed, 1 when refused; a summary goes to GITHUB_STEP_SUMMARY and each refusal\nbecomes an error annotation where the forge reads them. See docs/hosting.md.",
    options: {
      json: json('the verdict as JSON on stdout: event, updates, policy, violations, stores'),
      stdin: {
        type: 'boolean',
        help: 'read "<old> <new> <ref>" lines on stdin instead of the forge\'s event',
      },
      pusher: {
        type: 'string',
        arg: '<name>',
        help: "who pushed, with --stdin (the forge's actor otherwise)",
      },
      remote: {
        type: 'string',
        arg: '<name>',
        help: 'the hub to fetch from (default origin)',
      },
      integration: {
        type: 'string',
        arg: '<branch>',
        help: "the integration branch (default: the clone's lanes.integration, else the remote's HEAD)",
      },
      config: {
        type: 'string',
        arg: '<file>',
        help: 'a pinned policy file, as guard pre-receive --config',
      },
      record: {
        type: 'boolean',
        help: 'when allowed, move the tags lanes-verified/<store> on the remote to the verified\nstore tips (the job needs push rights to those tags)',
      },
      'no-fetch': {
        type: 'boolean',
        help: 'use the refs a previous verify fetched (refs/lanes-sync/verify/)',
      },
    },
  },
  'hub github': {
    summary: '',
    about:
      "Print (or --write) what a GitHub repository needs: the workflow running verify on pushes, pull\nrequests and merge-queue groups (.github/workflows/lanes-verify.yml, pinned to this exact\nlanes-hooks version), and the rulesets as the REST API's JSON (POST /repos/{owner}/{repo}/rulesets):\nintegration and release need the lanes-hooks check, allow no force push or deletion, and only\nthe coordinators (bypass actors) update them; tags likewise.",
    options: {
      write: {
        type: 'boolean',
        help: 'write the files under the repository instead of printing them',
      },
    },
  },
  'hub gitlab': {
    summary: '',
    about:
      "Print (or --write) what a GitLab project needs: the .gitlab-ci.yml job running verify on pushes\nand merge requests, and the protected-branch and push-rule settings as the REST API's JSON\n(POST /projects/:id/protected_branches, PUT /projects/:id/push_rule).",
    options: {
      write: {
        type: 'boolean',
        help: 'write the files under the repository instead of printing them',
      },
    },
  },
  'hub forgejo': {
    summary: '',
    about:
      "Print (or --write) what a Forgejo or Gitea repository needs: the Actions workflow running verify\n(.forgejo/workflows/lanes-verify.yml) and the branch protections as the API's JSON\n(POST /repos/{owner}/{repo}/branch_protections) with the status-check pattern.",
    options: {
      write: {
        type: 'boolean',
        help: 'write the files under the repository instead of printing them',
      },
    },
  },
  'hub install': {
    args: '<bare-repo>',
    summary: '',
    about:
      "On a server: make a bare repository a lanes hub. Installs hooks/pre-receive running this\nlanes-hooks's guard pre-receive (any existing pre-receive keeps running first), pins the policy\nsource (lanes.integration, or lanes.config with --config) and the identity source\n(lanes.identitySource: the variable the hosting layer sets), then checks that the hub reads its\npolicy and says what is and is not enforced there.",
    options: {
      integration: {
        type: 'string',
        arg: '<branch>',
        help: "the integration branch whose committed config is the policy (default: the hub's HEAD)",
      },
      config: { type: 'string', arg: '<file>', help: 'pin a policy file on the hub instead' },
      identity: {
        type: 'string',
        arg: '<variable>',
        help: 'the variable that names the pusher: GL_USER (gitolite), REMOTE_USER (http-backend),\nLANES_PUSHER (an ssh forced command), GL_USERNAME (GitLab), GITEA_PUSHER_NAME (Gitea, Forgejo)',
      },
    },
  },
  audit: {
    summary: 'the override and promotion log',
    about:
      'Print the audit log: every override (and promotion), who, when, lane, rule, object and reason.',
    options: { json: json() },
  },
  demo: {
    args: '[<dir>]',
    summary: 'a sandbox tour of allowed and refused operations',
    about:
      'Build a sandbox (bare remote, coordinator, one worktree per lane) and walk through allowed and\nrefused operations. Exits 0 only if every step behaved as the policy says.',
    options: {},
  },
  hook: {
    args: '<git-hook> [args...]',
    summary: '',
    about: 'Internal: run by the installed shell hooks.',
    options: {},
  },
} satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMAND_SPECS;

/** Commands with subcommands: what the group is, and its note. */
export const GROUPS: Record<
  string,
  { args: string; summary: string; tag?: string; note?: string }
> = {
  review: {
    args: '<refresh|finding|signoff|export>',
    summary: 'refresh, finding, signoff, export',
    tag: '(in a review lane)',
  },
  queue: {
    args: '<add|claim|release|done|list>',
    summary: 'the work queue: add, claim, release, done, list',
    note: 'The queue lives in git at refs/lanes/queue: every worktree sees it; every change is a commit.',
  },
  store: {
    args: '<repair>',
    summary: 'repair a store filled before the limits (coordinator)',
    tag: '(coordinator only)',
  },
  hub: {
    args: '<github|gitlab|forgejo|install>',
    summary: "what a hub needs: forge workflows and settings, or a bare repository's guard",
  },
  guard: {
    args: '<release|pre-receive>',
    summary: 'the same policy in CI and on a git server',
  },
};
