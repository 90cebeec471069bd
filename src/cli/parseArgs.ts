import { parseArgs as nodeParseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from '../core/errors.js';
import { formatHelp, HELP_OPTION, type CommandSpec } from './CommandSpec.js';
import { HelpRequested } from './HelpRequested.js';

type NodeOptions = NonNullable<ParseArgsConfig['options']>;

/** What node:util's parser returns for a spec's options (typed per option, as it types them). */
type Parsed<S extends CommandSpec, P extends boolean> = ReturnType<typeof nodeParseArgs<{ args: string[]; options: S['options']; strict: true; allowPositionals: P }>>;

/** The spec's options as node:util's parser takes them (without the help texts), plus `--help`/`-h`. */
function nodeOptions(spec: CommandSpec): NodeOptions {
  const out: NodeOptions = {};
  for (const [name, o] of Object.entries({ ...spec.options, help: HELP_OPTION })) {
    out[name] = { type: o.type, ...(o.multiple === undefined ? {} : { multiple: o.multiple }), ...(o.short === undefined ? {} : { short: o.short }), ...(o.default === undefined ? {} : { default: o.default }) };
  }
  return out;
}

/** node:util's message, said the way the rest of the CLI says things, with where to look. */
function messageOf(error: unknown, spec: CommandSpec): string {
  const e = error as { code?: unknown; message?: unknown };
  const text = typeof e.message === 'string' ? e.message : String(error);
  const hint = `(${spec.invocation} --help lists the options)`;
  const quoted = /'([^']+)'/.exec(text)?.[1];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted !== undefined) return `unknown option ${quoted} ${hint}`;
  if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && quoted !== undefined) return `unexpected word "${quoted}" ${hint}`;
  const missing = /^Option '(?:-\w, )?--([\w-]+) <value>' argument missing/.exec(text)?.[1];
  const option = missing === undefined ? undefined : spec.options[missing];
  if (option !== undefined) return `--${missing} needs a value (${option.value ?? 'VALUE'}) ${hint}`;
  return `${text} ${hint}`;
}

/**
 * node:util parseArgs over a command's spec, strict: an unknown option or a bad value is one
 * CliError naming it (exit 2). `--help` or `-h` anywhere before `--` throws HelpRequested with the
 * spec's help, before anything else is checked (required flags, files).
 */
export function parseArgsWithPositionals<S extends CommandSpec, P extends boolean = true>(args: string[], spec: S, positionals: P = true as P): Parsed<S, P> {
  const end = args.indexOf('--');
  const flags = end === -1 ? args : args.slice(0, end);
  if (flags.includes('--help') || flags.includes('-h')) throw new HelpRequested(formatHelp(spec));
  try {
    return nodeParseArgs({ args, options: nodeOptions(spec), strict: true, allowPositionals: positionals }) as Parsed<S, P>;
  } catch (error) {
    throw new CliError(`${spec.name}: ${messageOf(error, spec)}`, { cause: error });
  }
}

/** The same for a command that takes no words: its option values. */
export function parseArgs<S extends CommandSpec>(args: string[], spec: S): Parsed<S, false>['values'] {
  return parseArgsWithPositionals(args, spec, false).values;
}

/** A finite number from a flag, or a CliError naming the flag. */
export function numberFlag(value: string | undefined, flag: string, fallback: number, check: (n: number) => boolean = Number.isFinite): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !check(n)) throw new CliError(`--${flag}: invalid value "${value}"`);
  return n;
}
