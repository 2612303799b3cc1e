// The hook entry, bundled alone as dist/lanes-hooks-hook.mjs: what runs on every push at a hub
// (`guard pre-receive`, hub install's hooks/pre-receive) and whenever a git hook's shim must ask
// Node (`hook <name>`, hooks/shims.ts). It holds only what those two commands load, so a hub pays
// no start-up for the dashboard, the agents, the demo or the coordinator's commands (issue 31:
// docs/speed.md, "The hook entry"). Still one file: a hook loads one file, never a module tree.
// Every other command, and --help, is the full CLI's (dist/lanes-hooks.mjs, which runs these two
// as well: hooks written by an older install name it).
import { guardCommand } from './commands/guard.js';
import { hookCommand } from './commands/hook.js';
import { outcome } from './outcome.js';
import { EXIT, UserError } from '../util/errors.js';

const ENTRY: Record<string, (argv: string[]) => number | Promise<number>> = {
  guard: guardCommand,
  hook: hookCommand,
};

/** One run of the hook entry: `argv` without node and the script; returns the exit code. */
export function runHookEntry(argv: string[]): Promise<number> {
  return outcome(() => {
    const [command = '', ...rest] = argv;
    const run = ENTRY[command];
    // `hook` is git's: its arguments are git's to choose (as in the full CLI).
    if (!run || (command !== 'hook' && (rest.includes('--help') || rest.includes('-h'))))
      throw new UserError(
        `lanes-hooks: this file is the hook entry (guard and hook only); run ${JSON.stringify(command)} with the full CLI: lanes-hooks ${command || '--help'}`,
        EXIT.usage,
      );
    return run(rest);
  });
}

process.exitCode = await runHookEntry(process.argv.slice(2));
