// setup, launch, status (tick), review: the coordinator's and reviewers' commands.
import { hookContext } from '../../hooks/context.js';
import { launch } from '../../lifecycle/launch.js';
import { setup } from '../../lifecycle/setup.js';
import { laneStatus } from '../../lifecycle/status.js';
import { renderStatusText } from '../../lifecycle/status-text.js';
import {
  exportMarkdown,
  record,
  recordPolicySignoff,
  refresh,
  resolveFinding,
} from '../../lifecycle/review.js';
import { parse } from '../args.js';
import { parseAgents } from './basic.js';
import { EXIT, UserError } from '../../util/errors.js';
import { inertLines, jsonText } from '../../util/text.js';

const log = (s: string) => console.log(inertLines(s));

export function setupCommand(argv: string[]): number {
  const { values } = parse('setup', argv);
  const agents = values.agent === undefined ? [] : parseAgents('setup', values.agent);
  return setup({ dryRun: values['dry-run'] ?? false, log, agents });
}

export function launchCommand(argv: string[]): number {
  const { values } = parse('launch', argv);
  return launch(hookContext(), values.multiplexer ?? 'zellij', values.print ?? false, log, {
    dashboard: values.dashboard ?? false,
  });
}

export async function statusCommand(argv: string[]): Promise<number> {
  const { values } = parse('status', argv);
  if (!values.watch) {
    process.stdout.write(await renderStatus(values.json ?? false));
    return EXIT.ok;
  }
  const seconds = Number(values.interval ?? 2);
  if (!(seconds > 0)) throw new UserError('status: --interval takes a number of seconds above 0');
  return watch(() => renderStatus(values.json ?? false), seconds * 1000);
}

/**
 * status --watch: on a terminal the screen is redrawn in place; otherwise (a log, a pipe) each
 * refresh is printed after the last, with a time stamp. Ctrl-C (or SIGTERM) ends it cleanly, exit 0.
 */
async function watch(render: () => Promise<string>, ms: number): Promise<number> {
  const tty = process.stdout.isTTY;
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const end = () => stop();
  process.once('SIGINT', end);
  process.once('SIGTERM', end);
  let running = true;
  void stopped.then(() => (running = false));
  if (tty) process.stdout.write('\u001b[?25l'); // hide the cursor while redrawing
  try {
    while (running) {
      let text: string;
      try {
        text = await render();
      } catch (e) {
        text = `lanes-hooks status: ${(e as Error).message}\n`;
      }
      const stamp = `lanes-hooks status --watch · ${new Date().toLocaleTimeString()} · Ctrl-C to stop\n\n`;
      if (tty) process.stdout.write(`\u001b[H\u001b[2J${stamp}${text}`);
      else process.stdout.write(`${stamp}${text}\n`);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([stopped, new Promise((r) => (timer = setTimeout(r, ms)))]);
      clearTimeout(timer);
    }
  } finally {
    if (tty) process.stdout.write('\u001b[?25h\n');
    process.removeListener('SIGINT', end);
    process.removeListener('SIGTERM', end);
  }
  return EXIT.ok;
}

async function renderStatus(json: boolean): Promise<string> {
  const status = await laneStatus(hookContext());
  if (json) return jsonText(status) + '\n';
  return renderStatusText(status, process.stdout.isTTY && !process.env.NO_COLOR);
}

export function reviewCommand(argv: string[]): number | Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'refresh': {
      const { positionals } = parse('review refresh', rest);
      return refresh(positionals[0], log);
    }
    case 'finding': {
      const { values, positionals } = parse('review finding', rest);
      const e = record('finding', positionals[0], positionals.slice(1).join(' '), values.severity);
      log(`review: ${e.severity} finding on ${e.target} at ${e.sha.slice(0, 10)} recorded`);
      return EXIT.ok;
    }
    case 'signoff': {
      const { values, positionals } = parse('review signoff', rest);
      if (values.policy) {
        const p = recordPolicySignoff(positionals[0]);
        log(
          `review: ${p.reviewer} signed off the policy ${p.file ?? '(none committed)'} at blob ${p.sha}; lanes-hooks sync shares it with the hub`,
        );
        return EXIT.ok;
      }
      const e = record('signoff', positionals[0], undefined, undefined);
      log(`review: ${e.reviewer} signed off ${e.target} at ${e.sha}`);
      return EXIT.ok;
    }
    case 'resolve': {
      const { positionals } = parse('review resolve', rest);
      const e = resolveFinding(positionals[0], positionals[1]);
      log(`review: ${e.reviewer} resolved its finding of ${e.finding} on ${e.target}`);
      return EXIT.ok;
    }
    case 'export': {
      parse('review export', rest);
      for (const f of exportMarkdown()) log(`wrote ${f}`);
      return EXIT.ok;
    }
    default:
      throw new UserError(
        'review: use one of refresh, finding, signoff, resolve, export (see lanes-hooks review --help)',
      );
  }
}
