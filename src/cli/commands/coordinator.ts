// merge, promote, guard: the coordinator's commands and the CI/server checks.
import { readFileSync } from 'node:fs';
import { merge } from '../../coordinator/merge.js';
import { promote } from '../../coordinator/promote.js';
import { checkServerUpdates, serverConfig } from '../../guard/pre-receive.js';
import { checkRelease } from '../../guard/release.js';
import { hookContext } from '../../hooks/context.js';
import { loadConfig } from '../../config/load.js';
import { parseConfig } from '../../config/load.js';
import { gitMaybe } from '../../git/exec.js';
import { parseRefUpdates } from '../../hooks/reference-transaction.js';
import { ciOverride } from '../../policy/ci-override.js';
import { formatViolation } from '../../policy/format.js';
import { parse } from '../args.js';
import { EXIT, UserError } from '../../util/errors.js';

const log = (s: string) => console.log(s);
const today = () => new Date().toISOString().slice(0, 10);

export function mergeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('merge', argv);
  return merge(hookContext(), positionals[0], !values['no-push'], log);
}

export function promoteCommand(argv: string[]): Promise<number> {
  const { positionals } = parse('promote', argv);
  return promote(hookContext(), positionals[0], log);
}

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

export function guardCommand(argv: string[]): number {
  const [sub, ...rest] = argv;
  if (sub === 'release') {
    const { values } = parse('guard release', rest);
    const top = gitMaybe(['rev-parse', '--show-toplevel']);
    const config = top ? loadConfig(top).config : parseConfig({}, 'defaults');
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
    const config = serverConfig(values.config);
    const violations = checkServerUpdates(config, parseRefUpdates(readFileSync(0, 'utf8')));
    return ciVerdict(violations.length > 0, () =>
      process.stderr.write(violations.map((v) => formatViolation(v)).join('\n\n') + '\n'),
    );
  }
  throw new UserError(
    'guard: use guard release or guard pre-receive (see lanes-hooks guard --help)',
  );
}
