// store repair <queue|reviews|audit>: the coordinator's audited rebuild of a store (coordinator/store-repair.ts).
import { storeRepair } from '../../coordinator/store-repair.js';
import { hookContext } from '../../hooks/context.js';
import { parse } from '../args.js';
import { UserError } from '../../util/errors.js';
import { inertLines } from '../../util/text.js';

export function storeCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'repair')
    throw new UserError('store: use repair <queue|reviews|audit> (see lanes-hooks store --help)');
  const { values, positionals } = parse('store repair', rest);
  if (positionals.length > 1)
    throw new UserError('store repair: one store at a time: queue, reviews or audit');
  return storeRepair(hookContext(), positionals[0], { dryRun: !!values['dry-run'] }, (s) =>
    console.log(inertLines(s)),
  );
}
