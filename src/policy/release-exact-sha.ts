// The release branch points at one exact SHA already on the remote's integration
// (docs/reference.md, "Rules, layer by layer").
import type { LanesConfig } from '../config/schema.js';
import { heads, releaseRef, reviewBranch, roleBranch } from '../lanes/names.js';
import { shellQuote } from '../util/sh.js';
import type { PushedRef } from './push.js';
import type { Context, Violation } from './types.js';

/** pre-push: a push of the release branch. From a lane it is not a promotion at all. */
export function releasePush(ctx: Context, pushed: PushedRef[]): Violation[] {
  const ref = releaseRef(ctx.config);
  const out: Violation[] = [];
  for (const p of pushed.filter((p) => p.remoteRef === ref)) {
    const object = `push ${p.isDelete ? '(delete)' : p.localSha} -> ${ref}`;
    if (ctx.lane.kind !== 'coordinator') {
      out.push({
        rule: 'release-branch-commit',
        object,
        why: `only the coordinator's \`lanes-hooks promote\` moves ${ctx.config.release}`,
        fix: ['ask the coordinator to promote: lanes-hooks promote <sha>'],
      });
    } else if (p.isDelete) {
      out.push({
        rule: 'release-exact-sha',
        object,
        why: `${ctx.config.release} must always point at a SHA on ${ctx.config.integration}`,
        fix: ['promote a SHA instead of deleting: lanes-hooks promote <sha>'],
      });
    } else if (!p.onIntegration) {
      out.push({
        rule: 'release-exact-sha',
        object,
        why: `${p.localSha} is not reachable from ${ctx.config.remote}/${ctx.config.integration}: release may only point at integrated commits`,
        fix: [`merge it to ${ctx.config.integration} first, then: lanes-hooks promote <sha>`],
      });
    }
  }
  return out;
}

/**
 * The refs git picks before the branch `refs/heads/<name>` when a user types `<name>`
 * (gitrevisions(7), SPECIFYING REVISIONS, <refname>: the first of $GIT_DIR/<name>, refs/<name>,
 * refs/tags/<name>, refs/heads/<name>, refs/remotes/<name>, refs/remotes/<name>/HEAD that exists).
 * $GIT_DIR/<name> is a file in the repository, which no push and no ref update creates.
 */
export const shadowRefs = (name: string): string[] => [`refs/${name}`, `refs/tags/${name}`];

/**
 * The refs whose names lanes-hooks governs, as they are meant to exist: the integration and
 * release branches, every lane and review branch, and the remote-tracking integration and release
 * (which `origin/master` names, and which a tag or branch `origin/master` would shadow).
 */
function governedNames(config: LanesConfig): { exact: string[]; shadows: Map<string, string> } {
  const branches = [
    config.integration,
    config.release,
    ...Object.keys(config.roles).flatMap((r) => [roleBranch(config, r), reviewBranch(config, r)]),
  ];
  const tracking = [config.integration, config.release].map((b) => `${config.remote}/${b}`);
  const exact = [...branches.map(heads), ...tracking.map((t) => `refs/remotes/${t}`)];
  const shadows = new Map<string, string>();
  for (const b of branches) for (const s of shadowRefs(b)) shadows.set(s, heads(b));
  for (const t of tracking)
    for (const s of [...shadowRefs(t), heads(t)]) shadows.set(s, `refs/remotes/${t}`);
  for (const e of exact) shadows.delete(e);
  return { exact, shadows };
}

/**
 * The governed ref that `ref` would stand in for: a name git resolves first (a tag `master`,
 * `refs/release/platform-control`), or one that differs only in case from a governed name or from
 * such a shadow (`refs/heads/Master`: on a case-insensitive file system the same file). Null when
 * `ref` is no such name (a governed ref itself included).
 */
export function shadowedBy(config: LanesConfig, ref: string): string | null {
  const { exact, shadows } = governedNames(config);
  if (exact.includes(ref)) return null;
  const direct = shadows.get(ref);
  if (direct) return direct;
  const lower = ref.toLowerCase();
  for (const e of exact) if (e.toLowerCase() === lower) return e;
  for (const [s, target] of shadows) if (s.toLowerCase() === lower) return target;
  return null;
}

/** Every name `shadowedBy` refuses, as sh `case` patterns (letters in either case); exact names first. */
export function shadowPatterns(config: LanesConfig): { exact: string[]; any: string[] } {
  const { exact, shadows } = governedNames(config);
  const ci = (s: string) =>
    [...s]
      .map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : shellQuote(c)))
      .join('');
  return { exact: exact.map(shellQuote), any: [...exact, ...shadows.keys()].map(ci) };
}

/** One ref created or moved to a name that shadows a governed ref (any layer: hook, push, hub). */
export function shadowRef(config: LanesConfig, ref: string, object: string): Violation[] {
  const target = shadowedBy(config, ref);
  if (!target) return [];
  const kind = ref.startsWith('refs/tags/') ? 'tag' : 'ref';
  const del = ref.startsWith('refs/tags/')
    ? `git tag -d ${ref.slice('refs/tags/'.length)}`
    : `git update-ref -d ${ref}`;
  return [
    {
      rule: 'release-exact-sha',
      object,
      why: governedNames(config).shadows.has(ref)
        ? `git resolves the ${kind} ${ref} before ${target} (gitrevisions: refs/<name> and refs/tags/<name> come before refs/heads/<name>): \`git checkout\`, \`git fetch\` and scripts would take it for ${shortRef(target)}`
        : `${ref} differs from ${target} only in case: on a case-insensitive file system (macOS, Windows hubs and clones) it is the same ref`,
      fix: [`use another name; remove it: ${del}`],
    },
  ];
}

const shortRef = (ref: string) => ref.replace(/^refs\/(heads|remotes)\//, '');

/** pre-push: no pushed ref may take a governed name's shadow. */
export function shadowPush(ctx: Context, pushed: PushedRef[]): Violation[] {
  return pushed
    .filter((p) => !p.isDelete)
    .flatMap((p) => shadowRef(ctx.config, p.remoteRef, `push ${p.localRef} -> ${p.remoteRef}`));
}
