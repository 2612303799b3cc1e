// The POSIX sh scripts git runs. They decide in shell whatever needs no policy (GIT-FACTS: a
// 30-commit rebase fires hundreds of reference-transaction calls) and start Node only when a
// decision needs it. What the shell may decide alone comes from the worktree's compiled policy
// (compile.ts), which only ever allows and is checked for staleness before it is trusted.
// Each also runs the hook that was installed before lanes-hooks (husky, .git/hooks, …); other
// hooks of that directory get a pass-through, and no others: git pays a process per hook it finds.
import { COMPILED_FILE } from './compile.js';
import { HOOK_ENTRY } from '../bundle-files.js';
import { CLAIMS_INDEX, QUEUE_REF } from '../queue/model.js';
import { shellQuote } from '../util/sh.js';
import { SH_GIT } from '../git/exec.js';
import { CONFIG_PLACES } from '../config/load.js';
import { DIFF_PINS } from '../git/history.js';
import { TRAILER_PINS } from '../git/trailers.js';
import { SH_TRAILERS, SH_UNCHANGED } from './trailer-sh.js';
import {
  REF_CLASSES,
  RULES,
  type RefClass,
  type RuleDeclaration,
  type ShimHook,
} from '../policy/rules.js';

/** Where the shims list the names they check (in the worktree's own git dir; overwritten each time). */
const PATHS_FILE = 'lanes-hooks.paths';
const REVS_FILE = 'lanes-hooks.revs';
/** Answers noted per value of the queue ref (lanes_queue_sha): the claim check, the claim's task. */
const CLAIM_SEEN = 'lanes-hooks.claim-seen';
const TASK_SEEN = 'lanes-hooks.task-seen';
const QUEUE_SEEN_FILES = `${CLAIM_SEEN}, ${TASK_SEEN}`;
/** The pid of the git command whose hooks found the compiled policy fresh (lanes_fast). */
const FRESH_NOTE = 'lanes-hooks.fresh';

/** The diff options every listing pins (history.ts), minus -z/--raw: the shims read names a line. */
const SH_DIFF_PINS = DIFF_PINS.filter((o) => o !== '-z' && o !== '--raw').join(' ');

/**
 * Names the shell hands to Node (ERE, bytes in the C locale): a component that is `.git` with any
 * bytes outside printable ASCII (the HFS+-ignorable code points) around its letters and trailing
 * dots or spaces (NTFS), `git~`, a backslash (NTFS segments), and empty, `.` or `..` components.
 */
export const SH_SUSPECT_RE =
  '(^|/)([^ -~]*\\.[^ -~]*[gG][^ -~]*[iI][^ -~]*[tT]([. ]|[^ -~])*(/|$)|[gG][iI][tT]~|\\.\\.?(/|$))|\\\\|//|^/';

/**
 * pre-push's one listing: \`git log\` of the range with each commit's names, its output pinned
 * (git-log(1)): the format (a custom one shows no notes, decorations nor mailmap), merges diffed
 * against each parent whatever log.diffMerges says, root commits listed whatever log.showRoot
 * says, no signature check (log.showSignature), no graph, every commit (no --first-parent or
 * simplification: no pathspec). The diff options are DIFF_PINS.
 */
const LOG_PINS = [
  '--format=%x22%P%x22',
  '--name-only',
  '--diff-merges=separate',
  '--root',
  '--no-show-signature',
  '--no-notes',
  '--no-mailmap',
  '--no-abbrev',
].join(' ');
/** A line of the log's parents (LOG_PINS: full ids in double quotes), never a name git prints. */
const LOG_PARENTS_RE = '^"[0-9a-f]{40,64}( [0-9a-f]{40,64})*"$';

/**
 * A sh case pattern for the names the shims leave to an exact check (a grep, or Node): any
 * character outside a plain set (letters, digits, space and `._/+,=@%-`), a `.git` in any case
 * anywhere, a `.` or `..` component, `//`, a leading `/`. A superset of SH_SUSPECT_RE's names.
 */
const SH_ODD_NAME =
  '*[!abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/\\ +,=@%-]* | *.[gG][iI][tT]* | . | .. | ./* | ../* | */. | */.. | */./* | */../* | *//* | /*';
/** The config places (CONFIG_PLACES) as one anchored ERE: a staged one is Node's to load. */
const CONFIG_PLACES_RE = `^(${CONFIG_PLACES.map((p) => p.replace(/[.[\]()*+?{}|^$\\]/g, '\\$&')).join('|')})$`;

/** Hooks lanes-hooks enforces through its policy. */
export const POLICY_HOOKS = [
  'pre-commit',
  'pre-push',
  'post-checkout',
  'reference-transaction',
] as const;

export interface ShimParams {
  version: string;
  /** Directory holding the hook entry the shims start (inside the repository's common git dir). */
  base: string;
  node: string;
  /** The hooks directory that ran before install: absolute, or relative to each worktree's top. */
  previous: string;
}

const q = shellQuote;

function header(hook: string, p: ShimParams, rules: Rules = RULES): string {
  return `#!/bin/sh
# lanes-hooks ${p.version}: ${hook} (written by \`lanes-hooks install\`; \`lanes-hooks uninstall\` removes it)
${earlyLines(hook, p, rules)}hook=${hook}
version=${q(p.version)}
base=${q(p.base)}
node=${q(p.node)}
prev=${q(p.previous)}
gd=
`;
}

/** `noprev=1` unless a previous hook of this name is there to chain (checked per call: one stat). */
function noPrevious(p: ShimParams, hook: string): string {
  if (!p.previous) return 'noprev=1';
  const file = p.previous.startsWith('/')
    ? q(`${p.previous}/${hook}`)
    : `"$PWD"/${q(`${p.previous}/${hook}`)}`;
  return `noprev=1; [ -f ${file} ] && [ -x ${file} ] && noprev=`;
}

type Rules = Record<string, RuleDeclaration>;

/** The `case` arms that let through the ref classes in `watched` and `continue` on the rest. */
export function refCaseArms(watched: ReadonlySet<RefClass>): string {
  const classes = Object.keys(REF_CLASSES) as RefClass[];
  const pat = (cs: RefClass[]) => cs.map((c) => REF_CLASSES[c]).join(' | ');
  const named = classes.filter((c) => c !== 'other');
  const on = named.filter((c) => watched.has(c));
  const off = named.filter((c) => !watched.has(c));
  const arms: string[] = [];
  // The pseudo-refs' `[!r]*` also matches HEAD: HEAD is skipped first when only they are watched.
  if (watched.has('pseudo') && !watched.has('head')) arms.push('HEAD) continue ;;');
  if (on.length) arms.push(`${pat(on)}) ;;`);
  // With `other` watched, what no arm names falls through; else one `*` skips all the rest.
  if (watched.has('other')) {
    if (off.length) arms.push(`${pat(off)}) continue ;;`);
  } else arms.push('*) continue ;;');
  return arms.join(' ');
}

/** Everything the declarations say reference-transaction's and post-checkout's rules must see. */
export function earlyNeeds(rules: Rules = RULES) {
  const decls = Object.values(rules);
  const rt = decls.flatMap((d) =>
    d.early?.['reference-transaction'] ? [d.early['reference-transaction']] : [],
  );
  const pc = decls.flatMap((d) => (d.early?.['post-checkout'] ? [d.early['post-checkout']] : []));
  return {
    moves: new Set(rt.flatMap((e) => e.moves)),
    deletes: new Set(rt.flatMap((e) => e.deletes)),
    transientHead: rt.some((e) => e.transientHead),
    checkout: pc.length
      ? {
          fileCheckouts: pc.some((e) => e.fileCheckouts),
          newWorktrees: pc.some((e) => e.newWorktrees),
          attachedHead: pc.some((e) => e.attachedHead),
        }
      : null,
  };
}

/**
 * The cases that need nothing, decided in the first lines of the script: sh reads and runs a
 * script command by command, so an exit here parses nothing after it (a 30-commit rebase calls
 * reference-transaction ~336 times). Exits only where no previous hook is chained. Generated from
 * the rules' declarations (src/policy/rules.ts `early`): what no rule needs is skipped.
 */
export function earlyLines(hook: string, p: ShimParams, rules: Rules = RULES): string {
  const need = earlyNeeds(rules);
  // Only "prepared" can refuse; then only lines moving or deleting a ref some rule judges can need
  // the policy, and a HEAD-only move while a rebase, am or bisect runs is theirs (GIT-FACTS).
  // Remote-tracking refs (fetch) and pseudo-refs never do. git ignores a transaction hook that
  // exits without reading its input.
  if (hook === 'reference-transaction')
    return `${noPrevious(p, 'reference-transaction')}
case $1 in prepared) ;; *) [ -z "$noprev" ] || exit 0 ;; esac
lanes_packed() {
  g=\${GIT_DIR:-.git} c=
  [ -f "$g/commondir" ] && IFS= read -r c < "$g/commondir"
  case $c in '') c=$g ;; /*) ;; *) c=$g/$c ;; esac
  [ -f "$c/packed-refs" ] && LC_ALL=C grep -qxF "$1 $2" "$c/packed-refs"
}
input= moves= need=
while read -r old new ref; do
  input="$input$old $new $ref
"
  case $ref in ${refCaseArms(need.moves)} esac
  case $new in
    *[!0]*) [ "$old" = "$new" ] && continue ;;
    # A delete: update-ref -d and branch -D send an unchecked (zero) old value; pack-refs
    # (git gc) drops each loose copy it packed as "<value> 0…0": packed-refs keeps it, nothing moves.
    *) case $ref in ${refCaseArms(need.deletes)} esac
       case $old in *[!0]*) lanes_packed "$old" "$ref" && continue ;; esac ;;
  esac
  moves="$moves$old $new $ref
"
  case $ref in
    refs/heads/*) need=branch ;;
    HEAD) [ -n "$need" ] || need=head ;;
    *) [ "$need" = branch ] || need=ref ;;
  esac
done
if [ -n "$noprev" ]; then
  [ "$1" = prepared ] && [ -n "$need" ] || exit 0
${
  need.transientHead
    ? ''
    : `  if [ "$need" = head ]; then
    g=\${GIT_DIR:-.git}
    [ -d "$g/rebase-merge" ] || [ -d "$g/rebase-apply" ] || [ -f "$g/BISECT_LOG" ] && exit 0
  fi
`
}fi
`;
  // Only a branch checkout (flag 1) that is no new worktree (previous HEAD all zeros) and leaves
  // HEAD detached can need undoing; git gives a linked worktree's hooks GIT_DIR, the main one .git.
  if (hook === 'post-checkout') {
    const c = need.checkout;
    const skip = !c
      ? ['  exit 0']
      : [
          ...(c.fileCheckouts ? [] : ['  [ "$3" = 1 ] || exit 0']),
          ...(c.newWorktrees ? [] : ['  case $1 in *[!0]*) ;; *) exit 0 ;; esac']),
          ...(c.attachedHead
            ? []
            : [
                '  g=${GIT_DIR:-.git}',
                '  if [ -d "$g" ] && IFS= read -r h < "$g/HEAD"; then',
                "    case $h in 'ref: '*) exit 0 ;; esac",
                '  fi',
              ]),
        ];
    return `${noPrevious(p, 'post-checkout')}
if [ -n "$noprev" ]; then
${skip.join('\n')}
fi
`;
  }
  return '';
}

/**
 * The fast path's hand-off for `hook`: an sh function true when a rule the hook enforces but does
 * not decide in sh may apply (src/policy/rules.ts `handOff`); the body then asks Node.
 */
export function handOffFunction(hook: ShimHook, rules: Rules = RULES): string {
  const tests = Object.entries(rules).flatMap(([id, d]) =>
    d.handOff?.[hook] ? [`  ${d.handOff[hook]} && return 0 # ${id}`] : [],
  );
  return `# Rules this hook enforces but sh does not decide (src/policy/rules.ts handOff): Node's.
lanes_handoff() {
${tests.join('\n')}${tests.length ? '\n' : ''}  return 1
}
`;
}

/** Resolve the previous hook like git would (relative paths against this worktree's top). */
const CHAIN = `lanes_prev() {
  case $prev in '') return 1 ;; /*) p=$prev/$hook ;; *) p=$PWD/$prev/$hook ;; esac
  [ -f "$p" ] && [ -x "$p" ]
}
`;

// Node runs the hook entry (HOOK_ENTRY: guard and hook alone), not the whole CLI: a hook's start
// loads half the code (docs/speed.md, "The hook entry"). Install writes it beside the CLI; the
// check names the file this shim runs, so a copy cut short or removed fails closed and says which.
const NODE = `lanes_node() {
  [ -x "$node" ] || node=$(command -v node 2>/dev/null) || node=
  # -s: an empty runtime (a copy cut short) would run as a no-op and allow everything.
  if [ -z "$node" ] || [ ! -s "$base/${HOOK_ENTRY}" ]; then
    echo "lanes-hooks: cannot check this $hook: Node.js (\${node:-not found}) or $base/${HOOK_ENTRY} is missing." >&2
    echo "  Refused, to stay safe. Repair: npx lanes-hooks install   (to remove the hooks: npx lanes-hooks uninstall)" >&2
    return 1
  fi
  # The git command's pid ties together the hooks of one operation (one override, one audit entry).
  LANES_GIT_PID=$PPID "$node" "$base/${HOOK_ENTRY}" hook "$hook" "$@"
}
`;

/** This worktree's git dir without starting git where possible (hooks run at the worktree's top). */
const GITDIR = `lanes_gitdir() {
  if [ -n "$gd" ]; then return 0
  elif [ -n "$GIT_DIR" ]; then gd=$GIT_DIR
  elif [ -d .git ]; then gd=.git
  elif [ -f .git ] && IFS= read -r l < .git && [ "\${l#gitdir: }" != "$l" ]; then
    gd=\${l#gitdir: }; case $gd in /*) ;; *) gd=$PWD/$gd ;; esac
  else gd=$(git rev-parse --git-dir) || return 1
  fi
}
# Rebase (either backend), am and bisect detach HEAD on their own and leave these behind.
lanes_transient() {
  lanes_gitdir || return 1
  [ -d "$gd/rebase-merge" ] || [ -d "$gd/rebase-apply" ] || [ -f "$gd/BISECT_LOG" ]
}
lanes_nl='
'
# The compiled policy, if present and fresh: then lanes_kind, lanes_own, lanes_in_scope … hold.
# Without the runtime nothing is decided here either: the hooks fail closed and say how to repair.
# The first hook of a git command to find it fresh notes so (${FRESH_NOTE}: git's pid), and the
# command's later hooks take the note instead of comparing the config files again.
lanes_fast() {
  lanes_compiled && lanes_checked
}
# The compiled policy's facts, read (not yet checked: lanes_checked).
lanes_compiled() {
  [ -s "$base/${HOOK_ENTRY}" ] && lanes_gitdir && [ -f "$gd/${COMPILED_FILE}" ] && . "$gd/${COMPILED_FILE}"
}
lanes_checked() {
  lanes_fresh_noted && return 0
  lanes_fresh || return 1
  printf '%s\\n' "$PPID" > "$gd/${FRESH_NOTE}" 2>/dev/null
  return 0
}
# The note holds for the same git command ($PPID), with the compiled policy and every file lanes_fresh
# compares older than the note (a file written in the note's clock tick does not count; one put
# back with an old mtime is missed, and only within that one command); the refs the policy came
# from are checked as ever.
# A compiled policy older than this shim's has no input list: no note is taken then.
lanes_fresh_noted() {
  [ "$lanes_c_version" = "$version" ] && [ "$lanes_c_top" = "$PWD" ] && [ -n "$lanes_c_inputs" ] || return 1
  n=$gd/${FRESH_NOTE}
  [ -f "$n" ] && [ "$n" -nt "$gd/${COMPILED_FILE}" ] && IFS= read -r l < "$n" && [ "$l" = "$PPID" ] || return 1
  rest=$lanes_c_inputs
  while [ -n "$rest" ]; do
    i=\${rest%%"$lanes_nl"*} rest=\${rest#*"$lanes_nl"}
    lanes_unchanged "$n" "$i" || return 1
  done
  lanes_fresh_refs
}
${SH_UNCHANGED}# The queue ref's value from its loose file, in $qs ('' when it is packed, symbolic or odd: git
# then reads the ref itself and nothing is noted). What the shims read from the queue depends on
# that value alone, so an answer noted with it (${QUEUE_SEEN_FILES}) holds until the queue moves.
# The note is no weaker than the ref: a lane that can write one can write the other, and the hub
# checks claims itself.
lanes_queue_sha() {
  qs=
  [ -f "$lanes_c_common"/${QUEUE_REF} ] && IFS= read -r qs < "$lanes_c_common"/${QUEUE_REF}
  case $qs in *[!0123456789abcdef]*) qs= ;; esac
  case \${#qs} in 40 | 64) ;; *) qs= ;; esac
}
`;

/** The listing checks: only pre-commit and pre-push read names (sh parses what a script holds). */
const LISTING = `# The names git printed (one a line) into "$gd/${PATHS_FILE}", all inside the lane's scope.
# A file, not a variable: capturing a large listing in sh costs more than the check itself. Names
# git must quote (quotes, backslashes, control characters) start with '"': Node reads those exactly.
lanes_paths_in_scope() {
  n=0 many=
  while IFS= read -r f; do
    case $f in '') continue ;; '"'*) return 1 ;; esac
    n=$((n + 1))
    # Many names: one grep over them all beats a shell loop (the same scope as an anchored regex;
    # a quoted name never matches it, so it counts as outside and goes to Node).
    [ -n "$lanes_scope_re" ] && [ $n -gt 64 ] && { many=1; break; }
    lanes_in_scope "$f" || return 1
  done < "$gd/${PATHS_FILE}"
  [ -n "$many" ] || return 0
  outside=$(LC_ALL=C grep -cvE -e '^$' -e "$lanes_scope_re" "$gd/${PATHS_FILE}")
  [ "$outside" = 0 ]
}
# True when no listed line needs Node for what sh cannot judge: a name that may be a .git
# component (a superset of policy/path-scope.ts forbiddenPath, bytes outside printable ASCII
# counting as HFS-ignorable), and a name of 40 to 64 hex digits (a superset kept from when this
# also read rev-list's lines, where such a line was a root commit).
lanes_plain() {
  ! LC_ALL=C grep -qE -e ${q(SH_SUSPECT_RE)} -e '^[0-9a-f]{40,64}$' "$@"
}
# True when "$1" has at most $2 lines, reading no more than $2 + 1 of them: sh reads a file a
# byte at a time (a 1,000-commit push read ~8,700 bytes in sh loops before its greps ran), so a
# long listing goes straight to one grep.
lanes_few() {
  n=0
  while IFS= read -r f || [ -n "$f" ]; do
    n=$((n + 1))
    [ $n -le $2 ] || return 1
  done < "$1"
}
# Every line of "$1" blank, one of the extra patterns given after it, or a name inside the scope
# that no suspect pattern touches and that is no config place (compile.ts plainScopeRegex): one
# grep for what a suspect grep and a scope grep decide. False also where those two would allow
# (a '.gitignore', say): the caller asks them then.
lanes_plain_grep() {
  [ -n "$lanes_scope_plain_re" ] || return 1
  f=$1; shift
  [ "$(LC_ALL=C grep -cvE -e '^$' "$@" -e "$lanes_scope_plain_re" "$f")" = 0 ]
}
# Every listed name (many of them) inside the scope, by one grep; without a scope regex, in sh.
lanes_scope_grep() {
  [ -n "$lanes_scope_re" ] || { lanes_paths_in_scope; return; }
  outside=$(LC_ALL=C grep -cvE -e '^$' -e "$lanes_scope_re" "$gd/${PATHS_FILE}")
  [ "$outside" = 0 ]
}
# lanes_plain over the staged names without starting grep where sh can tell: up to 64 names made
# only of characters that no suspect pattern needs (a superset test: a name with any other
# character, a '.git' or '~' anywhere, a '.' or '..' component, '//', a leading '/', or 40 hex
# digits, is left to the exact grep above).
lanes_plain_names() {
  n=0
  while IFS= read -r f || [ -n "$f" ]; do
    n=$((n + 1))
    [ $n -le 64 ] || { lanes_plain "$1"; return; }
    case $f in
      '') continue ;;
      ${SH_ODD_NAME})
        lanes_plain "$1"; return ;;
    esac
    case $f in *[!0123456789abcdef]*) ;; *) [ \${#f} -lt 40 ] || { lanes_plain "$1"; return; } ;; esac
  done < "$1"
}
`;

const BODIES: Record<(typeof POLICY_HOOKS)[number], (rules: Rules) => string> = {
  // Allowed in shell: a commit on the lane's own branch (the coordinator: any but release) whose
  // staged paths all lie in its scope (the coordinator: none is suspect, see SH_SUSPECT_RE).
  // Everything else, every refusal included, is Node's.
  'pre-commit': (rules) => `${handOffFunction('pre-commit', rules)}lanes_commit_ok() {
  lanes_compiled || return 1
  # A lane's common case in one pass: git writes the staged names into a pipe and lanes_stream_ok
  # judges them as they come, so that a large listing is read while git still writes it (a
  # 10,000-name commit made again and again: 3 to 4.5 ms less than writing the file, then reading
  # it). The policy's freshness and the branch are checked on the pipe's reading side, while git
  # works out the listing (0.5 to 1.5 ms less on that commit). A failed listing ends with a line no
  # check calls plain ('"'). Anything not plain goes to the exact checks below, which check the
  # policy and the branch again (the reading side's answers end with it).
  if [ "$lanes_kind" != coordinator ] && [ -n "$lanes_scope_plain_re" ]; then
    { ${SH_GIT} -c core.quotePath=false diff-index --cached --name-only ${SH_DIFF_PINS} HEAD -- 2>/dev/null || echo '"'; } | { lanes_checked && lanes_branch_ok && lanes_stream_ok; } && return 0
  fi
  lanes_checked && lanes_branch_ok || return 1
  ${SH_GIT} -c core.quotePath=false diff-index --cached --name-only ${SH_DIFF_PINS} HEAD -- > "$gd/${PATHS_FILE}" 2>/dev/null || return 1
  # The coordinator has no scope, but no one commits a name git refuses to check out.
  if lanes_few "$gd/${PATHS_FILE}" 16; then
    lanes_plain_names "$gd/${PATHS_FILE}" || return 1
    lanes_no_policy "$gd/${PATHS_FILE}" || return 1
    [ "$lanes_kind" = coordinator ] || lanes_paths_in_scope
  else
    # Many names: one grep, else one for a suspect name or a config place and one for the scope.
    [ "$lanes_kind" != coordinator ] && lanes_plain_grep "$gd/${PATHS_FILE}" && return 0
    ! LC_ALL=C grep -qE -e ${q(SH_SUSPECT_RE)} -e '^[0-9a-f]{40,64}$' -e ${q(CONFIG_PLACES_RE)} "$gd/${PATHS_FILE}" || return 1
    [ "$lanes_kind" = coordinator ] || lanes_scope_grep
  fi
}
# The commit's branch is one this checkout may commit on (its own; the coordinator: any but release),
# outside a rebase, am or bisect, with no rule that hands the decision to Node.
lanes_branch_ok() {
  lanes_transient && return 1
  IFS= read -r head < "$gd/HEAD" || return 1
  branch=
  case $head in 'ref: '*) branch=\${head#ref: } ;; esac
  lanes_handoff && return 1
  [ "$branch" = "$lanes_release" ] && return 1
  case $lanes_kind in
    coordinator) ;;
    delivery|review) [ "$branch" = "$lanes_own" ] || return 1 ;;
    *) return 1 ;;
  esac
}
# True when every name on stdin is plain (lanes_plain_names' character set, no '.git' nor other
# component git refuses), no config place, and inside the scope: up to 17 judged in sh, which
# reads a pipe a byte at a time and so leaves the rest unread, then, from the 18th, the rest by
# one grep of the plain scope (lanes_plain_grep). For 16 names or fewer no program starts but
# git's own (the process budget, docs/speed.md): grep starts only once a 17th name came.
lanes_stream_ok() {
  n=0
  while IFS= read -r f || [ -n "$f" ]; do
    case $f in
      '') continue ;;
      ${SH_ODD_NAME})
        return 1 ;;
      ${CONFIG_PLACES.map(q).join('|')}) return 1 ;;
    esac
    case $f in *[!0123456789abcdef]*) ;; *) [ \${#f} -lt 40 ] || return 1 ;; esac
    lanes_in_scope "$f" || return 1
    n=$((n + 1))
    [ $n -le 16 ] && continue
    LC_ALL=C grep -qvE -e '^$' -e "$lanes_scope_plain_re"
    [ $? = 1 ]
    return
  done
  return 0
}
# A staged config place is Node's to load (config-invalid): the first 64 names in sh, more by grep.
lanes_no_policy() {
  n=0
  while IFS= read -r f || [ -n "$f" ]; do
    n=$((n + 1))
    [ $n -le 64 ] || { ! LC_ALL=C grep -qxF ${CONFIG_PLACES.map((p) => `-e ${q(p)}`).join(' ')} "$1"; return; }
    case $f in ${CONFIG_PLACES.map(q).join('|')}) return 1 ;; esac
  done < "$1"
}
if ! lanes_commit_ok; then lanes_node "$@" || exit $?; fi
lanes_prev && exec "$p" "$@"
exit 0
`,
  // Allowed in shell: a delivery lane pushing its own branch (no delete) while its owner holds an
  // active claim on it, every commit above the remote's integration inside the scope, no root
  // commit among them, no suspect name. The rest is Node's.
  'pre-push': (rules) => `${handOffFunction('pre-push', rules)}lanes_push_ok() {
  [ -n "$1" ] && lanes_fast && [ "$lanes_kind" = delivery ] || return 1
  tip=
  while read -r lref lsha rref rsha; do
    # A store ref pushed by hand (sync pushes past this hook) is Node's to check.
    case $rref in '') continue ;; refs/lanes/*) return 1 ;; esac
    lanes_handoff && return 1
    [ -z "$tip" ] && [ "$rref" = "$lanes_own" ] || return 1
    case $lsha in *[!0]*) tip=$lsha ;; *) return 1 ;; esac
  done <<LANES_END
$input
LANES_END
  [ -n "$tip" ] || return 1
  [ "$lanes_claim" != 1 ] || lanes_claimed || return 1
  # Every commit beyond the remote's integration, the branch's own previous value included: Node
  # also judges the net effect (tip against the merge base with integration), and every path where
  # they differ is changed by one of these commits against one of its parents (-m lists each
  # parent's diff: a superset of a merge's own changes). That holds while the history reaches
  # integration: a root commit (no merge base, or a new root merged in) goes to Node, as does a
  # tracking ref that does not resolve (nothing is excluded, so the repository's root is listed).
  # A URL as $1 (a remote's name never holds ':' nor starts with '/' or '.'): Node's base is then
  # the configured remote's tracking ref, so that one.
  case $1 in *:* | /* | .*) r=$lanes_remote ;; *) r=$1 ;; esac
  # One git walks the range and lists each commit's names (a merge's against each parent, as
  # \`diff-tree -m\`): per diff a line of its parents in double quotes (a root commit's is '""'), a
  # blank line, the names. A name git quotes also starts with '"' but always holds a backslash
  # escape, so it never reads as a line of parents. Every option that changes the output pinned.
  ${SH_GIT} -c core.quotePath=false log ${LOG_PINS} ${SH_DIFF_PINS} --ignore-missing "$tip" --not "refs/remotes/$r/\${lanes_integration#refs/heads/}" -- > "$gd/${REVS_FILE}" || return 1
  lanes_log_few "$gd/${REVS_FILE}"
  case $? in 0) return 0 ;; 1) return 1 ;; esac
  # Many lines: one grep; else one for a root commit and a suspect name, one for the scope.
  lanes_plain_grep "$gd/${REVS_FILE}" -e ${q(LOG_PARENTS_RE)} && return 0
  ! LC_ALL=C grep -qE -e ${q(SH_SUSPECT_RE)} -e '^""$' "$gd/${REVS_FILE}" || return 1
  [ -n "$lanes_scope_re" ] &&
    [ "$(LC_ALL=C grep -cvE -e '^$' -e ${q(LOG_PARENTS_RE)} -e "$lanes_scope_re" "$gd/${REVS_FILE}")" = 0 ]
}
# The log's first 64 lines in sh (sh reads a byte at a time; more go to grep: 2): 0 when every
# diff has parents and every name is inside the scope, 1 for Node (a root commit, a name git
# quotes, one outside). A name with a character outside a plain set is checked by the exact grep.
lanes_log_few() {
  n=0 odd=
  while IFS= read -r f || [ -n "$f" ]; do
    n=$((n + 1))
    [ $n -le 64 ] || return 2
    case $f in
      '') continue ;;
      '""') return 1 ;;
      '"'*'"')
        h=\${f#?}; h=\${h%?}
        case $h in *[!0123456789abcdef\\ ]*) return 1 ;; esac
        continue ;;
      '"'*) return 1 ;;
      ${SH_ODD_NAME})
        odd=1 ;;
    esac
    lanes_in_scope "$f" || return 1
  done < "$1"
  [ -z "$odd" ] || ! LC_ALL=C grep -qE -e ${q(SH_SUSPECT_RE)} "$1" || return 1
}
# The queue commit's own list of active claims ("<branch><TAB><owner>" lines; state.json is Node's).
# Noted per queue value (lanes_queue_sha): a push under an unchanged queue starts no git for it.
lanes_claimed() {
  lanes_queue_sha
  seen=$gd/${CLAIM_SEEN} key="$version $qs \${lanes_own#refs/heads/} $lanes_owner"
  if [ -n "$qs" ] && [ -f "$seen" ] && IFS= read -r s < "$seen" && [ "$s" = "$key" ]; then return 0; fi
  claims=$(${SH_GIT} cat-file blob "\${qs:-${QUEUE_REF}}":${q(CLAIMS_INDEX)} 2>/dev/null) || return 1
  tab=$(printf '\\t')
  while IFS= read -r l; do
    [ "\${l%%"$tab"*}" = "\${lanes_own#refs/heads/}" ] || continue
    if [ -z "$lanes_owner" ] || [ "\${l#*"$tab"}" = "$lanes_owner" ]; then
      [ -z "$qs" ] || printf '%s\\n' "$key" > "$seen" 2>/dev/null
      return 0
    fi
  done <<LANES_END
$claims
LANES_END
  return 1
}
input=
while IFS= read -r line || [ -n "$line" ]; do input="$input$line
"; done
if ! lanes_push_ok "$1"; then printf '%s' "$input" | lanes_node "$@" || exit $?; fi
lanes_prev || exit 0
printf '%s' "$input" | "$p" "$@"
`,
  // Only "prepared" can refuse. Pseudo-refs, remote-tracking lines and lines with old == new never
  // need the policy (the early lines dropped them); HEAD-only lines during a rebase/am/bisect
  // neither; nor what the compiled policy allows: the lane's own branch, ungoverned branches, tags
  // and refs that shadow no governed name, a store ref moving forward.
  'reference-transaction': (
    rules,
  ) => `# The moving lines ($moves), each one the compiled policy allows.
lanes_refs_ok() {
  lanes_fast || return 1
  branches=
  while read -r old new ref; do
    case $ref in
      refs/heads/*)
        branches=1
        [ "$ref" = "$lanes_release" ] && return 1
        lanes_is_review "$ref" && return 1
        lanes_shadow "$ref" && return 1
        case $lanes_kind in
          coordinator) ;;
          delivery|review) [ "$ref" = "$lanes_own" ] || return 1
             case $new in *[!0]*) ;; *) return 1 ;; esac ;;
          *) [ "$ref" = "$lanes_integration" ] && return 1
             case $new in *[!0]*) ;; *) return 1 ;; esac ;;
        esac ;;
      # A lane's store moves are replayed operation by operation, as its own role's (Node:
      # hooks/store-replay.ts); only the coordinator's pass here.
      refs/lanes/*)
        [ "$lanes_kind" = coordinator ] || return 1 ;;
      HEAD) ;;
      *) lanes_shadow "$ref" && return 1 ;;
    esac
  done <<LANES_END
$moves
LANES_END
  # A HEAD-only move in a review lane may be a commit on a detached HEAD.
  [ -n "$branches" ] || [ "$lanes_kind" != review ]
}
if [ "$1" = prepared ] && [ -n "$need" ]; then
${
  // A HEAD-only move while a rebase, am or bisect runs is theirs, unless a rule declares otherwise.
  earlyNeeds(rules).transientHead
    ? `  lanes_refs_ok || printf '%s' "$input" | lanes_node "$@" || exit $?`
    : `  if [ "$need" != head ] || ! lanes_transient; then
    lanes_refs_ok || printf '%s' "$input" | lanes_node "$@" || exit $?
  fi`
}
fi
lanes_prev || exit 0
printf '%s' "$input" | "$p" "$@"
`,
  // Only a branch checkout that leaves a review lane's HEAD detached, outside a rebase or bisect and
  // not in a new worktree (previous HEAD all zeros), can need undoing.
  'post-checkout': () => `lanes_detached() {
  if lanes_gitdir && IFS= read -r head < "$gd/HEAD"; then
    case $head in 'ref: '*) return 1 ;; esac
    return 0
  fi
  ! git symbolic-ref -q HEAD >/dev/null
}
status=0
if [ "$3" = 1 ]; then
  case $1 in
    *[!0]*)
      if lanes_detached && ! lanes_transient && ! { lanes_fast && [ "$lanes_kind" != review ]; }; then
        lanes_node "$@" || status=$?
      fi ;;
  esac
fi
if lanes_prev; then "$p" "$@"; rc=$?; [ $status -ne 0 ] || status=$rc; fi
exit $status
`,
};

/** A policy hook's shim; `rules` (the declarations, src/policy/rules.ts) only differ in tests. */
export function policyShim(
  hook: (typeof POLICY_HOOKS)[number],
  p: ShimParams,
  rules: Rules = RULES,
): string {
  const listing = hook === 'pre-commit' || hook === 'pre-push' ? LISTING : '';
  return header(hook, p, rules) + CHAIN + NODE + GITDIR + listing + BODIES[hook](rules);
}

/**
 * prepare-commit-msg (provenance): the Lane:/Task:/Agent: trailers on a new commit's message in a
 * lane, added by the shell from the compiled policy (the role), the queue commit's state.json (the
 * task of the lane's active claim) and the environment (agents/session.ts, the same markers), and
 * appended by sh exactly as `git interpret-trailers --if-exists doNothing` would (trailer-sh.ts;
 * git itself where sh cannot be sure) — never Node unless the compiled policy is stale.
 * Skipped for merges, squashes, amends, a message that has a Lane: trailer already, and inside a
 * rebase, am or bisect (a rebased commit keeps the trailers it was made with). git runs it under
 * --no-verify too. It never refuses a commit: trailers.require is enforced at pre-push and the hub.
 */
export const PROVENANCE_HOOK = 'prepare-commit-msg';

/**
 * The task of the active claim of branch $1, from state.json as the store writes it
 * (JSON.stringify, two-space indent: one key a line); only queue ids (T<n>) are taken.
 */
const SH_CLAIM_TASK = `# Noted per queue value (lanes_queue_sha): a commit under an unchanged queue starts no git for it.
# Sets $task (a function, not a command substitution: sh forks for each of those).
lanes_claim_task() {
  task=
  lanes_queue_sha
  seen=$gd/${TASK_SEEN} key="$version $qs $1 "
  if [ -n "$qs" ] && [ -f "$seen" ] && IFS= read -r s < "$seen" && [ "\${s#"$key"}" != "$s" ]; then
    t=\${s#"$key"}
    case $t in '' | T*[!0-9]*) ;; T?*) task=$t ;; esac
    return
  fi
  t=$(lanes_claim_task_read "$1")
  [ -z "$qs" ] || printf '%s\\n' "$key$t" > "$seen" 2>/dev/null
  task=$t
}
lanes_claim_task_read() {
  ${SH_GIT} cat-file blob "\${qs:-${QUEUE_REF}}":state.json 2>/dev/null | {
    inc= task= br= act=
    while IFS= read -r l; do
      if [ -z "$inc" ]; then
        case $l in '  "claims": ['*) inc=1 ;; esac
        continue
      fi
      case $l in
        '    {'*) task= br= act= ;;
        '      "task": "T'*)
          t=\${l#'      "task": "'}; t=\${t%,}; t=\${t%\\"}
          case $t in T*[!0-9]* | T) ;; T*) task=$t ;; esac ;;
        '      "branch": "'*) br=\${l#'      "branch": "'}; br=\${br%,}; br=\${br%\\"} ;;
        '      "state": "active"' | '      "state": "active",') act=1 ;;
        '    }'*) if [ -n "$act" ] && [ "$br" = "$1" ] && [ -n "$task" ]; then echo "$task"; return; fi ;;
      esac
    done
  }
}
# Whether an environment variable CODEX_<name> is set and not empty, from the shell's own list
# (dash: export NAME='value'; bash as sh: declare -x NAME="value").
# The list is read a line at a time only when it names one at all: sh's read takes a byte per
# system call, and an agent's environment runs to kilobytes (every commit paid for it).
lanes_codex_env() {
  e=$(export -p)
  case $e in *CODEX_*) ;; *) return 1 ;; esac
  while IFS= read -r l; do
    case $l in
      "export CODEX_"*=* | "declare -x CODEX_"*=*)
        case \${l#*=} in "''" | '""' | '') ;; *) return 0 ;; esac ;;
    esac
  done <<LANES_END
$e
LANES_END
  return 1
}
# Sets $agent, as lanes_claim_task sets $task.
lanes_agent() {
  agent=
  if [ -n "$LANES_AGENT" ]; then agent=$(printf '%s' "$LANES_AGENT" | tr '\n\r' '  ' | cut -c1-200)
  elif [ "$CLAUDECODE" = 1 ]; then agent=claude-code
  elif lanes_codex_env; then agent=codex
  elif [ "$GEMINI_CLI" = 1 ]; then agent=gemini-cli
  fi
}
`;

export function provenanceShim(p: ShimParams): string {
  return (
    header(PROVENANCE_HOOK, p) +
    CHAIN +
    NODE +
    GITDIR +
    `lanes_needs_trailers() {
  case $2 in merge|squash|commit) return 1 ;; esac
  [ -f "$1" ] || return 1
  lanes_transient && return 1
  while IFS= read -r l || [ -n "$l" ]; do
    case $l in Lane:*) return 1 ;; esac
  done < "$1"
}
# Nothing to add (a merge, squash or amend, a Lane: trailer already, a rebase picking commits):
# decided before sh parses the rest of this script, which it reads command by command (a
# 30-commit rebase runs this hook 30 times).
if ! lanes_needs_trailers "$@"; then
  lanes_prev && exec "$p" "$@"
  exit 0
fi
` +
    SH_CLAIM_TASK +
    SH_TRAILERS +
    `# The trailers appended by sh as git would (trailer-sh.ts); git itself where config could make it
# differ or sh cannot mirror the message.
lanes_trailers_sh() {
  case $lanes_kind in delivery|review) ;; *) return 0 ;; esac
  [ -n "$lanes_role" ] || return 0
  msg=$1
  set -- Lane "$lanes_role"
  lanes_claim_task "\${lanes_own#refs/heads/}"
  [ -z "$task" ] || set -- "$@" Task "$task"
  lanes_agent
  [ -z "$agent" ] || set -- "$@" Agent "$agent"
  if lanes_trailers_plain; then
    lanes_append_trailers "$msg" "$@"
    case $? in
      0) return 0 ;;
      2) echo "lanes-hooks: no provenance trailers added: git interpret-trailers never returns on a message with a scissors line after a '---' line" >&2
         return 0 ;;
    esac
  fi
  a=$#
  while [ $a -gt 0 ]; do set -- "$@" --trailer "$1: $2"; shift 2; a=$((a - 2)); done
  ${SH_GIT} ${TRAILER_PINS.join(' ')} interpret-trailers --in-place --where end --if-exists doNothing --if-missing add "$@" "$msg" ||
    echo "lanes-hooks: could not add the provenance trailers (Lane:, Task:)" >&2
}
if lanes_fast; then lanes_trailers_sh "$1"
else lanes_node "$@" 2>/dev/null || :
fi
lanes_prev && exec "$p" "$@"
exit 0
`
  );
}

export function passThroughShim(hook: string, p: ShimParams): string {
  return header(hook, p) + CHAIN + `lanes_prev && exec "$p" "$@"\nexit 0\n`;
}
