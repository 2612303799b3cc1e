// lanes-hooks: command dispatch and the one place errors become messages and exit codes.
import {
  agentHookCommand,
  auditCommand,
  briefCommand,
  doctorCommand,
  initCommand,
  installCommand,
  uninstallCommand,
} from './commands/basic.js';
import { dashboardCommand } from './commands/dashboard.js';
import { demoCommand } from './commands/demo.js';
import { hookCommand } from './commands/hook.js';
import { queueCommand } from './commands/queue.js';
import { syncCommand } from './commands/sync.js';
import { storeCommand } from './commands/store.js';
import { landCommand, mergeCommand, promoteCommand } from './commands/coordinator.js';
import { guardCommand } from './commands/guard.js';
import { hubCommand, verifyCommand } from './commands/hub.js';
import { launchCommand, reviewCommand, setupCommand, statusCommand } from './commands/lanes.js';
import { EXIT, UserError } from '../util/errors.js';
import { nearestName } from '../util/nearest.js';
import { HELP, MAIN_HELP } from './help.js';
import { VERSION } from '../hooks/install.js';
import { outcome } from './outcome.js';

const COMMANDS: Record<string, (argv: string[]) => number | Promise<number>> = {
  init: initCommand,
  install: installCommand,
  uninstall: uninstallCommand,
  doctor: doctorCommand,
  audit: auditCommand,
  'agent-hook': agentHookCommand,
  brief: briefCommand,
  demo: demoCommand,
  hook: hookCommand,
  queue: queueCommand,
  sync: syncCommand,
  store: storeCommand,
  setup: setupCommand,
  launch: launchCommand,
  status: statusCommand,
  dashboard: dashboardCommand,
  tick: statusCommand,
  review: reviewCommand,
  merge: mergeCommand,
  land: landCommand,
  promote: promoteCommand,
  guard: guardCommand,
  verify: verifyCommand,
  hub: hubCommand,
};

const didYouMean = (word: string, known: string[]) => {
  const near = nearestName(word, known);
  return near ? ` (did you mean ${near}?)` : '';
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') {
    console.log(MAIN_HELP);
    return EXIT.ok;
  }
  if (command === 'help') {
    // `help queue claim` as well as `help queue`; `help tick` is status's.
    const topic = rest.join(' ').replace(/^tick\b/, 'status');
    if (!topic) console.log(MAIN_HELP);
    else if (HELP[topic]) console.log(HELP[topic]);
    else
      throw new UserError(
        `lanes-hooks help: no command ${JSON.stringify(topic)}${didYouMean(topic, Object.keys(HELP))}\n  the commands: lanes-hooks --help`,
      );
    return EXIT.ok;
  }
  if (command === '--version' || command === '-v') {
    console.log(VERSION);
    return EXIT.ok;
  }
  const run = COMMANDS[command];
  if (!run) {
    // A typo gets the one name it was probably meant as, not the whole help (issue 30).
    throw new UserError(
      `lanes-hooks: unknown command ${JSON.stringify(command)}` +
        didYouMean(command, Object.keys(COMMANDS)) +
        `\n  the commands: lanes-hooks --help`,
      EXIT.usage,
    );
  }
  // `hook` is git's: its arguments are git's to choose. An agent never passes --help to agent-hook.
  if (command !== 'hook' && (rest.includes('--help') || rest.includes('-h'))) {
    const name = command === 'tick' ? 'status' : command;
    const sub = `${name} ${rest[0]}`;
    console.log(HELP[sub] ?? HELP[name]);
    return EXIT.ok;
  }
  return run(rest);
}

/**
 * One run of the CLI: `argv` without node and the script; returns the exit code. Errors become
 * messages on stderr here. The run reads and writes the process's own cwd, environment, stdout
 * and stderr (the tests run it in process with those set for it: test/helpers/in-process.ts).
 */
export function run(argv: string[]): Promise<number> {
  return outcome(() => main(argv));
}

// The bundle runs the command line it was started with, unless it was loaded to call run() from
// (the tests' in-process runner sets this before importing it; nothing else does).
if (!(globalThis as { __lanesEmbedded?: boolean }).__lanesEmbedded)
  process.exitCode = await run(process.argv.slice(2));
