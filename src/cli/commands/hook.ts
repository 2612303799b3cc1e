// `lanes-hooks hook <name> …`: what the shell shims call when a decision needs the policy.
import { appendFileSync, readFileSync } from 'node:fs';
import { postCheckout } from '../../hooks/post-checkout.js';
import { preCommit } from '../../hooks/pre-commit.js';
import { prepareCommitMsg } from '../../hooks/prepare-commit-msg.js';
import { prePush } from '../../hooks/pre-push.js';
import { referenceTransaction } from '../../hooks/reference-transaction.js';
import { UserError } from '../../util/errors.js';

const stdin = () => readFileSync(0, 'utf8');

export function hookCommand(argv: string[]): number | Promise<number> {
  const [name, ...args] = argv;
  process.env.LANES_HOOK = name; // names the layer in the refusal log
  // Opt-in trace of every time a hook had to start Node: lets tests count them instead of timing.
  if (process.env.LANES_HOOKS_TRACE)
    appendFileSync(process.env.LANES_HOOKS_TRACE, `${[name, ...args].join(' ')}\n`);
  switch (name) {
    case 'pre-commit':
      return preCommit();
    case 'pre-push':
      return prePush(args[0] ?? '', stdin());
    case 'post-checkout':
      return postCheckout(args[0] ?? '', args[1] ?? '', args[2] ?? '');
    case 'prepare-commit-msg':
      return prepareCommitMsg(args[0] ?? '', args[1] ?? '');
    case 'reference-transaction':
      return referenceTransaction(args[0], stdin());
    default:
      throw new UserError(`hook: unknown hook ${JSON.stringify(name ?? '')}`);
  }
}
