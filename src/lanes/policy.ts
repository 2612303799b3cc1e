// Where the policy comes from: the config committed on the integration branch, for every lane,
// the hub and CI alike. Never a worktree's files: an unstaged edit of .lanesrc.json or an
// untracked package.json with a "lanes" key would otherwise widen a lane's own scope.
//
// Which branch is integration is itself part of the config, so the search starts from a pinned
// name (the repository's `lanes.integration`, written by install and setup; on a hub its HEAD) and
// follows the committed config once if it names another branch, whose own config must agree.
import path from 'node:path';
import { compactProblem } from '../config/json-position.js';
import { CONFIG_PLACES, loadConfigFiles, loadConfig } from '../config/load.js';
import type { LanesConfig } from '../config/schema.js';
import { git, gitMaybe } from '../git/exec.js';
import type { Worktree } from '../git/repo.js';
import { roleFromTemplate } from './names.js';
import { readIndexFiles, readTreeFiles, refTips, type TreeFile } from '../git/tree-files.js';
import { EXIT, UserError } from '../util/errors.js';

/** The repository's pinned integration branch (common config). */
export const INTEGRATION_PIN = 'lanes.integration';
const DEFAULT_INTEGRATION = 'master';

/** A ref the policy was read from (or that must stay absent for it to hold), for the fast path. */
export interface PolicyRef {
  ref: string;
  /** null: the ref did not exist when the policy was read. */
  sha: string | null;
}

export interface Policy {
  config: LanesConfig;
  /** Where it was read: `master:.lanesrc.json`, a file, or a note that no committed one exists. */
  source: string;
  /** The refs it depends on, in the order they were looked up; empty when read from files. */
  refs: PolicyRef[];
  /** Whether the integration name came from the pin (else from the worktree's own config). */
  pinned: boolean;
  /** Something the user should know (printed by the commands, not by every hook). */
  warning?: string;
  /**
   * Set when integration's committed config does not load and the coordinator follows a stand-in
   * (its working tree, else the last good committed one): the loader's message about the broken one.
   */
  broken?: string;
}

/** The config committed at `sha` (a commit or tag), or null when its tree holds none. */
export function committedConfig(sha: string, origin: string, cwd?: string) {
  if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(sha))
    return loadConfigFiles(readTreeFiles(sha, CONFIG_PLACES, cwd), origin);
  // An object id names the same tree for ever: read once per repository directory in a process
  // (issue 29: a process that runs several commands, the demo tour's, read the same policy commit
  // for every command, a cat-file and a config load each). A config that does not load is not
  // kept: it throws again, with the same message.
  const key = JSON.stringify([path.resolve(cwd ?? process.cwd()), sha, origin]);
  const kept = committedMemo.get(key);
  if (kept !== undefined) return structuredClone(kept);
  const loaded = loadConfigFiles(readTreeFiles(sha, CONFIG_PLACES, cwd), origin);
  if (committedMemo.size >= 64) committedMemo.clear();
  try {
    committedMemo.set(key, structuredClone(loaded));
  } catch {
    // Not cloneable: read again next time.
  }
  return loaded;
}

const committedMemo = new Map<string, ReturnType<typeof loadConfigFiles>>();

interface Found {
  config: LanesConfig;
  source: string;
  refs: PolicyRef[];
}

/**
 * The committed policy of integration branch `name`: its own tip (`refs/heads/<name>`), else the
 * remote-tracking branch. null when neither exists or neither holds a config; throws (exit 2)
 * when the config there is invalid or names an integration branch that disagrees.
 */
export function integrationPolicy(name: string, remotes: string[], cwd?: string): Found | null {
  const first = readAt(name, remotes, cwd);
  if (!first?.config) return null;
  if (first.config.integration === name) return first as Found;
  const second = readAt(first.config.integration, remotes, cwd);
  const refs = [...first.refs, ...(second?.refs ?? [])];
  if (!second?.config)
    throw new UserError(
      `${first.source}: names ${JSON.stringify(first.config.integration)} as the integration branch, which holds no lanes config: commit the same config there, or pin the branch: git config ${INTEGRATION_PIN} ${first.config.integration}`,
      EXIT.usage,
    );
  if (second.config.integration !== first.config.integration)
    throw new UserError(
      `${first.source} names ${first.config.integration} as the integration branch, but ${second.source} names ${second.config.integration}: make them agree`,
      EXIT.usage,
    );
  return { config: second.config, source: second.source, refs };
}

function readAt(name: string, remotes: string[], cwd?: string) {
  const candidates = [`refs/heads/${name}`, ...remotes.map((r) => `refs/remotes/${r}/${name}`)];
  const tips = refTips(candidates, cwd);
  const refs: PolicyRef[] = [];
  for (const ref of candidates) {
    const sha = tips.get(ref) ?? null;
    refs.push({ ref, sha });
    if (!sha) continue;
    const label = ref.replace(/^refs\/(heads|remotes)\//, '');
    const loaded = committedConfig(sha, label, cwd);
    return { config: loaded?.config ?? null, source: loaded?.file ?? `${label}`, refs };
  }
  return null;
}

/**
 * The policy a worktree's hooks and commands follow: integration's committed config. The main
 * worktree (the coordinator, unrestricted but for release) falls back to its own files while no
 * committed config exists yet (bootstrap) or while the committed one is broken (so that it can
 * commit the repair); every other worktree then fails closed (exit 2) and says how to bootstrap.
 */
export function lanePolicy(wt: Worktree): Policy {
  const cwd = wt.top ?? wt.gitDir;
  // Read from the repository's config file alone: `git -c lanes.integration=…` (which reaches
  // hooks through GIT_CONFIG_PARAMETERS) must not move the policy source.
  const pin =
    gitMaybe(['config', '--file', path.join(wt.commonDir, 'config'), '--get', INTEGRATION_PIN], {
      cwd,
    })?.trim() || null;
  // The worktree's own files name the integration branch only while nothing is pinned (install
  // and setup pin it), and are the coordinator's policy only while nothing is committed.
  let files: ReturnType<typeof ownFiles> | undefined;
  const ownConfig = () => (files ??= ownFiles(wt)).config;
  const name = pin ?? ownConfig()?.integration ?? DEFAULT_INTEGRATION;
  const remotes = pin ? ['origin'] : [...new Set([ownConfig()?.remote ?? 'origin', 'origin'])];
  let found: Found | null;
  try {
    found = integrationPolicy(name, remotes, cwd);
  } catch (e) {
    if (!(e instanceof UserError) || !wt.isMain) throw e;
    // The coordinator must be able to commit the repair, even when its working tree is broken
    // too (a partial repair): then the last good committed config stands in, and pre-commit
    // judges the staged file on its own (config-invalid), so the refusal names the NEW file.
    const tip = refTips(
      [`refs/heads/${name}`, ...remotes.map((r) => `refs/remotes/${r}/${name}`)],
      cwd,
    );
    const at = tip.get(`refs/heads/${name}`) ?? [...tip.values()][0];
    const standIn = ownConfig()
      ? { config: ownConfig()!, source: 'the coordinator’s working tree' }
      : at
        ? lastGoodPolicy(at, name, cwd)
        : null;
    if (!standIn) throw e;
    return {
      ...standIn,
      refs: [],
      pinned: !!pin,
      broken: e.message,
      warning: `the committed policy is broken (${compactProblem(e.message)}); the coordinator follows ${standIn.source} until the fix is committed on ${name}, and every lane refuses until then`,
    };
  }
  if (found) {
    if (pin) refuseLanePin(pin, found);
    return { ...found, pinned: !!pin };
  }
  if (wt.isMain) {
    const config = ownConfig();
    if (!config) throw new UserError(files!.problem ?? 'no config', EXIT.usage);
    return {
      config,
      source: 'the coordinator’s working tree (nothing committed yet)',
      refs: [],
      pinned: !!pin,
      warning: `no lanes config is committed on ${name} yet: the lanes follow only a committed one. Commit it: git add .lanesrc.json && git commit -m "lanes policy"`,
    };
  }
  throw new UserError(
    `lanes-hooks: no lanes policy is committed on ${name}${pin ? ` (pinned by ${INTEGRATION_PIN})` : ''}: the lanes follow only the config committed on the integration branch, so nothing is allowed here until it exists.\n` +
      `  fix: in the coordinator: lanes-hooks init (if there is no .lanesrc.json yet), then git add .lanesrc.json && git commit -m "lanes policy" on ${name}`,
    EXIT.usage,
  );
}

/** The lane model's own branch templates: a pin into them is refused whatever a config says. */
const DEFAULT_TEMPLATES = ['agent/{role}', 'review/{role}'];

/**
 * Issue 28, route (b): `lanes.integration` lives in the common config, which every lane can write
 * (`git config lanes.integration agent/A-backend`, where the lane committed a wider config naming
 * itself as integration with --no-verify): the policy of the coordinator and of every lane would be
 * the lane's own. A pin that names a lane, review or release branch (by the found config's
 * templates and by the lane model's defaults, which that config cannot rename) fails closed.
 */
function refuseLanePin(pin: string, found: Found): void {
  const c = found.config;
  const templates = [c.branches.role, c.branches.review, ...DEFAULT_TEMPLATES];
  const lane = templates.find((t) => roleFromTemplate(t, pin) !== null);
  if (pin !== c.release && !lane) return;
  throw new UserError(
    `lanes-hooks: refused: ${INTEGRATION_PIN} names ${JSON.stringify(pin)}, ${pin === c.release ? 'the release branch' : `a lane's branch (${lane})`}: the integration branch is never a lane, review or release branch, so no policy is read from it (${found.source}).\n` +
      `  fix: in the coordinator: git config ${INTEGRATION_PIN} <the integration branch, e.g. master>   (lanes-hooks doctor shows the hub's)`,
    EXIT.usage,
  );
}

/** The worktree's own config files, read once; a problem is kept for whoever needs them. */
function ownFiles(wt: Worktree): { config: LanesConfig | null; problem: string | null } {
  if (!wt.top) return { config: null, problem: null };
  try {
    return { config: loadConfig(wt.top).config, problem: null };
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return { config: null, problem: e.message };
  }
}

/** The config places `commit`'s tree holds, place -> blob id (one ls-tree, nothing read). */
export function configBlobs(commit: string, cwd?: string): Map<string, string> {
  const out = new Map<string, string>();
  const listing = git(['ls-tree', '-z', '--full-tree', commit, '--', ...CONFIG_PLACES], { cwd });
  for (const entry of listing.split('\0').filter(Boolean)) {
    const tab = entry.indexOf('\t');
    const [, type, blob] = entry.slice(0, tab).split(' ');
    if (type === 'blob') out.set(entry.slice(tab + 1), blob!);
  }
  return out;
}

/** A package.json the policy reads is small: a larger one is never parsed. */
const MAX_PACKAGE_JSON = 1 << 20;

/** package.json's `lanes` key (all the policy reads of it), canonical; null when absent. */
export function packageLanes(blob: string | undefined, cwd?: string): string | null {
  if (!blob) return null;
  const size = Number(gitMaybe(['cat-file', '-s', blob], { cwd }) ?? NaN);
  if (!(size <= MAX_PACKAGE_JSON)) return `oversized ${blob}`;
  try {
    const raw = JSON.parse(git(['cat-file', 'blob', blob], { cwd })) as Record<string, unknown>;
    return raw?.lanes === undefined ? null : JSON.stringify(raw.lanes);
  } catch {
    return `unparsable ${blob}`;
  }
}

/** git's id of the empty blob: what a sign-off of "no committed policy" names. */
export const EMPTY_BLOB = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391';

/**
 * The policy file of a tree (the first config place it holds, in search order; package.json only
 * with a `lanes` key) and its blob id: the exact content a policy sign-off names
 * (merge-requirements). No file: the empty blob.
 */
export function policyBlob(
  blobs: Map<string, string>,
  cwd?: string,
): { file: string | null; blob: string } {
  const file =
    CONFIG_PLACES.find(
      (p) => blobs.has(p) && (p !== 'package.json' || packageLanes(blobs.get(p), cwd) !== null),
    ) ?? null;
  return { file, blob: file ? blobs.get(file)! : EMPTY_BLOB };
}

/**
 * The newest config on `tip`'s first-parent history that loads and names `name` as integration
 * (checked only where the config places changed): what judges the repair of a broken policy.
 */
export function lastGoodPolicy(
  tip: string,
  name: string,
  cwd?: string,
): { config: LanesConfig; source: string } | null {
  const changed = git(
    [
      'rev-list',
      '--first-parent',
      '-n',
      '200',
      tip,
      '--',
      '.lanesrc*',
      '.config/lanesrc*',
      'package.json',
      'lanes.config.*',
    ],
    { cwd },
  )
    .split('\n')
    .filter(Boolean);
  for (const commit of changed) {
    try {
      const loaded = committedConfig(commit, commit.slice(0, 12), cwd);
      if (loaded?.config.integration === name)
        return { config: loaded.config, source: loaded.file! };
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
    }
  }
  return null;
}

/** Why a policy that should load does not: the loader's message, naming file, line and reason. */
export type PolicyProblem = string | null;

/**
 * Whether policy files load (parse and schema, as every lane, the hub and CI would read them
 * once committed on integration): null when they do, else why. `before` are the same places as
 * they were (HEAD, the remote's old tip): a policy that was there and is gone is a problem too,
 * one that was never there is not (the first commits of a repository precede its config).
 */
export function policyProblem(
  files: TreeFile[],
  origin: string,
  before: () => TreeFile[],
  where: string,
): PolicyProblem {
  try {
    if (loadConfigFiles(files, origin)) return null;
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return e.message;
  }
  try {
    if (!loadConfigFiles(before(), 'before')) return null;
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return null; // it did not load before either: nothing that loaded is lost
  }
  return `${where} holds no lanes config any more (no .lanesrc.json, nor any other config place): it would remove the policy`;
}

/** The staged policy (the index) against HEAD's: null when it loads or is the same as HEAD's. */
export function stagedPolicyProblem(cwd?: string): PolicyProblem {
  const staged = readIndexFiles(CONFIG_PLACES, cwd);
  // An unborn HEAD (the first commit) reads as holding none.
  const before = readTreeFiles('HEAD', CONFIG_PLACES, cwd);
  const same =
    staged.length === before.length &&
    staged.every((f, i) => f.place === before[i]!.place && f.content.equals(before[i]!.content));
  if (same) return null;
  return policyProblem(staged, '', () => before, 'the commit');
}

/** The policy committed at `sha`, pushed over `old` (null: a new ref). */
export function pushedPolicyProblem(
  sha: string,
  old: string | null,
  origin: string,
  cwd?: string,
): PolicyProblem {
  return policyProblem(
    readTreeFiles(sha, CONFIG_PLACES, cwd),
    origin,
    () => (old ? readTreeFiles(old, CONFIG_PLACES, cwd) : []),
    origin,
  );
}

/** The config place a loader message names (`master:.lanesrc.json: line 3, …` -> `.lanesrc.json`). */
export function problemFile(message: string): string | null {
  const first = message.split('\n')[0]!;
  const named = CONFIG_PLACES.filter(
    (p) =>
      first.startsWith(`${p}:`) ||
      first.startsWith(`${p}#`) ||
      first.includes(`:${p}:`) ||
      first.includes(`:${p}#`),
  );
  return named.sort((a, b) => b.length - a.length)[0] ?? null;
}

/** The worktree's own config files, when they do not load: the loader's message (else null). */
export function worktreeConfigProblem(top: string): string | null {
  try {
    loadConfig(top);
    return null;
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return e.message;
  }
}

/**
 * The coordinator's next action while a config does not load (status, doctor): the committed one
 * on integration first (it stops every lane), else its own working tree's (one commit away).
 */
export function brokenConfigAction(
  policy: Policy,
  top: string | null,
  isMain: boolean,
): string | null {
  const { integration, remote } = policy.config;
  if (policy.broken) {
    const file = problemFile(policy.broken) ?? '<file>';
    return `config broken: ${compactProblem(policy.broken)} → committed on ${integration}, it stops every lane (each refuses everything) until repaired: in the coordinator correct ${file}, then git add ${file} && git commit && git push ${remote} ${integration}`;
  }
  const here = isMain && top ? worktreeConfigProblem(top) : null;
  if (!here) return null;
  const file = problemFile(here) ?? '<file>';
  return `config broken here (not committed): ${compactProblem(here)} → correct ${file} before committing it (a commit of it is refused: config-invalid); lanes-hooks doctor lists every problem`;
}
