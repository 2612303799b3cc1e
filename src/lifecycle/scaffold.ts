// init --scaffold: the lane model's own entry points, as thin readable wrappers over the CLI, at
// the paths its document tells people to type — so playbooks and muscle memory keep working:
//   bash scripts/ops/setup_agent_lanes.sh            bash scripts/ops/launch_agent_lanes.sh
//   make orchestrator-tick                          make queue-claim ROLE= OWNER= BRANCH= [TASK=]
//   scripts/ci/platform_control_promote_release_branch.sh origin/master
//   scripts/ci/platform_control_release_branch_guard.sh   (LANES_OVERRIDE + LANES_OVERRIDE_UNTIL)
// Never overwrites a file that differs from what it would write; running it again changes nothing.
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/fs.js';

/** Finds the CLI the way the hooks do, so a lane without node_modules can run every wrapper. */
const LOCATOR = `#!/bin/sh
# lanes-hooks, wherever it is: the runtime \`lanes-hooks install\` keeps in the repository's git
# dir (every worktree has it, no node_modules needed), else an installed lanes-hooks.
# Written by \`lanes-hooks init --scaffold\`.
common=$(git rev-parse --path-format=absolute --git-common-dir 2>/dev/null) || {
  echo "lanes-hooks: not inside a git repository" >&2
  exit 2
}
runtime="$common/lanes-hooks/lanes-hooks.mjs"
if [ -s "$runtime" ]; then
  node=$(command -v node 2>/dev/null) ||
    node=$(sed -n 's/^ *"node": "\\(.*\\)",\\{0,1\\}$/\\1/p' "$common/lanes-hooks/install.json" 2>/dev/null)
  [ -n "$node" ] || { echo "lanes-hooks: Node.js not found" >&2; exit 2; }
  exec "$node" "$runtime" "$@"
fi
if command -v lanes-hooks >/dev/null 2>&1; then exec lanes-hooks "$@"; fi
exec npx --no-install lanes-hooks "$@"
`;

const wrapper = (what: string, command: string) => `#!/bin/sh
# ${what}
# A thin wrapper over lanes-hooks, written by \`lanes-hooks init --scaffold\`.
exec sh "$(dirname "$0")/../lanes-hooks.sh" ${command}
`;

const MAKE = `# The lane model's make targets, written by \`lanes-hooks init --scaffold\` (thin wrappers).
LANES ?= sh scripts/lanes-hooks.sh

# ROLE= OWNER= BRANCH= TASK= SHA= are text, never code: make takes each as written (\`$(value)\`, so
# a \`$\` in it is no make syntax), and the recipes read them from the environment in double quotes
# (\`"$$ROLE"\`), so no quote, \`;\` or \`$(...)\` in a value reaches the shell as syntax.
LANES_ARGS := ROLE OWNER BRANCH TASK SHA
$(foreach v,$(LANES_ARGS),$(eval override $(v) := $$(value $(v))))
export $(LANES_ARGS)
lanes-need = $(if $(value $(1)),,$(error $(1)= is required: $(2)))

.PHONY: orchestrator-tick lanes-status queue-claim queue-done queue-release lanes-setup lanes-launch review-refresh promote release-guard

orchestrator-tick lanes-status:
\t@$(LANES) status

queue-claim:
\t@$(call lanes-need,ROLE,make queue-claim ROLE=A-backend OWNER=agent-a BRANCH=agent/A-backend [TASK=T1])
\t@$(call lanes-need,OWNER,make queue-claim ROLE=A-backend OWNER=agent-a BRANCH=agent/A-backend [TASK=T1])
\t@$(call lanes-need,BRANCH,make queue-claim ROLE=A-backend OWNER=agent-a BRANCH=agent/A-backend [TASK=T1])
\t@$(LANES) queue claim --role "$$ROLE" --owner "$$OWNER" --branch "$$BRANCH" $(if $(value TASK),--task "$$TASK")

queue-done queue-release:
\t@$(if $(value TASK)$(value BRANCH),,$(error TASK= or BRANCH= is required: make $@ BRANCH=agent/A-backend))
\t@$(LANES) queue $(patsubst queue-%,%,$@) $(if $(value TASK),--task "$$TASK",--branch "$$BRANCH")

lanes-setup:
\t@$(LANES) setup

lanes-launch:
\t@$(LANES) launch

review-refresh:
\t@$(call lanes-need,ROLE,make review-refresh ROLE=A-backend)
\t@$(LANES) review refresh "$$ROLE"

promote:
\t@$(LANES) promote $(if $(value SHA),"$$SHA")

release-guard:
\t@$(LANES) guard release
`;

export interface ScaffoldFile {
  path: string;
  content: string;
  executable: boolean;
}

export const SCAFFOLD: ScaffoldFile[] = [
  { path: 'scripts/lanes-hooks.sh', content: LOCATOR, executable: true },
  {
    path: 'scripts/ops/setup_agent_lanes.sh',
    content: wrapper(
      'Create the lane worktrees: every agent/<role> branch, worktree and recorded role.',
      'setup "$@"',
    ),
    executable: true,
  },
  {
    path: 'scripts/ops/launch_agent_lanes.sh',
    content: wrapper(
      'Launch the control room: the coordinator pane (status --watch) and one pane per lane.',
      'launch "$@"',
    ),
    executable: true,
  },
  {
    path: 'scripts/ci/platform_control_promote_release_branch.sh',
    content: wrapper(
      'Point release/platform-control at one exact SHA already on master: usage: <ref> (default origin/master).',
      'promote "$@"',
    ),
    executable: true,
  },
  {
    path: 'scripts/ci/platform_control_release_branch_guard.sh',
    content: wrapper(
      'CI: fail unless release/platform-control points at a commit on master. A deliberate, temporary\n# override needs LANES_OVERRIDE="<reason>" and LANES_OVERRIDE_UNTIL=<YYYY-MM-DD>.',
      'guard release "$@"',
    ),
    executable: true,
  },
  { path: 'lanes.mk', content: MAKE, executable: false },
];

const MAKEFILE_INCLUDE = 'include lanes.mk';
const NO_MAKEFILE =
  'none written (a package.json project without one): run the targets with `make -f lanes.mk <target>`';

export interface ScaffoldResult {
  written: string[];
  unchanged: string[];
  /** Files that exist with other content: never overwritten. */
  conflicts: string[];
  makefile: 'created' | 'included' | 'already includes lanes.mk' | typeof NO_MAKEFILE;
}

export function scaffold(top: string): ScaffoldResult {
  const result: ScaffoldResult = { written: [], unchanged: [], conflicts: [], makefile: 'created' };
  for (const f of SCAFFOLD) {
    const file = path.join(top, f.path);
    if (existsSync(file)) {
      if (readFileSync(file, 'utf8') !== f.content) result.conflicts.push(f.path);
      else {
        if (f.executable && !(statSync(file).mode & 0o100)) chmodSync(file, 0o755);
        result.unchanged.push(f.path);
      }
    }
  }
  if (result.conflicts.length) return result; // nothing is written when anything would be clobbered
  for (const f of SCAFFOLD) {
    if (result.unchanged.includes(f.path)) continue;
    const file = path.join(top, f.path);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, f.content);
    if (f.executable) chmodSync(file, 0o755);
    result.written.push(f.path);
  }
  const makefile = path.join(top, 'Makefile');
  if (!existsSync(makefile)) {
    // A project that builds with npm and has no Makefile gets none: lanes.mk stands alone.
    if (existsSync(path.join(top, 'package.json'))) result.makefile = NO_MAKEFILE;
    else writeFileAtomic(makefile, `${MAKEFILE_INCLUDE}\n`);
  } else {
    const text = readFileSync(makefile, 'utf8');
    if (/^-?include\s+lanes\.mk\s*$/m.test(text)) result.makefile = 'already includes lanes.mk';
    else {
      writeFileAtomic(
        makefile,
        `${text}${text.endsWith('\n') || !text ? '' : '\n'}\n# the lane model's targets (lanes-hooks init --scaffold)\n${MAKEFILE_INCLUDE}\n`,
      );
      result.makefile = 'included';
    }
  }
  return result;
}
