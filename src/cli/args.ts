// Argument parsing with node's util.parseArgs; its errors become usage errors (exit 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../util/errors.js';

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  argv: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
  } catch (e) {
    throw new UserError(
      `lanes-hooks ${command}: ${(e as Error).message}\nSee: lanes-hooks ${command} --help`,
    );
  }
}
