import type { z } from 'zod';
import { CliError } from '../core/errors.js';

/** A grid of parameter values and the combinations it spans. */
export interface Grid {
  /** The parameters swept, in the order given (the last one varies fastest). */
  readonly keys: readonly string[];
  readonly values: ReadonlyArray<readonly unknown[]>;
  /** Each combination the strategy accepts: its grid values, and every parameter of the strategy (validated). */
  readonly combinations: ReadonlyArray<{ readonly grid: Readonly<Record<string, unknown>>; readonly params: Readonly<Record<string, unknown>> }>;
  /** Combinations the strategy's own rules refuse (e.g. fast ≥ slow), with why. */
  readonly skipped: ReadonlyArray<{ readonly grid: Readonly<Record<string, unknown>>; readonly reason: string }>;
}

/** More than this many combinations is a mistake more often than a plan. */
export const MAX_COMBINATIONS = 100_000;

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * `--grid '{"fast":[5,10,20],"slow":[30,60]}'`: every combination of the values (a single value
 * stands for a list of one) over the strategy's `base` parameters, each validated by the strategy's
 * schema. A value of the wrong type or out of range, or an unknown parameter, is an error; a
 * combination refused only by a rule between parameters (a custom check) is skipped and listed.
 */
export function parseGrid(text: string, type: string, schema: z.ZodType, base: Readonly<Record<string, unknown>>): Grid {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CliError(`--grid: not valid JSON (${error instanceof Error ? error.message : String(error)}); e.g. '{"fast":[5,10],"slow":[30,60]}'`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || Object.keys(raw).length === 0) {
    throw new CliError(`--grid: must be an object of parameter → list of values, e.g. '{"fast":[5,10],"slow":[30,60]}'`);
  }
  const keys = Object.keys(raw);
  const values = keys.map((k) => {
    const v = (raw as Record<string, unknown>)[k];
    const list = Array.isArray(v) ? v : [v];
    if (list.length === 0) throw new CliError(`--grid: ${k}: the list of values is empty`);
    const unique = list.filter((x, i) => list.findIndex((y) => same(x, y)) === i);
    if (unique.length !== list.length) throw new CliError(`--grid: ${k}: a value is listed twice`);
    return list as unknown[];
  });
  const total = values.reduce((a, v) => a * v.length, 1);
  if (total > MAX_COMBINATIONS) throw new CliError(`--grid: ${total.toLocaleString('en-US')} combinations; at most ${MAX_COMBINATIONS.toLocaleString('en-US')}`);

  const combinations: Array<Grid['combinations'][number]> = [];
  const skipped: Array<Grid['skipped'][number]> = [];
  for (let i = 0; i < total; i++) {
    const grid: Record<string, unknown> = {};
    let rest = i;
    for (let k = keys.length - 1; k >= 0; k--) {
      const list = values[k]!;
      grid[keys[k]!] = list[rest % list.length];
      rest = Math.floor(rest / list.length);
    }
    const ordered = Object.fromEntries(keys.map((k) => [k, grid[k]]));
    const parsed = schema.safeParse({ ...base, ...ordered });
    if (parsed.success) {
      combinations.push({ grid: ordered, params: parsed.data as Record<string, unknown> });
      continue;
    }
    const fatal = parsed.error.issues.find((issue) => issue.code !== 'custom');
    if (fatal !== undefined) {
      const path = fatal.path.map(String).join('.');
      const what = fatal.code === 'unrecognized_keys' ? `${type} has no such parameter (${fatal.message})` : `${fatal.message}`;
      throw new CliError(`--grid: ${path === '' ? '' : `${path}: `}${what}, in ${JSON.stringify(ordered)}`);
    }
    skipped.push({ grid: ordered, reason: parsed.error.issues.map((issue) => `${issue.path.map(String).join('.')} ${issue.message}`).join('; ') });
  }
  if (combinations.length === 0) throw new CliError(`--grid: ${type} refuses every combination (first: ${JSON.stringify(skipped[0]!.grid)}: ${skipped[0]!.reason})`);
  return { keys, values, combinations, skipped };
}
