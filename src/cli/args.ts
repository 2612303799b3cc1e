// Argument parsing with node's util.parseArgs, the options from the command's table in spec.ts
// (which help prints too); its errors become usage errors (exit 2).
import { parseArgs } from 'node:util';
import { UserError } from '../util/errors.js';
import { COMMAND_SPECS, type CommandName } from './spec.js';

type Options<C extends CommandName> = (typeof COMMAND_SPECS)[C]['options'];
type ParseOptions<O> = {
  [K in keyof O]: O[K] extends { type: infer T; short?: infer S; multiple: true }
    ? { type: T; short?: S extends string ? S : never; multiple: true }
    : O[K] extends { type: infer T; short?: infer S }
      ? { type: T; short?: S extends string ? S : never }
      : never;
} & { help: { type: 'boolean'; short: 'h' } };

export function parse<C extends CommandName>(command: C, argv: string[]) {
  const spec = COMMAND_SPECS[command] as {
    args?: string;
    options: Record<string, { type: 'boolean' | 'string'; short?: string; multiple?: boolean }>;
  };
  const options = Object.fromEntries(
    Object.entries(spec.options).map(([n, o]) => [
      n,
      {
        type: o.type,
        ...(o.short ? { short: o.short } : {}),
        ...(o.multiple ? { multiple: true } : {}),
      },
    ]),
  );
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } } as ParseOptions<Options<C>>,
      allowPositionals: spec.args !== undefined,
      strict: true,
    });
  } catch (e) {
    throw new UserError(
      `lanes-hooks ${command}: ${(e as Error).message}\nSee: lanes-hooks ${command.split(' ')[0]} --help`,
    );
  }
}
