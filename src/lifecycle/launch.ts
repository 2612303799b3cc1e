// launch (docs/reference.md, "Commands"): the control room — a coordinator pane plus one pane per
// lane, each in its worktree, in zellij (a KDL layout) or tmux (a session built by commands).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXIT, UserError } from '../util/errors.js';
import type { HookContext } from '../hooks/context.js';
import { coordinatorDir } from '../lanes/facts.js';
import { laneDir } from '../lanes/names.js';
import { shellQuote } from '../util/sh.js';

export interface Pane {
  title: string;
  cwd: string;
  /** A command the pane starts with (the coordinator's: status --watch). */
  command?: string[];
}

/**
 * The coordinator pane's command: status --watch through the runtime every worktree has, and a
 * shell once it is stopped (Ctrl-C), so the pane stays the coordinator's terminal.
 */
const paneCommand = (ctx: HookContext, args: string): string[] => [
  'sh',
  '-c',
  `${shellQuote(process.execPath)} ${shellQuote(path.join(ctx.wt.commonDir, 'lanes-hooks', 'lanes-hooks.mjs'))} ${args}; exec "\${SHELL:-sh}"`,
];

/**
 * The coordinator's pane, then (with `dashboard`) a pane serving the dashboard, its URL printed
 * there (dashboard --no-open: the control room does not start a browser), then one per lane.
 */
export function controlRoomPanes(ctx: HookContext, opts: { dashboard?: boolean } = {}): Pane[] {
  const coordinator = coordinatorDir(ctx.wt);
  const lanes = Object.keys(ctx.config.roles)
    .map((role) => ({ title: role, cwd: laneDir(ctx.config, coordinator, role) }))
    .filter((p) => existsSync(p.cwd));
  return [
    { title: 'COORDINATOR', cwd: coordinator, command: paneCommand(ctx, 'status --watch') },
    ...(opts.dashboard
      ? [{ title: 'DASHBOARD', cwd: coordinator, command: paneCommand(ctx, 'dashboard --no-open') }]
      : []),
    ...lanes,
  ];
}

export const sessionName = (ctx: HookContext) =>
  `lanes-${path.basename(coordinatorDir(ctx.wt))}`.replace(/[^A-Za-z0-9_-]/g, '_');

/**
 * A KDL 1.0 string, the version zellij's layouts are read as (zellij-utils depends on the kdl
 * crate 4.x, which implements KDL 1.0; https://kdl.dev/spec-v1). JSON.stringify is not one: it
 * writes a control character as `\u0001`, and KDL 1.0 spells a code point `\u{1}`.
 */
const KDL_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};
export const kdl = (s: string) =>
  `"${s.replace(/["\\\u0000-\u001f\u007f]/g, (c) => KDL_ESCAPES[c] ?? `\\u{${c.charCodeAt(0).toString(16)}}`)}"`;

function kdlPane(p: Pane, indent: string): string {
  const [cmd, ...args] = p.command ?? [];
  return cmd
    ? `${indent}pane name=${kdl(p.title)} cwd=${kdl(p.cwd)} command=${kdl(cmd)} {\n${indent}    args ${args.map(kdl).join(' ')}\n${indent}}`
    : `${indent}pane name=${kdl(p.title)} cwd=${kdl(p.cwd)}`;
}

export function zellijLayout(panes: Pane[]): string {
  const [coord, ...lanes] = panes;
  const lines = [
    'layout {',
    '    pane size=1 borderless=true {',
    '        plugin location="zellij:tab-bar"',
    '    }',
    '    pane split_direction="vertical" {',
  ];
  lines.push(kdlPane(coord!, '        '));
  if (lanes.length) {
    lines.push('        pane split_direction="horizontal" {');
    for (const p of lanes) lines.push(kdlPane(p, '            '));
    lines.push('        }');
  }
  lines.push(
    '    }',
    '    pane size=2 borderless=true {',
    '        plugin location="zellij:status-bar"',
    '    }',
    '}',
  );
  return lines.join('\n') + '\n';
}

/**
 * A directory as tmux's `-c start-directory` takes it literally. tmux expands that argument as a
 * format (tmux(1), FORMATS; the documented `-c "#{pane_current_path}"` relies on it), and a
 * format's `#(command)` runs a shell command: a worktree path holding `#(...)` would run it when
 * the session starts (route 13; verified with tmux 3.3a). FORMATS: "'##' is replaced by a single
 * '#'", so doubling every `#` leaves nothing to expand. The shell-command argument and pane titles
 * are not expanded (verified); the session name is sanitized by sessionName.
 */
export const tmuxLiteral = (s: string): string => s.replaceAll('#', '##');

export function tmuxCommands(panes: Pane[], session: string): string[][] {
  const [coord, ...lanes] = panes;
  const win = `${session}:lanes`;
  const cmds: string[][] = [
    [
      'new-session',
      '-d',
      '-s',
      session,
      '-n',
      'lanes',
      '-x',
      '240',
      '-y',
      '70',
      '-c',
      tmuxLiteral(coord!.cwd),
      ...(coord!.command ? [coord!.command.map(shellWord).join(' ')] : []),
    ],
    ['set-option', '-t', session, 'pane-border-status', 'top'],
    ['select-pane', '-t', `${win}.0`, '-T', coord!.title],
  ];
  for (const p of lanes) {
    cmds.push(
      [
        'split-window',
        '-t',
        win,
        '-c',
        tmuxLiteral(p.cwd),
        ...(p.command ? [p.command.map(shellWord).join(' ')] : []),
      ],
      ['select-pane', '-t', win, '-T', p.title],
      ['select-layout', '-t', win, 'tiled'],
    );
  }
  return cmds;
}

/** The tmux commands as sh lines (`launch --print`): pasted into a shell, they run as launch does. */
export const tmuxScript = (panes: Pane[], session: string): string[] =>
  tmuxCommands(panes, session).map((c) => ['tmux', ...c].map(shellWord).join(' '));

/** Plain words stay readable in the printed commands; anything else is quoted. */
const shellWord = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : shellQuote(a));

const PACKAGES: Record<string, string> = {
  tmux: 'tmux is not installed: apt-get install tmux (Debian/Ubuntu), brew install tmux (macOS)',
  zellij:
    'zellij is not installed: cargo install --locked zellij, brew install zellij, or a release from zellij.dev; or use --multiplexer tmux',
};

export function launch(
  ctx: HookContext,
  mux: string,
  print: boolean,
  log: (s: string) => void,
  opts: { dashboard?: boolean } = {},
): number {
  if (mux !== 'zellij' && mux !== 'tmux')
    throw new UserError('launch: --multiplexer is zellij or tmux');
  const panes = controlRoomPanes(ctx, opts);
  const session = sessionName(ctx);
  if (print) {
    if (mux === 'zellij') log(zellijLayout(panes).trimEnd());
    else for (const line of tmuxScript(panes, session)) log(line);
    return EXIT.ok;
  }
  const probe = spawnSync(mux, ['--version'], { encoding: 'utf8' });
  if (
    probe.error ||
    (mux === 'tmux' && probe.status !== 0 && spawnSync('tmux', ['-V']).status !== 0)
  )
    throw new UserError(`launch: ${PACKAGES[mux]}`);
  if (mux === 'zellij') {
    if (!process.stdout.isTTY)
      throw new UserError(
        'launch: zellij needs a terminal; run it from one, or print the layout with --print',
      );
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'lanes-zellij-')), 'lanes.kdl');
    writeFileSync(file, zellijLayout(panes));
    return (
      spawnSync('zellij', ['--session', session, '--layout', file], { stdio: 'inherit' }).status ??
      EXIT.refused
    );
  }
  if (spawnSync('tmux', ['has-session', '-t', session], { stdio: 'ignore' }).status === 0) {
    log(`launch: tmux session ${session} is already running: tmux attach -t ${session}`);
    return EXIT.ok;
  }
  for (const c of tmuxCommands(panes, session)) {
    const r = spawnSync('tmux', c, { encoding: 'utf8' });
    if (r.status !== 0)
      throw new UserError(`launch: tmux ${c.join(' ')} failed: ${r.stderr.trim()}`, EXIT.refused);
  }
  log(
    `launch: tmux session ${session} with ${panes.length} panes (${panes.map((p) => p.title).join(', ')})`,
  );
  if (process.stdout.isTTY && !process.env.TMUX)
    return spawnSync('tmux', ['attach', '-t', session], { stdio: 'inherit' }).status ?? EXIT.ok;
  log(`attach with: tmux attach -t ${session}`);
  return EXIT.ok;
}
