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
export const IDENTITY_SOURCES = [
  'LANES_PUSHER',
  'GL_USERNAME',
  'GITEA_PUSHER_NAME',
  'GL_USER',
] as const;

export interface Pusher {
  name: string;
  /** The environment variable it came from. */
  source: (typeof IDENTITY_SOURCES)[number];
}

export function pusherFrom(env: NodeJS.ProcessEnv = process.env): Pusher | null {
  for (const source of IDENTITY_SOURCES) {
    const name = env[source]?.trim();
    if (name) return { name, source };
  }
  return null;
}

/** Whether `pusher` is on `list`; no identity, or nobody listed, keeps the rules without it. */
export function mayPush(list: string[], pusher: Pusher | null): boolean {
  return !pusher || !list.length || list.includes(pusher.name);
}

export const who = (p: Pusher | null) => (p ? `${p.name} (from ${p.source})` : 'nobody');
