// guard release and guard pre-receive: the CI and server checks. Its own module so that the hook
// entry (cli/hook-main.ts, dist/lanes-hooks-hook.mjs), which a hub runs on every push, bundles the
// guard without the coordinator's commands.
import { readFileSync } from 'node:fs';
import { checkServerUpdates } from '../../guard/pre-receive.js';
import { hubPolicy } from '../../guard/policy.js';
import { checkRelease } from '../../guard/release.js';
import { currentWorktree, ownRepoConfig, type OwnRepoConfig } from '../../git/repo.js';
import { IDENTITY_PIN } from '../../guard/hub-install.js';
import { lanePolicy } from '../../lanes/policy.js';
import { parseRefUpdates } from '../../hooks/reference-transaction.js';
import { ciOverride } from '../../policy/ci-override.js';
import { pusherFrom, type Pusher } from '../../guard/identity.js';
import { overrideBanner, readHubOverride, recordHubOverride } from '../../guard/hub-override.js';
import type { RefUpdate, Violation } from '../../policy/types.js';
import { formatViolation } from '../../policy/format.js';
import { LANE_CLI, runnable } from '../../hooks/cli-command.js';
import { parse } from '../args.js';
import { EXIT, UserError } from '../../util/errors.js';
import { inertLines } from '../../util/text.js';

const log = (s: string) => console.log(inertLines(s));
const today = () => new Date().toISOString().slice(0, 10);

/** An override in CI: reason and expiry both, or it does not count (and a broken one fails). */
function ciVerdict(refused: boolean, describe: () => void): number {
  if (!refused) return EXIT.ok;
  describe();
  const o = ciOverride(process.env, today());
  if (o.state === 'valid') {
    process.stderr.write(
      `\n!!! lanes-hooks: OVERRIDDEN until ${o.until}: ${JSON.stringify(o.reason)}\n!!! This check failed and is being let through. Remove the override once fixed.\n`,
    );
    return EXIT.ok;
  }
  if (o.state === 'invalid')
    process.stderr.write(`lanes-hooks: override not accepted: ${o.problem}\n`);
  return EXIT.refused;
}

/**
 * guard pre-receive: LANES_OVERRIDE in the environment counts for nothing here (over a local path
 * it is the pusher's); only the hub's own config file can override, and each use is recorded.
 */
function hubVerdict(
  violations: Violation[],
  updates: RefUpdate[],
  pusher: Pusher | null,
  hub: OwnRepoConfig,
): number {
  if (!violations.length) return EXIT.ok;
  const o = readHubOverride(updates, hub);
  const hubFix =
    'override (hub admin only): git config lanes.override "<reason>" and lanes.overrideUntil <YYYY-MM-DD> in the hub repository';
  // The fixes run in the pusher's lane, which has no node_modules: spelled through its shim.
  process.stderr.write(
    runnable(
      violations
        .map((v) => formatViolation(v).replace(/\n {2}override: .*$/m, `\n  ${hubFix}`))
        .join('\n\n'),
      LANE_CLI,
    ) + '\n',
  );
  if (process.env.LANES_OVERRIDE?.trim())
    process.stderr.write(
      'lanes-hooks: LANES_OVERRIDE in the environment does not count on the hub (see lanes-hooks guard --help)\n',
    );
  if (o.state === 'invalid') {
    process.stderr.write(`lanes-hooks: hub override not accepted: ${o.problem}\n`);
    return EXIT.refused;
  }
  if (o.state === 'none') return EXIT.refused;
  let log: string;
  try {
    log = recordHubOverride(o, updates, violations, pusher, hub);
  } catch (e) {
    process.stderr.write(
      `lanes-hooks: the hub override could not be recorded (${(e as Error).message}): refused\n`,
    );
    return EXIT.refused;
  }
  process.stderr.write(overrideBanner(o, pusher, log));
  return EXIT.ok;
}

export function guardCommand(argv: string[]): number {
  const [sub, ...rest] = argv;
  if (sub === 'release') {
    const { values } = parse('guard release', rest);
    const config = lanePolicy(currentWorktree()).config;
    const r = checkRelease(config, values, log);
    if (r.ok)
      log(
        `guard release: ${r.release.ref} (${r.release.sha}) is reachable from ${r.integration.ref} (${r.integration.sha})`,
      );
    return ciVerdict(!r.ok, () =>
      process.stderr.write(
        formatViolation({
          rule: 'release-exact-sha',
          object: `${r.release.ref} at ${r.release.sha}`,
          why: `not reachable from ${r.integration.ref} at ${r.integration.sha}: release may only point at integrated commits`,
          fix: [`promote a SHA of ${r.integration.ref}: lanes-hooks promote <sha>`],
        }).replace(
          /\n {2}override: .*$/,
          '\n  override: LANES_OVERRIDE="<reason>" and LANES_OVERRIDE_UNTIL=<YYYY-MM-DD> (both, in CI)',
        ) + '\n',
      ),
    );
  }
  if (sub === 'pre-receive') {
    const { values } = parse('guard pre-receive', rest);
    const updates = parseRefUpdates(readFileSync(0, 'utf8'));
    // The hub's own config, read once: the pinned policy and integration, the identity source the
    // admin pinned (hub install --identity), and the override.
    const hub = ownRepoConfig();
    const { config } = hubPolicy(values.config, updates, hub);
    const pinned = hub.values.get(IDENTITY_PIN.toLowerCase())?.trim() || null;
    const pusher = pusherFrom(process.env, pinned);
    const violations = checkServerUpdates(config, updates, pusher);
    return hubVerdict(violations, updates, pusher, hub);
  }
  throw new UserError(
    'guard: use guard release or guard pre-receive (see lanes-hooks guard --help)',
  );
}
