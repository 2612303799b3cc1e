// lanes-hooks verify: the hub's decision as a CI step, for forges where no pre-receive hook can be
// installed (GitHub, GitLab, Forgejo). What is judged comes from the forge's own event (a push, a
// pull request, a merge-queue group) or from the command line; how it is judged is exactly
// `guard pre-receive` (checkServerUpdates), run inside a rebuilt copy of the hub as it stood
// before the push (git/hub-mirror.ts), with the policy from integration as the hub holds it.
//
// On top, what a forge cannot protect: its rulesets and protected branches cover branches and
// tags, never refs/lanes/*, and a push there starts no workflow. So every run replays each store
// from its root through the hub's validators, and refuses a store whose history was rewritten
// since the last tip a run verified (kept as the tag lanes-verified/<store> on the remote).
import { readFileSync } from 'node:fs';
import type { LanesConfig } from '../config/schema.js';
import { gitMaybe, gitRun, ZERO_SHA } from '../git/exec.js';
import { hubMirror, pointHead, rewindRef } from '../git/hub-mirror.js';
import { isAncestor, refValues } from '../git/repo.js';
import { heads, shortBranch } from '../lanes/names.js';
import { INTEGRATION_PIN } from '../lanes/policy.js';
import type { RefUpdate, Violation } from '../policy/types.js';
import { QUEUE_REF } from '../queue/model.js';
import { REVIEWS_REF } from '../reviews/model.js';
import { AUDIT_REF } from '../store/audit.js';
import { UserError } from '../util/errors.js';
import type { Pusher } from './identity.js';
import { hubPolicy } from './policy.js';
import { checkServerUpdates } from './pre-receive.js';
import { checkStores } from './server-stores.js';

export type VerifyKind = 'push' | 'pull_request' | 'merge_group' | 'given';

/** What one verify run judges, and on whose behalf. */
export interface VerifyEvent {
  kind: VerifyKind;
  /** Which forge said so (its documented CI variables), or `command line`. */
  forge: 'github' | 'forgejo' | 'gitlab' | 'command line';
  updates: RefUpdate[];
  pusher: Pusher | null;
}

export const STORE_REFS = [QUEUE_REF, REVIEWS_REF, AUDIT_REF] as const;
/** The last store tips a run verified: tags, which every forge can protect. */
export const verifiedTag = (store: string) =>
  `refs/tags/lanes-verified/${store.slice('refs/lanes/'.length)}`;

/** A branch as the payload names it (short, or a full refs/heads/ name for merge_group). */
const branchRef = (b: string) => heads(shortBranch(b));
const sha = (s: unknown, what: string): string => {
  if (typeof s === 'string' && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(s)) return s;
  throw new UserError(`verify: the event's ${what} is not a commit id: ${JSON.stringify(s)}`);
};

/**
 * The event from the forge's environment. GitHub Actions: GITHUB_EVENT_NAME and the webhook
 * payload at GITHUB_EVENT_PATH ("Events that trigger workflows"; push: ref, before, after;
 * pull_request: pull_request.base.{ref,sha}, pull_request.head.sha; merge_group:
 * merge_group.{base_ref,base_sha,head_sha}), the actor in GITHUB_ACTOR. Forgejo and Gitea
 * Actions set the same variables (their runner is act-based) and FORGEJO_ACTIONS / GITEA_ACTIONS.
 * GitLab CI: CI_PIPELINE_SOURCE, CI_COMMIT_BEFORE_SHA / CI_COMMIT_SHA / CI_COMMIT_REF_NAME for a
 * push, CI_MERGE_REQUEST_TARGET_BRANCH_NAME and CI_MERGE_REQUEST_DIFF_BASE_SHA for a merge
 * request ("Predefined CI/CD variables reference"), the user in GITLAB_USER_LOGIN.
 *
 * A pull request, a merge request and a merge-queue group are each judged as the integration
 * move their merge would make: the base branch from its base SHA to the head.
 */
export function eventFromEnv(env: NodeJS.ProcessEnv): VerifyEvent | null {
  if (env.GITHUB_EVENT_NAME && env.GITHUB_EVENT_PATH) {
    const forge =
      env.FORGEJO_ACTIONS === 'true' || env.GITEA_ACTIONS === 'true' ? 'forgejo' : 'github';
    let payload: Record<string, any>;
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'));
    } catch (e) {
      throw new UserError(
        `verify: cannot read the event payload ${env.GITHUB_EVENT_PATH}: ${(e as Error).message}`,
      );
    }
    const actor = env.GITHUB_ACTOR?.trim();
    const pusher: Pusher | null = actor ? { name: actor, source: 'GITHUB_ACTOR' } : null;
    const name = env.GITHUB_EVENT_NAME;
    if (name === 'push')
      return {
        kind: 'push',
        forge,
        pusher,
        updates: [
          {
            old: sha(payload.before, 'before'),
            new: sha(payload.after, 'after'),
            ref: String(payload.ref),
          },
        ],
      };
    if (name === 'pull_request' || name === 'pull_request_target') {
      const pr = payload.pull_request ?? {};
      return {
        kind: 'pull_request',
        forge,
        pusher,
        updates: [
          {
            old: sha(pr.base?.sha, 'pull_request.base.sha'),
            new: sha(pr.head?.sha, 'pull_request.head.sha'),
            ref: branchRef(String(pr.base?.ref)),
          },
        ],
      };
    }
    if (name === 'merge_group') {
      const g = payload.merge_group ?? {};
      return {
        kind: 'merge_group',
        forge,
        pusher,
        updates: [
          {
            old: sha(g.base_sha, 'merge_group.base_sha'),
            new: sha(g.head_sha, 'merge_group.head_sha'),
            ref: branchRef(String(g.base_ref)),
          },
        ],
      };
    }
    throw new UserError(
      `verify: the event ${JSON.stringify(name)} is not one verify judges (push, pull_request, pull_request_target, merge_group)`,
    );
  }
  if (env.GITLAB_CI === 'true' && env.CI_PIPELINE_SOURCE) {
    const login = env.GITLAB_USER_LOGIN?.trim();
    const pusher: Pusher | null = login ? { name: login, source: 'GITLAB_USER_LOGIN' } : null;
    if (env.CI_PIPELINE_SOURCE === 'merge_request_event')
      return {
        kind: 'pull_request',
        forge: 'gitlab',
        pusher,
        updates: [
          {
            old: sha(env.CI_MERGE_REQUEST_DIFF_BASE_SHA, 'CI_MERGE_REQUEST_DIFF_BASE_SHA'),
            new: sha(env.CI_COMMIT_SHA, 'CI_COMMIT_SHA'),
            ref: branchRef(String(env.CI_MERGE_REQUEST_TARGET_BRANCH_NAME)),
          },
        ],
      };
    if (env.CI_PIPELINE_SOURCE === 'push') {
      const ref = env.CI_COMMIT_TAG
        ? `refs/tags/${env.CI_COMMIT_TAG}`
        : branchRef(String(env.CI_COMMIT_BRANCH ?? env.CI_COMMIT_REF_NAME));
      return {
        kind: 'push',
        forge: 'gitlab',
        pusher,
        updates: [
          {
            old: sha(env.CI_COMMIT_BEFORE_SHA ?? ZERO_SHA, 'CI_COMMIT_BEFORE_SHA'),
            new: sha(env.CI_COMMIT_SHA, 'CI_COMMIT_SHA'),
            ref,
          },
        ],
      };
    }
    throw new UserError(
      `verify: the GitLab pipeline source ${JSON.stringify(env.CI_PIPELINE_SOURCE)} is not one verify judges (push, merge_request_event)`,
    );
  }
  return null;
}

export interface VerifyOptions {
  cwd: string;
  remote: string;
  /** A pinned policy file (as guard pre-receive --config). */
  config?: string;
  /** The integration branch's name, where the clone does not pin it. */
  integration?: string;
  noFetch?: boolean;
}

export interface StoreCheck {
  ref: string;
  tip: string | null;
  verified: string | null;
}

export interface VerifyResult {
  event: VerifyEvent;
  policy: string;
  integration: string;
  violations: Violation[];
  stores: StoreCheck[];
}

/** Integration's name: as given, the clone's pin, the remote's HEAD, else master. */
function integrationName(o: VerifyOptions): string {
  if (o.integration) return o.integration;
  const pinned = gitMaybe(['config', '--get', INTEGRATION_PIN], { cwd: o.cwd });
  if (pinned?.trim()) return pinned.trim();
  const head = o.noFetch
    ? null
    : gitMaybe(['ls-remote', '--symref', o.remote, 'HEAD'], { cwd: o.cwd });
  const m = head && /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(head);
  return m ? m[1]! : 'master';
}

export function verify(event: VerifyEvent, o: VerifyOptions): VerifyResult {
  const integration = integrationName(o);
  const mirror = hubMirror(o.cwd, o.remote, o.noFetch);
  const back = process.cwd();
  try {
    // The hub as it stood before: each judged ref at its old value (delete what the push created).
    for (const u of event.updates) rewindRef(mirror.dir, u.ref, u.old);
    pointHead(mirror.dir, integration);
    gitRun(['config', INTEGRATION_PIN, integration], { cwd: mirror.dir });
    process.chdir(mirror.dir);
    const { config, source } = hubPolicy(o.config, event.updates);
    const violations = checkServerUpdates(config, event.updates, event.pusher);
    const stores = replayStores(config);
    violations.push(...stores.violations);
    return { event, policy: source, integration, violations, stores: stores.checks };
  } finally {
    process.chdir(back);
    mirror.remove();
  }
}

/**
 * Every store from its root, through the hub's validators. Who pushed each operation is not
 * known here (a forge runs no CI for refs/lanes/), so operations are judged as a coordinator's
 * push with no identity checks: the structure, the reducers and the content rules hold, the
 * pusher rules need a hub. A tip that does not descend from the last verified one is a rewrite.
 */
function replayStores(config: LanesConfig): { violations: Violation[]; checks: StoreCheck[] } {
  const anonymous: LanesConfig = {
    ...config,
    server: { ...config.server, coordinators: [] },
    roles: Object.fromEntries(
      Object.entries(config.roles).map(([r, v]) => [r, { ...v, owners: undefined }]),
    ) as LanesConfig['roles'],
  };
  const values = refValues([...STORE_REFS, ...STORE_REFS.map(verifiedTag)]);
  const checks: StoreCheck[] = STORE_REFS.map((ref) => ({
    ref,
    tip: values.get(ref) ?? null,
    verified: values.get(verifiedTag(ref)) ?? null,
  }));
  const violations: Violation[] = [];
  for (const c of checks) {
    if (c.verified && (!c.tip || !isAncestor(c.verified, c.tip)))
      violations.push({
        rule: 'store-integrity',
        object: `${c.ref} ${c.tip?.slice(0, 10) ?? '(deleted)'}`,
        why: `${c.ref} was rewritten since verify last checked it at ${c.verified.slice(0, 10)} (${verifiedTag(c.ref)}): the store keeps its history`,
        fix: [
          `a coordinator restores it: git push --force origin ${c.verified}:${c.ref}, then lanes-hooks sync in every lane`,
        ],
      });
  }
  const fromRoot = checks
    .filter((c) => c.tip)
    .map((c) => ({ old: ZERO_SHA, new: c.tip!, ref: c.ref }));
  const pushedValue = () => undefined;
  violations.push(...checkStores(anonymous, fromRoot, null, true, pushedValue).violations);
  return { violations, checks };
}

/** Record the verified store tips on the remote (a lease on each tag's old value). */
export function recordVerified(o: VerifyOptions, stores: StoreCheck[]): string[] {
  const specs = stores.filter((s) => s.tip && s.tip !== s.verified);
  if (!specs.length) return [];
  const args = ['push', '--quiet', '--no-verify', o.remote];
  for (const s of specs) {
    args.push(`--force-with-lease=${verifiedTag(s.ref)}:${s.verified ?? ''}`);
    args.push(`${s.tip}:${verifiedTag(s.ref)}`);
  }
  const r = gitRun(args, { cwd: o.cwd });
  if (!r.ok)
    throw new UserError(
      `verify --record: the push of the verified tips failed: ${r.stderr.trim()}`,
    );
  return specs.map((s) => `${verifiedTag(s.ref)} -> ${s.tip!.slice(0, 12)}`);
}
