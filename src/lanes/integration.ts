// Which integration a lane is measured against: the remote's copy (`<remote>/<integration>`, what
// lanes fetch and rebase onto) unless it lags behind the local branch — after `merge --no-push`,
// or with no remote at all — where the local branch is the truth and pushing it is the next step.
import type { LanesConfig } from '../config/schema.js';
import { remoteRef } from './names.js';

export interface IntegrationTarget {
  /** The configured integration branch (`master`). */
  branch: string;
  /** The ref lanes are counted against, in full (`refs/remotes/origin/master` or `refs/heads/master`). */
  ref: string;
  /** The same, as a person types it (`origin/master`, `master`). */
  name: string;
  /** Its commit; null when neither copy exists. */
  head: string | null;
  /** Commits on the local branch that the remote's copy lacks (remote lags): push integration. */
  unpushed: number;
  /** false: there is no `<remote>/<integration>` (never pushed, or no remote). */
  remote: boolean;
  /**
   * Unpushed commits that merge/land did not make (lifecycle/unverified.ts), newest first, as
   * their commits name them: never advised for a push. Absent or empty: all were made by them.
   */
  unverified?: { sha: string; author: string; subject: string }[];
}

/**
 * `local`/`remote`: the two copies' commits (null: missing); `count(base, tip)`: commits in tip
 * and not in base. Local wins when it is strictly ahead of the remote's copy, or the only one.
 */
export function chooseIntegration(
  config: LanesConfig,
  local: string | null,
  remote: string | null,
  count: (base: string, tip: string) => number | null,
): IntegrationTarget {
  const remoteFull = remoteRef(config.remote, config.integration);
  const localFull = `refs/heads/${config.integration}`;
  const base = { branch: config.integration, remote: remote !== null };
  const onLocal = (unpushed: number): IntegrationTarget => ({
    ...base,
    ref: localFull,
    name: config.integration,
    head: local,
    unpushed,
  });
  if (local && !remote) return onLocal(0);
  if (local && remote && local !== remote) {
    const ahead = count(remote, local) ?? 0;
    const behind = count(local, remote) ?? 0;
    if (ahead > 0 && behind === 0) return onLocal(ahead);
  }
  return {
    ...base,
    ref: remoteFull,
    name: `${config.remote}/${config.integration}`,
    head: remote,
    unpushed: 0,
  };
}
