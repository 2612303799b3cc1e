// merge, land, promote: the coordinator's commands (guard, the CI and server checks: guard.ts).
import { land, merge } from '../../coordinator/land.js';
import { promote } from '../../coordinator/promote.js';
import { hookContext } from '../../hooks/context.js';
import { parse } from '../args.js';
import { inertLines, jsonText } from '../../util/text.js';

const log = (s: string) => console.log(inertLines(s));

export function mergeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('merge', argv);
  return merge(hookContext(), positionals[0], !values['no-push'], log);
}

export async function landCommand(argv: string[]): Promise<number> {
  const { values } = parse('land', argv);
  // With --json, stdout is the report alone: the progress lines go to stderr.
  const say = values.json ? (s: string) => process.stderr.write(inertLines(s) + '\n') : log;
  const { code, report } = await land(
    hookContext(),
    { dryRun: !!values['dry-run'], push: !values['no-push'] },
    say,
  );
  if (values.json) console.log(jsonText(report));
  else
    log(
      `land: ${report.landed.length} ${values['dry-run'] ? 'would land' : 'landed'}${report.landed.map((l) => ` ${l.role}@${l.sha.slice(0, 12)}`).join(',')}; ${report.waiting.length} waiting${report.waiting.map((w) => ` ${w.role}`).join(',')}`,
    );
  return code;
}

export function promoteCommand(argv: string[]): Promise<number> {
  const { positionals } = parse('promote', argv);
  return promote(hookContext(), positionals[0], log);
}
