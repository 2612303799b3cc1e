// merge <role> (docs/server.md, "The coordinator's commands"): the seed's coordinator sequence,
// checked at every step — clean coordinator on integration, fast-forward-only pull, an active claim
// and every required sign-off for the exact SHA, `merge --ff-only`, push, claim done. Nothing moves
// when a check fails.
import { EXIT, UserError } from '../util/errors.js';
import { git, gitRun } from '../git/exec.js';
import { describePush, fetchRemote, pushRemote } from '../git/remote.js';
import { isAncestor, resolveRef } from '../git/repo.js';
import type { HookContext } from '../hooks/context.js';
import { integrationRef, remoteRef, roleBranch, shortBranch } from '../lanes/names.js';
import { claimRequired } from '../policy/claim-required.js';
import { formatViolation } from '../policy/format.js';
import type { Violation } from '../policy/types.js';
import { endClaim, readQueue } from '../queue/queue.js';
import { signoffsFor } from '../reviews/model.js';
import { readReviews } from '../reviews/model.js';
import { laneForRole } from '../lanes/role-lane.js';
import { commitPaths, netPaths } from '../git/history.js';
import { forbiddenPaths, netScope, pathScope } from '../policy/path-scope.js';
import { scopeOf } from '../policy/scope.js';

export function requireCoordinator(ctx: HookContext, command: string): void {
  if (ctx.lane.kind !== 'coordinator') {
    throw new UserError(
      `${command}: only the coordinator merges and promotes; run it in the coordinator checkout (the main worktree), not in ${ctx.lane.role ?? 'an unassigned worktree'}`,
      EXIT.refused,
    );
  }
}

function run(args: string[]): { ok: boolean; out: string } {
  const r = gitRun(args);
  return { ok: r.ok, out: `${r.stdout}${r.stderr}`.trim() };
}

export async function merge(
  ctx: HookContext,
  role: string | undefined,
  push: boolean,
  log: (s: string) => void,
): Promise<number> {
  requireCoordinator(ctx, 'merge');
  const { config } = ctx;
  if (!role || !config.roles[role] || config.roles[role]!.kind !== 'delivery')
    throw new UserError(
      `merge: name a delivery role (${Object.keys(config.roles)
        .filter((r) => config.roles[r]!.kind === 'delivery')
        .join(', ')})`,
    );
  if (git(['status', '--porcelain', '--untracked-files=no']) !== '')
    throw new UserError(
      'merge: the coordinator has uncommitted changes; commit or stash them first',
      EXIT.refused,
    );
  if (git(['symbolic-ref', '-q', 'HEAD']) !== integrationRef(config))
    throw new UserError(
      `merge: switch the coordinator to ${config.integration} first: git switch ${config.integration}`,
      EXIT.refused,
    );

  const branch = roleBranch(config, role);
  await fetchRemote(config.remote, [], { what: 'merge' });
  log(`merge: fetched ${config.remote}`);
  const upstream = resolveRef(remoteRef(config.remote, config.integration));
  if (upstream && !run(['merge', '--quiet', '--ff-only', upstream]).ok) {
    throw new UserError(
      `merge: ${config.integration} has commits that ${config.remote}/${config.integration} does not: not a fast-forward. Push or drop them first.`,
      EXIT.conflict,
    );
  }
  log(
    `merge: ${config.integration} is at ${config.remote}/${config.integration} (${git(['rev-parse', '--short', 'HEAD'])})`,
  );

  const sha = resolveRef(remoteRef(config.remote, branch));
  if (!sha)
    throw new UserError(
      `merge: ${config.remote}/${branch} does not exist: the ${role} lane pushes its branch first`,
      EXIT.refused,
    );
  const violations: Violation[] = [
    ...claimRequired(
      { config, lane: laneForRole(config, role) },
      [
        {
          localRef: `refs/heads/${branch}`,
          localSha: sha,
          remoteRef: `refs/heads/${branch}`,
          remoteSha: sha,
          isDelete: false,
        },
      ],
      { claims: readQueue().claims },
    ),
  ];
  // The server checks every push, but a branch pushed before the rules (or past an override) is
  // judged again here: each commit integration would gain, and the net effect (what the
  // fast-forward would change in integration) must lie in the role's scope.
  const lane = laneForRole(config, role);
  const scope = scopeOf(config, lane);
  const changes = commitPaths([sha], ['HEAD']);
  const object = `merge of ${config.remote}/${branch}`;
  violations.push(
    ...forbiddenPaths(changes, object),
    ...pathScope({ config, lane }, scope, changes, object),
    ...netScope(
      { config, lane },
      scope,
      { integration: config.integration, ...netPaths(sha, git(['rev-parse', 'HEAD'])) },
      object,
    ),
  );
  for (const v of violations) process.stderr.write(formatViolation(v) + '\n');
  const signed = signoffsFor(readReviews(), role, sha).map((s) => s.role);
  const missing = config.reviews.required.filter((r) => !signed.includes(r));
  if (missing.length) {
    process.stderr.write(
      `lanes-hooks: merge refused: no sign-off from ${missing.join(', ')} for ${sha} (a sign-off of an older SHA does not count)\n` +
        missing
          .map(
            (r) =>
              `  fix: in the ${r} lane: lanes-hooks review refresh ${role} && lanes-hooks review signoff ${role}\n`,
          )
          .join(''),
    );
  }
  if (violations.length || missing.length) return EXIT.refused;
  log(
    `merge: ${branch} at ${sha.slice(0, 12)} is claimed${config.reviews.required.length ? ` and signed off by ${config.reviews.required.join(', ')}` : ''}`,
  );

  if (!isAncestor('HEAD', sha)) {
    throw new UserError(
      `merge: ${config.remote}/${branch} is not a fast-forward of ${config.integration}; the ${role} lane rebases onto ${config.remote}/${config.integration} and pushes again. Nothing was moved.`,
      EXIT.conflict,
    );
  }
  const ff = run(['merge', '--quiet', '--ff-only', sha]);
  if (!ff.ok) throw new UserError(`merge: git merge --ff-only failed: ${ff.out}`, EXIT.refused);
  log(`merge: ${config.integration} fast-forwarded to ${sha.slice(0, 12)}`);
  if (push) {
    const p = await pushRemote(config.remote, [`${config.integration}:${config.integration}`]);
    if (!p.ok)
      throw new UserError(
        `merge: ${config.integration} moved here, but the ${describePush(config.remote, p)}\nPush it once fixed: git push ${config.remote} ${config.integration}`,
        EXIT.refused,
      );
    log(`merge: pushed ${config.integration} to ${config.remote}`);
  }
  endClaim({ lane: 'coordinator' }, 'done', { branch: shortBranch(`refs/heads/${branch}`) });
  log(`merge: claim on ${branch} marked done`);
  return EXIT.ok;
}
