// `lanes-hooks --help`, `lanes-hooks help <command>` and `lanes-hooks <command> --help`, all made
// from the option tables parse() reads (spec.ts): help cannot drift from what is accepted.
import { COMMAND_SPECS, GROUPS, type CommandSpec, type OptionSpec } from './spec.js';

const SPECS: Record<string, CommandSpec> = COMMAND_SPECS;

const flag = (name: string, o: OptionSpec) =>
  `--${name}${o.short ? `|-${o.short}` : ''}${o.arg ? ` ${o.arg}` : ''}`;

/** `install [--role <role>] [--agent <agent>]` */
export function synopsis(name: string): string {
  const spec = SPECS[name]!;
  const opts = Object.entries(spec.options).map(([n, o]) =>
    o.required ? flag(n, o) : `[${flag(n, o)}]`,
  );
  return [name, spec.args, ...opts].filter(Boolean).join(' ');
}

const indent = (text: string, by: string) =>
  text
    .split('\n')
    .map((l) => by + l)
    .join('\n');

/** The options as an aligned list, each help line under the others. */
function optionLines(spec: CommandSpec, by: string): string[] {
  const entries = Object.entries(spec.options);
  const width = Math.max(0, ...entries.map(([n, o]) => flag(n, o).length)) + 3;
  return entries.map(([n, o]) => {
    const [first, ...more] = o.help.split('\n');
    return [
      `${by}${flag(n, o).padEnd(width)}${first}`,
      ...more.map((l) => `${by}${' '.repeat(width)}${l}`),
    ].join('\n');
  });
}

function commandHelp(name: string): string {
  const spec = SPECS[name]!;
  return [
    `lanes-hooks ${synopsis(name)}${spec.tag ? `   ${spec.tag}` : ''}`,
    indent(spec.about, '  '),
    ...optionLines(spec, '  '),
    ...(spec.note ? [indent(spec.note, '  ')] : []),
  ].join('\n');
}

/** A command with subcommands: each one's synopsis, what it does and its options. */
function groupHelp(group: string): string {
  const g = GROUPS[group]!;
  const subs = Object.keys(SPECS).filter((n) => n.startsWith(`${group} `));
  const blocks = subs.map((n) =>
    [
      `lanes-hooks ${synopsis(n)}`,
      indent(SPECS[n]!.about, '  '),
      ...optionLines(SPECS[n]!, '  '),
    ].join('\n'),
  );
  return [
    `lanes-hooks ${group} ${g.args}${g.tag ? `   ${g.tag}` : ''}`,
    '',
    blocks.join('\n\n'),
    ...(g.note ? ['', g.note] : []),
  ].join('\n');
}

/** Help per command as `<command> --help` and `help <command>` print it. */
export const HELP: Record<string, string> = Object.fromEntries([
  ...Object.keys(SPECS)
    .filter((n) => !n.includes(' '))
    .map((n) => [n, commandHelp(n)]),
  ...Object.keys(GROUPS).map((g) => [g, groupHelp(g)]),
  ...Object.keys(SPECS)
    .filter((n) => n.includes(' '))
    .map((n) => [n, commandHelp(n)]),
]);

/** The main help: every top-level command with all its options, in the tables' order. */
function mainCommands(): string[] {
  const rows: [string, string][] = [];
  const seen = new Set<string>();
  for (const name of Object.keys(SPECS)) {
    const top = name.split(' ')[0]!;
    if (top === 'hook' || seen.has(top)) continue;
    seen.add(top);
    const g = GROUPS[top];
    if (g) rows.push([`${top} ${g.args}`, `${g.summary}${g.tag ? ` ${g.tag}` : ''}`]);
    else {
      const spec = SPECS[name]!;
      rows.push([synopsis(name), `${spec.summary}${spec.tag ? ` ${spec.tag}` : ''}`]);
    }
  }
  const col = 26;
  return rows.map(([left, right]) =>
    left.length + 2 < col - 2
      ? `  ${left.padEnd(col - 2)}${right}`
      : `  ${left}\n${' '.repeat(col)}${right}`,
  );
}

export const MAIN_HELP = [
  'lanes-hooks — git hooks that keep parallel agent lanes (worktrees) within their rules',
  '',
  'Usage: lanes-hooks <command> [options]',
  '',
  'Commands:',
  ...mainCommands(),
  '',
  'Exit codes: 0 ok, 1 refused by policy, 2 usage or config error, 3 conflict.',
  'Override a refusal once: LANES_OVERRIDE="<reason>" git …   (recorded in the audit log)',
  'Run "lanes-hooks help <command>" or "lanes-hooks <command> --help" for a command\'s options.',
].join('\n');
