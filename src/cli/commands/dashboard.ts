// dashboard: parse, start the server, print the URL, open a browser unless told not to, and stop
// cleanly on Ctrl-C (or SIGTERM).
import { startDashboard } from '../../dashboard/server.js';
import { openBrowser } from '../../dashboard/open.js';
import { EXIT, UserError } from '../../util/errors.js';
import { parse } from '../args.js';

export async function dashboardCommand(argv: string[]): Promise<number> {
  const { values } = parse('dashboard', argv);
  const port = Number(values.port ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UserError('dashboard: --port takes a port number (0 to 65535; 0 picks a free one)');
  const seconds = Number(values.interval ?? 1);
  if (!(seconds > 0))
    throw new UserError('dashboard: --interval takes a number of seconds above 0');
  let dash;
  try {
    dash = await startDashboard({ port, pollMs: seconds * 1000 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES')
      throw new UserError(
        `dashboard: cannot listen on 127.0.0.1:${port} (${code}): choose another --port, or leave it out for a free one`,
      );
    throw e;
  }
  console.log(`lanes-hooks dashboard: ${dash.url}`);
  console.log("  read-only; the token in the URL is this run's only key. Ctrl-C to stop.");
  if (!values['no-open']) openBrowser(dash.url);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await dash.close();
  console.log('lanes-hooks dashboard: stopped');
  return EXIT.ok;
}
