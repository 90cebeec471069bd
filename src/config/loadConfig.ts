import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { configSchema, type DaemonConfig } from './configSchema.js';
import { formatIssuePath } from './formatIssuePath.js';

export interface LoadConfigOptions {
  /** The params schema of every known strategy type. */
  readonly strategyParams: Readonly<Record<string, z.ZodType>>;
}

// A missing field reads "is required" rather than zod's "expected number, received undefined".
const errorMap = (issue: { code?: string; input?: unknown }): string | undefined =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined;

/** Reads and validates a configuration file; see `parseConfig`. */
export function loadConfig(file: string, options: LoadConfigOptions): DaemonConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(error)})`}`, { cause: error });
  }
  return parseConfig(text, file, options);
}

/**
 * Validates a configuration (strict: an unknown key is an error, so a typo never silently falls
 * back to a default), checks each strategy's params against its type, applies defaults and returns
 * the result deeply frozen. All problems are reported at once, one per line, each naming its field.
 */
export function parseConfig(text: string, file: string, options: LoadConfigOptions): DaemonConfig {
  // A byte order mark (Windows editors write one) is not part of the JSON (RFC 8259 §8.1 lets a reader ignore it).
  const json = text.replace(/^\uFEFF/, '');
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON${jsonPosition(json, error)}`, { cause: error });
  }
  const parsed = configSchema.safeParse(raw, { error: errorMap });
  if (!parsed.success) throw new ConfigError(describe(file, parsed.error.issues));

  const known = Object.keys(options.strategyParams).sort();
  const problems: string[] = [];
  const strategies = parsed.data.strategies.map((s, i) => {
    const schema = options.strategyParams[s.type];
    if (schema === undefined) {
      problems.push(`${file}: strategies[${i}].type: unknown strategy type "${s.type}" (known: ${known.join(', ')})`);
      return s;
    }
    const p = schema.safeParse(s.params, { error: errorMap });
    if (!p.success) {
      problems.push(describe(file, p.error.issues, ['strategies', i, 'params']));
      return s;
    }
    return { ...s, params: p.data as Record<string, unknown> };
  });
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
  return deepFreeze({ ...parsed.data, strategies });
}

/**
 * The enabled strategies' allocations must fit in the account: two strategies cannot both spend the
 * same dollar. `source` names where `equity` came from (e.g. `sim.starting_cash`).
 */
export function checkAllocations(config: DaemonConfig, equity: number, source: string, file?: string): void {
  const enabled = config.strategies.filter((s) => s.enabled);
  const total = enabled.reduce((sum, s) => sum + s.capital_allocation, 0);
  if (total > equity + 1e-9) {
    throw new ConfigError(
      `${file === undefined ? '' : `${file}: `}strategies: capital_allocation of the enabled strategies adds up to $${total.toFixed(2)} ` +
        `(${enabled.map((s) => `${s.id} $${s.capital_allocation}`).join(', ')}), more than the account's $${equity.toFixed(2)} (${source})`,
    );
  }
}

function describe(file: string, issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): string {
  return issues
    .map((i) => {
      const path = formatIssuePath([...prefix, ...i.path]);
      if (i.code === 'unrecognized_keys') return `${file}: ${path}: unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')}`;
      return `${file}: ${path}: ${i.message}`;
    })
    .join('\n');
}

/** " at line L, column C" from a JSON.parse error, when V8 says where. */
function jsonPosition(text: string, error: unknown): string {
  const m = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  if (m === null) return error instanceof Error ? ` (${error.message})` : '';
  const before = text.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column} (${(error as Error).message})`;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
