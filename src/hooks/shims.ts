// The POSIX sh scripts git runs. They decide in shell whatever needs no policy (GIT-FACTS: a
// 30-commit rebase fires hundreds of reference-transaction calls) and start Node only when a
// governed ref is prepared, a detach must be checked, or a commit or push must be checked.
// Each also runs the hook that was installed before lanes-hooks (husky, .git/hooks, …); other
// hooks of that directory get a pass-through, and no others: git pays a process per hook it finds.

/** Hooks lanes-hooks enforces through its policy. */
export const POLICY_HOOKS = [
  'pre-commit',
  'pre-push',
  'post-checkout',
  'reference-transaction',
] as const;

export interface ShimParams {
  version: string;
  /** Directory holding lanes-hooks.mjs (inside the repository's common git dir). */
  base: string;
  node: string;
  /** The hooks directory that ran before install: absolute, or relative to each worktree's top. */
  previous: string;
}

const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

function header(hook: string, p: ShimParams): string {
  return `#!/bin/sh
# lanes-hooks ${p.version}: ${hook} (written by \`lanes-hooks install\`; \`lanes-hooks uninstall\` removes it)
hook=${hook}
base=${q(p.base)}
node=${q(p.node)}
prev=${q(p.previous)}
`;
}

/** Resolve the previous hook like git would (relative paths against this worktree's top). */
const CHAIN = `lanes_prev() {
  case $prev in '') return 1 ;; /*) p=$prev/$hook ;; *) p=$PWD/$prev/$hook ;; esac
  [ -f "$p" ] && [ -x "$p" ]
}
`;

const NODE = `lanes_node() {
  [ -x "$node" ] || node=$(command -v node 2>/dev/null) || node=
  if [ -z "$node" ] || [ ! -f "$base/lanes-hooks.mjs" ]; then
    echo "lanes-hooks: cannot check this $hook: Node.js (${'$'}{node:-not found}) or $base/lanes-hooks.mjs is missing." >&2
    echo "  Refused, to stay safe. Repair: npx lanes-hooks install   (to remove the hooks: npx lanes-hooks uninstall)" >&2
    return 1
  fi
  # The git command's pid ties together the hooks of one operation (one override, one audit entry).
  LANES_GIT_PID=$PPID "$node" "$base/lanes-hooks.mjs" hook "$hook" "$@"
}
`;

/** Transient detaches (rebase of either backend, am, bisect) leave these behind in the git dir. */
const TRANSIENT = `lanes_transient() {
  # Linked worktrees get GIT_DIR; the main worktree's hooks run at its top, where .git usually is.
  if [ -n "$GIT_DIR" ]; then gd=$GIT_DIR; elif [ -d .git ]; then gd=.git; else gd=$(git rev-parse --git-dir); fi
  [ -d "$gd/rebase-merge" ] || [ -d "$gd/rebase-apply" ] || [ -f "$gd/BISECT_LOG" ]
}
`;

const BODIES: Record<string, string> = {
  'pre-commit': `lanes_node "$@" || exit $?
lanes_prev && exec "$p" "$@"
exit 0
`,
  'pre-push': `input=
while IFS= read -r line || [ -n "$line" ]; do input="$input$line
"; done
printf '%s' "$input" | lanes_node "$@" || exit $?
lanes_prev || exit 0
printf '%s' "$input" | "$p" "$@"
`,
  // Only "prepared" can refuse. Pseudo-refs, tags, remote-tracking and refs/lanes/* lines, and
  // lines with old == new, never need the policy; HEAD-only lines during a rebase/am/bisect neither.
  'reference-transaction': `input= need=
while read -r old new ref; do
  input="$input$old $new $ref
"
  [ "$old" = "$new" ] && continue
  case $ref in
    refs/heads/*) need=branch ;;
    HEAD) [ -n "$need" ] || need=head ;;
  esac
done
if [ "$1" = prepared ] && [ -n "$need" ]; then
  if [ "$need" = branch ] || ! lanes_transient; then
    printf '%s' "$input" | lanes_node "$@" || exit $?
  fi
fi
lanes_prev || exit 0
printf '%s' "$input" | "$p" "$@"
`,
  // Only a branch checkout that leaves HEAD detached, outside a rebase/bisect and not in a new
  // worktree (previous HEAD all zeros), can need undoing.
  'post-checkout': `status=0
if [ "$3" = 1 ]; then
  case $1 in
    *[!0]*) if ! git symbolic-ref -q HEAD >/dev/null && ! lanes_transient; then lanes_node "$@" || status=$?; fi ;;
  esac
fi
if lanes_prev; then "$p" "$@"; rc=$?; [ $status -ne 0 ] || status=$rc; fi
exit $status
`,
};

export function policyShim(hook: (typeof POLICY_HOOKS)[number], p: ShimParams): string {
  const needsTransient = hook === 'reference-transaction' || hook === 'post-checkout';
  return header(hook, p) + CHAIN + NODE + (needsTransient ? TRANSIENT : '') + BODIES[hook];
}

export function passThroughShim(hook: string, p: ShimParams): string {
  return header(hook, p) + CHAIN + `lanes_prev && exec "$p" "$@"\nexit 0\n`;
}
