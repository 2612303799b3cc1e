// guard release (docs/server.md): for CI — the release ref must point at a commit reachable from
// integration. Works in a fresh (also shallow) clone: fetches what it needs and says so.
import { UserError } from '../util/errors.js';
import type { LanesConfig } from '../config/schema.js';
import { gitMaybe, gitRun } from '../git/exec.js';
import { isAncestor } from '../git/repo.js';
import { remoteRef } from '../lanes/names.js';

export interface ReleaseCheck {
  release: { ref: string; sha: string };
  integration: { ref: string; sha: string };
  ok: boolean;
}

export function checkRelease(
  config: LanesConfig,
  opts: { branch?: string; integration?: string },
  log: (s: string) => void,
): ReleaseCheck {
  const releaseRefs = opts.branch
    ? [opts.branch]
    : [remoteRef(config.remote, config.release), `refs/heads/${config.release}`];
  const integrationRefs = opts.integration
    ? [opts.integration]
    : [remoteRef(config.remote, config.integration), `refs/heads/${config.integration}`];
  const hasRemote = gitMaybe(['config', '--get', `remote.${config.remote}.url`]) !== null;
  if (
    hasRemote &&
    (gitMaybe(['rev-parse', '--is-shallow-repository']) === 'true' ||
      !resolveFirst(releaseRefs) ||
      !resolveFirst(integrationRefs))
  ) {
    const shallow = gitMaybe(['rev-parse', '--is-shallow-repository']) === 'true';
    log(
      `guard: fetching ${config.release} and ${config.integration} from ${config.remote}${shallow ? ' (the clone is shallow: unshallowing)' : ''}`,
    );
    const r = gitRun([
      'fetch',
      '--quiet',
      '--no-tags',
      ...(shallow ? ['--unshallow'] : []),
      config.remote,
      `+refs/heads/${config.release}:${remoteRef(config.remote, config.release)}`,
      `+refs/heads/${config.integration}:${remoteRef(config.remote, config.integration)}`,
    ]);
    if (!r.ok)
      log(`guard: could not fetch (${r.stderr.trim().split('\n')[0]}); checking what is here`);
  }
  const release = resolveFirst(releaseRefs);
  const integration = resolveFirst(integrationRefs);
  if (!release)
    throw new UserError(
      `guard release: cannot resolve ${releaseRefs.join(' or ')} (fetch it, or name it with --branch)`,
    );
  if (!integration)
    throw new UserError(
      `guard release: cannot resolve ${integrationRefs.join(' or ')} (fetch it, or name it with --integration)`,
    );
  return { release, integration, ok: isAncestor(release.sha, integration.sha) };
}

function resolveFirst(refs: string[]): { ref: string; sha: string } | null {
  for (const ref of refs) {
    const sha = gitMaybe(['rev-parse', '-q', '--verify', '--end-of-options', `${ref}^{commit}`]);
    if (sha) return { ref, sha };
  }
  return null;
}
