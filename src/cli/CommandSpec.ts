/**
 * One command-line option: what node:util's parseArgs needs (type, multiple, short, default) plus
 * what the help prints. The parser and `--help` read the same object, so they cannot disagree.
 */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
  readonly default?: string | boolean;
  /** The value's name in the help (`FILE`, `N`, `sim|alpaca` …); string options only. */
  readonly value?: string;
  readonly help: string;
}

/** A command: its synopsis, the words it takes (if any), its options, and lines said after them. */
export interface CommandSpec {
  readonly name: string;
  /** One line, for the list of commands. */
  readonly summary: string;
  /** How a user types it, without the options: `npm start --`, `npm run status --`. */
  readonly invocation: string;
  /** Synopses after the invocation when one `[options]` does not say it (several forms, required flags). */
  readonly forms?: readonly string[];
  /** The words (positionals) it takes, e.g. `status | pause <strategy|account|all>`; none when absent. */
  readonly words?: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly notes?: readonly string[];
}

/** Every command takes it; it is not listed in the specs. */
export const HELP_OPTION: OptionSpec = { type: 'boolean', short: 'h', help: 'print this help and exit' };

/** `--name VALUE` or `-x, --name VALUE`, as the help lists it. */
function flagOf(name: string, o: OptionSpec): string {
  const value = o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : '';
  return `${o.short === undefined ? '    ' : `-${o.short}, `}--${name}${value}${o.multiple === true ? ' …' : ''}`;
}

/** The text `--help` prints: usage, summary, options with their defaults, notes. */
export function formatHelp(spec: CommandSpec): string {
  const forms = spec.forms ?? [`[options]${spec.words === undefined ? '' : ` ${spec.words}`}`];
  const usage = forms.map((f, i) => `${i === 0 ? 'usage: ' : '       '}${spec.invocation} ${f}`);
  const rows = [...Object.entries(spec.options), ['help', HELP_OPTION] as const].map(([name, o]) => {
    const fallback = o.default === undefined || o.default === false ? '' : ` (default: ${String(o.default)})`;
    return [flagOf(name, o), `${o.help}${fallback}`] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return [
    ...usage,
    '',
    spec.summary,
    '',
    'options:',
    ...rows.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}`),
    ...(spec.notes === undefined ? [] : ['', ...spec.notes]),
    '',
  ].join('\n');
}
