import { parseArgs as nodeParseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from '../core/errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, strict, with its errors turned into one CliError the user can act on. */
export function parseArgs<O extends Options>(args: string[], options: O, command: string) {
  return parseArgsWithPositionals(args, options, command, false).values;
}

/** The same, also returning the words that are not flags (when `positionals` allows them). */
export function parseArgsWithPositionals<O extends Options>(args: string[], options: O, command: string, positionals = true) {
  try {
    return nodeParseArgs({ args, options, strict: true, allowPositionals: positionals });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(`${command}: ${message}`, { cause: error });
  }
}

/** A finite number from a flag, or a CliError naming the flag. */
export function numberFlag(value: string | undefined, flag: string, fallback: number, check: (n: number) => boolean = Number.isFinite): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !check(n)) throw new CliError(`--${flag}: invalid value "${value}"`);
  return n;
}
