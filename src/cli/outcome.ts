// The one place errors become messages and exit codes, for both entries: the CLI (main.ts) and
// the hook entry (hook-main.ts), so that a refusal or an error reads the same from either.
import { EXIT, UserError } from '../util/errors.js';
import { GitError, gitMaybe } from '../git/exec.js';
import { runnableAt } from '../hooks/cli-command.js';
import { inertLines } from '../util/text.js';

/**
 * Runs `command` and returns its exit code; errors become messages on stderr here. The run reads
 * and writes the process's own cwd, environment, stdout and stderr.
 */
export async function outcome(command: () => number | Promise<number>): Promise<number> {
  try {
    return await command();
  } catch (e) {
    if (e instanceof UserError) {
      // Every command a message names, spelled as it runs here (a lane has no node_modules).
      const common = e.message.includes('lanes-hooks ')
        ? gitMaybe(['rev-parse', '--path-format=absolute', '--git-common-dir'])
        : null;
      const text = runnableAt(e.message, common);
      process.stderr.write(inertLines(text.endsWith('\n') ? text : text + '\n'));
      return e.exitCode;
    }
    if (e instanceof GitError && /not a git repository/i.test(e.stderr)) {
      process.stderr.write('lanes-hooks: not inside a git repository\n');
      return EXIT.usage;
    }
    // A bug, not a user error: say so plainly; the stack only on request.
    process.stderr.write(
      `lanes-hooks: internal error: ${inertLines((e as Error).message)}\n${process.env.LANES_DEBUG ? (e as Error).stack + '\n' : '(set LANES_DEBUG=1 for details)\n'}`,
    );
    return EXIT.refused;
  }
}
