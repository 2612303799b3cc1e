// Who is pushing, as the hosting layer tells a server hook. Trusted only where the hosting layer
// sets it: on a push over a local path the pusher's own environment reaches the hook, so a hub
// reached that way has no identity worth the name (docs/server.md).
//
// Sources, first found wins:
// - LANES_PUSHER: set by the admin, e.g. in an ssh forced command
//   (`command="env LANES_PUSHER=alice git-shell -c \"$SSH_ORIGINAL_COMMAND\"" ssh-ed25519 …`).
// - GL_USERNAME: GitLab passes the pushing user's username to server hooks (with GL_ID, GL_PROTOCOL
//   and GL_REPOSITORY).
// - GITEA_PUSHER_NAME: Gitea (and Forgejo, which kept the variable names) passes the pusher's user
//   name to repository hooks (modules/repository/env.go: EnvPusherName).
// - GL_USER: gitolite sets the authenticated user for everything it runs, hooks included.
// - REMOTE_USER: a web server that authenticated the request puts the user in the CGI environment
//   (RFC 3875, 4.1.11); `git http-backend` runs receive-pack, and so the hooks, in that
//   environment (git-http-backend(1): it even records $REMOTE_USER as the reflogs' committer).
import type { LanesConfig } from '../config/schema.js';

export const IDENTITY_SOURCES = [
  'LANES_PUSHER',
  'GL_USERNAME',
  'GITEA_PUSHER_NAME',
  'GL_USER',
  'REMOTE_USER',
] as const;

export interface Pusher {
  name: string;
  /**
   * The environment variable it came from: a hosting layer's (IDENTITY_SOURCES), or for verify
   * the CI's actor (GITHUB_ACTOR, GITLAB_USER_LOGIN) or --pusher.
   */
  source: (typeof IDENTITY_SOURCES)[number] | 'GITHUB_ACTOR' | 'GITLAB_USER_LOGIN' | '--pusher';
}

/**
 * The first source that names someone. Blank (empty, whitespace) names nobody: the next source is
 * asked, and a push with none carries no identity. Two sources that disagree: the first wins, as
 * documented; the hosting layer sets its own variable, and LANES_PUSHER is the admin's.
 */
export function pusherFrom(
  env: NodeJS.ProcessEnv = process.env,
  /** The one source the hub's admin pinned (lanes.identitySource), else every source in order. */
  pinned?: string | null,
): Pusher | null {
  for (const source of IDENTITY_SOURCES) {
    if (pinned && source !== pinned) continue;
    const name = env[source]?.trim();
    if (name) return { name, source };
  }
  return null;
}

/** Whether the hub's config names pushers at all (coordinators or any role's owners). */
export const identitiesConfigured = (config: LanesConfig): boolean =>
  config.server.coordinators.length > 0 ||
  Object.values(config.roles).some((r) => (r.owners ?? []).length > 0);

/**
 * Whether `pusher` is on `list`. Nobody listed keeps the rules without identities; a list with a
 * push that carries no identity refuses (fails closed: a plain ssh key or HTTP push the hosting
 * layer does not name must not get every right).
 */
export function mayPush(list: string[], pusher: Pusher | null): boolean {
  return !list.length || (!!pusher && list.includes(pusher.name));
}

export const NO_IDENTITY_FIX =
  'the hosting layer must name the pusher: LANES_PUSHER (an ssh forced command), GL_USERNAME (GitLab), GITEA_PUSHER_NAME (Gitea, Forgejo), GL_USER (gitolite) or REMOTE_USER (git http-backend behind an authenticating web server); see docs/server.md';

export const who = (p: Pusher | null) =>
  p
    ? `${p.name} (from ${p.source})`
    : 'nobody: the push carries no identity, and ' + NO_IDENTITY_FIX;

/**
 * Whether an audit entry's `who` names `pusher`: the hosting identity itself, or a git identity
 * "<name> <email>" whose name is it (entries carry `lanes.identity` where set, else git's user).
 */
export function namesPusher(entryWho: string, pusher: Pusher): boolean {
  return entryWho === pusher.name || entryWho.startsWith(`${pusher.name} <`);
}
