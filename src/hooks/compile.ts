// The compiled policy: a small sh file in each worktree's own git dir that lets the shims allow
// the common cases (a commit on the lane's own branch inside its scope, moves of ungoverned refs)
// without starting Node. It may only ever ALLOW: anything it cannot decide exactly, and every
// refusal, goes to Node. It never goes stale: it embeds the exact contents of everything its
// decision depends on (the integration refs the committed policy was read from, the repository's
// and the worktree's own config, the runtime version, the worktree's path) and the shim compares
// them before trusting it.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import {
  COMPILED_FILE,
  COMPILED_JSON,
  factsTrusted,
  readText,
  type CompiledFacts,
} from '../agents/compiled.js';
import { realPath as real } from '../util/real-path.js';
import path from 'node:path';
import type { LanesConfig } from '../config/schema.js';
import { integrationRef, releaseRef, remoteRef } from '../lanes/names.js';
import { lanePolicy, type Policy } from '../lanes/policy.js';
import type { Lane } from '../lanes/resolve.js';
import { globMatcher, scopeGlobs, scopeRegExps } from '../policy/scope.js';
import { shadowPatterns } from '../policy/release-exact-sha.js';
import { writeFileAtomic } from '../util/fs.js';
import { shellQuote } from '../util/sh.js';
import { SH_GIT } from '../git/exec.js';
import { treeListing } from '../git/tree-files.js';
import { systemConfigFile } from '../git/config-files.js';
import type { Worktree } from '../git/repo.js';
import { CONFIG_PLACES, searchConfig } from '../config/load.js';
import { laneOf } from '../lanes/facts.js';
import { VERSION } from '../version.js';

export { COMPILED_FILE, COMPILED_JSON };
/** Ref values the shims found to hold the compiled policy (compile.ts, lanes_same_policy). */
export const SEEN_FILE = 'lanes-hooks.policy-seen';
const SEEN_MAX = 16;

const q = shellQuote;

/**
 * Characters that make a glob more than a literal path for picomatch: the glob and extglob
 * syntax, and `"` and `|`, which picomatch also reads specially (found by the differential test).
 */
const GLOB_CHARS = /[*?[\]{}()!+@\\"|]/;

/**
 * A picomatch glob (dot: true) as an sh `case` pattern that matches exactly the same git paths,
 * or null when no exact translation is known. Git paths are normalized (no `.`/`..`/empty
 * segments, no trailing slash), so `lit/**` is exactly `lit` or `lit/` followed by anything.
 */
export function globToCase(glob: string): string | null {
  if (!glob || glob.startsWith('./') || glob.startsWith('/') || glob.includes('//')) return null;
  const star = glob.endsWith('/**') ? glob.slice(0, -3) : null;
  const literal = star ?? glob;
  if (
    !literal ||
    GLOB_CHARS.test(literal) ||
    literal.split('/').some((s) => s === '.' || s === '..' || s === '')
  )
    return null;
  return star !== null ? `${q(literal)}|${q(literal)}/*` : q(literal);
}

/**
 * The same translation as an anchored ERE (for `LC_ALL=C grep -E` over many names at once), or null.
 * A newline in a pattern would split it into two patterns for grep: such literals stay with `case`.
 */
export function globToRegex(glob: string): string | null {
  if (globToCase(glob) === null || glob.includes('\n')) return null;
  const star = glob.endsWith('/**');
  const literal = (star ? glob.slice(0, -3) : glob).replace(/[.[\]\\*^$()+?{}|]/g, '\\$&');
  return star ? `${literal}(/.*)?` : literal;
}

/**
 * One component of a name no suspect pattern can touch (shims.ts SH_SUSPECT_RE), as an ERE over
 * bytes (C locale): bytes outside printable ASCII (UTF-8 names), then a printable character that
 * is not `.`, `/`, `\\` or `~`, then anything but `/`, `\\` and `~`. So no component is empty,
 * `.`, `..` or starts (ignorable code points aside) with the `.` of `.git`, and no `git~` or NTFS
 * backslash segment can occur. Lines git quotes start with `"`, which no scope literal does here.
 */
const PLAIN_COMPONENT = '[^ -~]*[][:alnum:] !"#$%&\'()*+,:;<=>?@^_`{|}[-][^/~\\\\]*';
/** A scope literal every component of which the same rule accepts (checked on characters). */
const PLAIN_LITERAL =
  /^[^ -~/]*[\w !"#$%&'()*+,:;<=>?@^`{|}[\]-][^/~\\]*(\/[^ -~/]*[\w !"#$%&'()*+,:;<=>?@^`{|}[\]-][^/~\\]*)*$/u;

/**
 * The scope as one anchored ERE that matches only names inside it that are also plain (no
 * suspect component, see PLAIN_COMPONENT) and no config place: one `grep -cv` over a long listing
 * then does what a suspect grep and a scope grep did. A subset of the scope: what it does not
 * match goes to the two greps' exact checks or to Node. '' when a glob does not translate, a
 * literal is not plain, or a config place lies in the scope.
 */
export function plainScopeRegex(globs: readonly string[]): string {
  if (!globs.length) return '';
  const parts: string[] = [];
  for (const glob of globs) {
    if (globToRegex(glob) === null) return '';
    const star = glob.endsWith('/**');
    const literal = star ? glob.slice(0, -3) : glob;
    // eslint-disable-next-line no-control-regex
    if (!PLAIN_LITERAL.test(literal) || /[\u0000-\u001f\u007f]/.test(literal)) return '';
    const lit = literal.replace(/[.[\]\\*^$()+?{}|]/g, '\\$&');
    parts.push(star ? `${lit}(/${PLAIN_COMPONENT})*` : lit);
  }
  const inScope = globMatcher([...globs]);
  if (CONFIG_PLACES.some((p) => inScope(p))) return '';
  return `^(${parts.join('|')})$`;
}

/** The sh lines of a file, as the shim reads them back: every line ends in a newline. */
function asReadBack(text: string): string {
  if (text === '') return '';
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((l) => `${l}\n`).join('');
}

/**
 * A config file's lines as lanes_same_config reads them: without its plain `[branch "<name>"]`
 * sections. git writes a branch's upstream there (`push -u`, a branch made from a remote-tracking
 * one, `review refresh`), into the config every worktree shares, and no decision reads a
 * `branch.*` key; compared whole, each such write made every lane's compiled policy stale and sent
 * the next hook of every lane to Node (issue 31). Only a header alone on its line (after blanks),
 * naming a branch without quotes, backslashes or brackets, starts such a section; the next line
 * whose first non-blank character is "[" ends it. Anything less plain is compared, so a line git
 * would read as another section's key is never dropped: at worst the policy reads as stale.
 */
export function configWithoutBranchSections(text: string): string {
  const lines = asReadBack(text).split('\n');
  lines.pop();
  let skip = false;
  let out = '';
  for (const l of lines) {
    const t = l.replace(/^[ \t]+/, '');
    if (t.startsWith('[')) skip = false;
    const m = /^\[branch "([\s\S]*)"\]$/.exec(t);
    if (m && !/["\\[\]]/.test(m[1]!)) skip = true;
    if (!skip) out += `${l}\n`;
  }
  return out;
}

interface Input {
  file: string;
  /** null: the file must not exist. */
  content: string | null;
}

/** The config sources cosmiconfig would look at, up to the one it found, as they are now. */
function configInputs(top: string): Input[] | null {
  const found = searchConfig(top)?.filepath ?? null;
  if (found && !/\.(json|ya?ml)$|\/\.lanesrc$|package\.json$/.test(found)) return null; // JS/TS configs run code: never compiled
  const inputs: Input[] = [];
  for (const place of CONFIG_PLACES) {
    const file = path.join(top, place);
    const present = existsSync(file);
    inputs.push({ file, content: present ? readFileSync(file, 'utf8') : null });
    if (found && path.resolve(file) === path.resolve(found)) break;
  }
  return inputs;
}

/** A file as it is now (null: absent). */
function fileInput(file: string): Input {
  return { file, content: existsSync(file) ? readFileSync(file, 'utf8') : null };
}

/** Everything a compiled decision depends on, as it is now; null: not compilable. */
function policyInputs(wt: Worktree, policy: Policy): Input[] | null {
  if (!wt.top) return null;
  // The pin lives in the repository's config; the role in the worktree's own.
  const inputs = [fileInput(path.join(wt.commonDir, 'config'))];
  // Files count only where the policy (or the integration branch's name) came from them.
  if (!policy.refs.length || !policy.pinned) {
    const files = configInputs(wt.top);
    if (!files) return null;
    inputs.push(...files);
  }
  inputs.push(fileInput(path.join(wt.gitDir, 'config.worktree')));
  return inputs.some((i) => i.content?.includes('\0')) ? null : inputs;
}

/** JS and TS configs run code (they may read the environment, the clock): never compiled. */
const runsCode = (source: string) => /\.[cm]?[jt]s$/.test(source);

/** A lane branch that is also a governed name needs Node's full rules: never compiled. */
function ownIsGoverned(config: LanesConfig, lane: Lane): boolean {
  const own = lane.ownBranch;
  return (
    !!own &&
    (own === releaseRef(config) ||
      own === integrationRef(config) ||
      own.startsWith(`refs/heads/${config.branches.review.split('{role}')[0]}`))
  );
}

export function compiledFacts(
  wt: Worktree,
  policy: Policy,
  lane: Lane,
  version: string,
  /** The facts compiled before (reusable, below): their processes' answers taken where exact. */
  prior: Reusable | null = null,
): CompiledFacts | null {
  const { config } = policy;
  const inputs = policyInputs(wt, policy);
  // A stand-in for a broken committed policy (lanes/policy.ts) is not compiled: Node decides.
  if (!inputs || !wt.top || ownIsGoverned(config, lane) || runsCode(policy.source) || policy.broken)
    return null;
  return {
    version,
    top: wt.top,
    common: wt.commonDir,
    refs: policy.refs.map((r) => ({
      ...r,
      listing:
        r.sha && (prior?.listing(r.ref, r.sha) ?? treeListing(r.sha, CONFIG_PLACES, wt.top!)),
    })),
    kind: lane.kind,
    own: lane.ownBranch ?? '',
    release: releaseRef(config),
    integration: [integrationRef(config), remoteRef(config.remote, config.integration)],
    ...compiledScope(scopeGlobs(config, lane)),
    sysconfig: prior?.sysconfig ?? systemConfigFile(),
    inputs,
  };
}

/** What a hook may take from the facts compiled before instead of starting git for it. */
interface Reusable {
  /** The config places' listing at `sha` (ls-tree of a commit: the same for the same commit). */
  listing(ref: string, sha: string): string | null;
  /** Where git reads its system config (fixed when git was built). */
  sysconfig: string | null;
}

/**
 * The answers of the facts' two kinds of git process, from the JSON compiled before: the listing of
 * a ref still at the same commit, and the system config's path (issue 29: ls-tree, `git config
 * --system --edit` and its editor's sh, three processes of every Node hook, which recompiled a
 * policy that had not changed). Only from the same runtime version and worktree. The JSON lies in
 * the worktree's git dir, as writable by the lane as the sh policy made from it: nothing taken
 * from it lets a lane do more than writing that sh would; install, setup and the after-shell check
 * (refreshCompiled, repairCompiled) ask git afresh and rewrite both.
 */
function reusable(json: string | null, top: string, version: string): Reusable | null {
  let old: CompiledFacts;
  try {
    old = JSON.parse(json ?? '') as CompiledFacts;
  } catch {
    return null;
  }
  if (!old || typeof old !== 'object' || old.version !== version || old.top !== top) return null;
  const refs = Array.isArray(old.refs) ? old.refs : [];
  const sys = old.sysconfig;
  return {
    listing: (ref, sha) => {
      const r = refs.find((x) => x && x.ref === ref && x.sha === sha);
      return typeof r?.listing === 'string' ? r.listing : null;
    },
    sysconfig: typeof sys === 'string' && sys.startsWith('/') && !sys.includes('\n') ? sys : null,
  };
}

/**
 * The scope's globs, and what they match as regular expressions (policy/scope.ts), so that the
 * light entry decides a write without loading or running picomatch. Globs picomatch cannot
 * compile get no expressions: the light entry then leaves every write to the full check.
 */
function compiledScope(globs: string[] | null): Pick<CompiledFacts, 'scope' | 'scopeRe'> {
  if (globs === null) return { scope: null };
  const re = scopeRegExps(globs);
  return re ? { scope: globs, scopeRe: re } : { scope: globs };
}

/** The facts as the sh the shims source (the same decision data as the JSON twin). */
export function compiledPolicy(facts: CompiledFacts, config: LanesConfig, lane: Lane): string {
  const { version, top, inputs, refs, scope: globs } = facts;
  const cases = globs === null ? null : globs.map(globToCase);
  const scopeBody =
    globs === null
      ? '  return 0'
      : cases!.some((c) => c === null)
        ? '  return 1'
        : cases!.length
          ? `  case $1 in\n    ${cases!.join('|')}) return 0 ;;\n  esac\n  return 1`
          : '  return 1';
  const regexes = globs === null ? null : globs.map(globToRegex);
  const scopeRegex =
    regexes && regexes.length && regexes.every((r) => r !== null) ? `^(${regexes.join('|')})$` : '';
  const [reviewPrefix, reviewSuffix] = config.branches.review.split('{role}') as [string, string];
  const shadows = shadowPatterns(config);

  return `# lanes-hooks compiled policy (written by lanes-hooks ${version}; regenerated when stale)
lanes_c_version=${q(version)}
lanes_c_top=${q(top)}
lanes_c_common=${q(facts.common)}
lanes_c_sysconfig=${q(facts.sysconfig ?? '')}
lanes_kind=${q(facts.kind)}
lanes_own=${q(facts.own)}
lanes_owner=${q(lane.owner ?? '')}
lanes_role=${q(lane.role ?? '')}
lanes_claim=${config.queue.requireClaim ? 1 : 0}
lanes_trailers=${config.trailers.require ? 1 : 0}
lanes_release=${q(facts.release)}
lanes_integration=${q(integrationRef(config))}
lanes_remote=${q(config.remote)}
lanes_scope_re=${q(scopeRegex)}
lanes_scope_plain_re=${q(globs === null ? '' : plainScopeRegex(globs))}
lanes_c_inputs=${q(inputList(inputs))}
lanes_fresh() {
  [ "$lanes_c_version" = "$version" ] && [ "$lanes_c_top" = "$PWD" ] || return 1
${inputs.map((i) => (i.content === null ? `  [ ! -e ${q(i.file)} ] || return 1` : i.file === path.join(facts.common, 'config') ? `  lanes_same_config ${q(i.file)} ${q(configWithoutBranchSections(i.content))} || return 1` : `  lanes_same ${q(i.file)} ${q(asReadBack(i.content))} || return 1`)).join('\n')}
  lanes_fresh_refs
}
# The refs the policy came from, as lanes_fresh checks them (also after a fresh note: shims.ts).
lanes_fresh_refs() {
${refs.map((r) => `  lanes_ref ${q(r.ref)} ${q(r.sha ?? '')}${r.listing === null ? '' : ` || lanes_same_policy ${q(r.ref)} ${q(r.listing)}`} || return 1`).join('\n')}
  return 0
}
# A ref's value as git stores it: a loose file, else a line of packed-refs. Anything unclear
# (a symbolic ref, a name that only starts like it) reads as changed: Node decides then.
lanes_ref() {
  f=$lanes_c_common/$1
  v=
  if [ -f "$f" ]; then IFS= read -r v < "$f"; [ "$v" = "$2" ]; return; fi
  f=$lanes_c_common/packed-refs
  if [ -n "$2" ]; then [ -f "$f" ] && LC_ALL=C grep -qxF "$2 $1" "$f"; return; fi
  [ ! -f "$f" ] || ! LC_ALL=C grep -qF " $1" "$f"
}
# The ref moved on (a merge on integration): the same config places with the same blobs are the
# same policy. One git process per new value of the ref: a value found to hold the same policy is
# noted in ${SEEN_FILE} ("<ref> <sha>" a line, at most ${SEEN_MAX}; Node's next compile clears it),
# so the next hook runs decide with no process at all. A new policy commit is a new value: read.
lanes_same_policy() {
  seen=$gd/${SEEN_FILE} k=0
  if [ -n "$v" ] && [ -f "$seen" ]; then
    while IFS= read -r s; do
      k=$((k + 1))
      [ "$s" != "$1 $v" ] || return 0
    done < "$seen"
  fi
  l=$(${SH_GIT} ls-tree --full-tree "$1" -- ${CONFIG_PLACES.map(q).join(' ')} 2>/dev/null) || return 1
  [ "$l" = "$2" ] || return 1
  [ -n "$v" ] || return 0
  if [ $k -lt ${SEEN_MAX} ]; then echo "$1 $v" >> "$seen"; else echo "$1 $v" > "$seen"; fi 2>/dev/null
  return 0
}
lanes_same() {
  [ -f "$1" ] || return 1
  c=
  while IFS= read -r l || [ -n "$l" ]; do c="$c$l
"; done < "$1"
  [ "$c" = "$2" ]
}
# lanes_same for the repository's config, without its [branch "<name>"] sections (git writes
# upstreams there; configWithoutBranchSections in compile.ts says which lines, exactly as here).
lanes_same_config() {
  [ -f "$1" ] || return 1
  c= skip=
  while IFS= read -r l || [ -n "$l" ]; do
    t=$l
    while :; do case $t in ' '* | '	'*) t=\${t#?} ;; *) break ;; esac; done
    case $t in '['*) skip= ;; esac
    case $t in
      '[branch "'*'"]')
        n=\${t#'[branch "'}
        n=\${n%'"]'}
        case $n in *'"'* | *'\\'* | *'['* | *']'*) ;; *) skip=1 ;; esac ;;
    esac
    [ -n "$skip" ] || c="$c$l
"
  done < "$1"
  [ "$c" = "$2" ]
}
lanes_in_scope() {
${scopeBody}
}
# A name git resolves before a governed branch, or one differing from it only in case.
lanes_shadow() {
  case $1 in ${shadows.exact.join('|')}) return 1 ;; esac
  case $1 in ${shadows.any.join('|')}) return 0 ;; esac
  return 1
}
lanes_is_review() {
  case $1 in refs/heads/${q(reviewPrefix)}*${q(reviewSuffix)}) return 0 ;; esac
  return 1
}
`;
}

/**
 * lanes_c_inputs: the files lanes_fresh compares, one a line, "+" before one that must be there,
 * "-" before one that must not; empty (no fresh note is taken) when a name holds a line break.
 */
function inputList(inputs: Input[]): string {
  if (inputs.some((i) => i.file.includes('\n'))) return '';
  return inputs.map((i) => `${i.content === null ? '-' : '+'}${i.file}\n`).join('');
}

/** The sh policy of a worktree whose policy does not compile (only ever rewritten, never made). */
const NOT_COMPILABLE =
  '# not compilable: every decision goes to Node\nlanes_fresh() { return 1; }\n';

/**
 * What the light entry (agents/fast.ts) decides from and what makes it trust the facts: two
 * facts with the same of both decide the same. Paths compared as real paths; `sysconfig` is the
 * sh twin's alone.
 */
function decisionOf(f: CompiledFacts): string {
  return JSON.stringify([
    real(f.top),
    real(f.common),
    f.kind,
    f.own,
    f.release,
    f.scope,
    f.scopeRe ?? null,
    f.integration ?? null,
    f.inputs.map((i) => [i.file, i.content]),
    f.refs.map((r) => [r.ref, r.sha]),
  ]);
}

/** factsTrusted on a file anyone may have written: a shape it does not expect is not trusted. */
function trusted(disk: CompiledFacts | null, top: string, version: string): boolean {
  try {
    if (!factsTrusted(disk, top, version)) return false;
    decisionOf(disk); // every field the comparison reads is there
    return true;
  } catch {
    return false; // the light entry throws on it too, and then leaves the decision to this CLI
  }
}

/**
 * The after-shell check's comparison (hooks/agent-hook.ts): the compiled policy's files that would
 * be trusted as they are (the JSON by the light entry, the sh by the shims) but are not what
 * compiling the policy gives now, written back. Only something other than lanes-hooks writes
 * such a file: lanes-hooks writes both from the same facts, and a policy that changed since makes
 * the old files untrusted (their inputs differ), which is refreshed here without a word.
 */
export function repairCompiled(
  wt: Worktree,
  policy: Policy,
  lane: Lane,
  version: string,
): string[] {
  if (!wt.top) return [];
  const jsonFile = path.join(wt.gitDir, COMPILED_JSON);
  const shFile = path.join(wt.gitDir, COMPILED_FILE);
  let want: CompiledFacts | null;
  try {
    want = compiledFacts(wt, policy, lane, version);
  } catch {
    return [];
  }
  const json = readText(jsonFile);
  let disk: CompiledFacts | null = null;
  try {
    disk = JSON.parse(json ?? '') as CompiledFacts | null;
  } catch {
    /* not JSON: the light entry trusts nothing then */
  }
  const forged: string[] = [];
  let jsonTrue = json === null || json === JSON.stringify(want) + '\n';
  if (!jsonTrue && trusted(disk, wt.top, version)) {
    if (want === null || decisionOf(disk!) !== decisionOf(want)) forged.push(jsonFile);
    else jsonTrue = true;
  }
  // Both files are written from the same facts: while the JSON is what compiling gives now (or was
  // forged, its inputs being those of now), the sh must be too.
  const sh = readText(shFile);
  const wantSh = want && compiledPolicy(want, policy.config, lane);
  const shTrue = sh === null || sh === (wantSh ?? NOT_COMPILABLE);
  if (!shTrue && ((jsonTrue && json !== null) || forged.length)) forged.push(shFile);
  writeCompiled(wt, policy, lane, version, want);
  return forged;
}

/** Refresh the worktree's compiled policy when it differs (every Node hook run and install call this). */
export function writeCompiled(
  wt: Worktree,
  policy: Policy,
  lane: Lane,
  version: string,
  /** The facts, when the caller compiled them already (repairCompiled, refreshCompiled). */
  made?: CompiledFacts | null,
): void {
  const file = path.join(wt.gitDir, COMPILED_FILE);
  try {
    // The inputs are read once; the sh policy and its JSON twin are both made from them.
    const json = path.join(wt.gitDir, COMPILED_JSON);
    const before = readText(json);
    const facts =
      made !== undefined
        ? made
        : compiledFacts(
            wt,
            policy,
            lane,
            version,
            wt.top ? reusable(before, wt.top, version) : null,
          );
    const factsText = JSON.stringify(facts) + '\n';
    if (before !== factsText) writeFileAtomic(json, factsText);
    const text = facts && compiledPolicy(facts, policy.config, lane);
    if (!text) {
      if (existsSync(file)) writeFileAtomic(file, NOT_COMPILABLE);
      return;
    }
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) {
      writeFileAtomic(file, text);
      // What the shims noted held the old policy; this one is checked afresh.
      rmSync(path.join(wt.gitDir, SEEN_FILE), { force: true });
    }
  } catch {
    // The fast path is an optimisation: when it cannot be written, Node decides every time.
  }
}

/**
 * Recompute a worktree's compiled policy from scratch (install, setup). `policy`: the policy
 * lanePolicy(wt) gives, where the caller already read it for another worktree of the same
 * repository (setup: one read for every lane, see lifecycle/setup.ts for when that holds).
 */
export function refreshCompiled(wt: Worktree, policy?: Policy): void {
  if (!wt.top) return;
  try {
    policy ??= lanePolicy(wt);
    const lane = laneOf(wt, policy.config);
    // Asked afresh (nothing reused from the files compiled before): install and setup repair.
    writeCompiled(wt, policy, lane, VERSION, compiledFacts(wt, policy, lane, VERSION));
  } catch {
    // A policy that does not load compiles to nothing: every hook then runs Node and says why.
  }
}
