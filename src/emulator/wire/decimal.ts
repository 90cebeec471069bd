import { InvariantError } from '../../core/errors.js';
import { NEW_YORK, zoneOffset } from '../../market-data/zonedTime.js';

/**
 * A number as Alpaca writes money and quantities on the trading API: a decimal string without
 * exponent or trailing zeros ("100", "174.78", "-0.98"), rounded to `decimals` places.
 */
export function decimal(n: number, decimals = 6): string {
  if (!Number.isFinite(n)) throw new InvariantError(`cannot write ${n} as a decimal`);
  const fixed = Number(n.toFixed(decimals));
  return Object.is(fixed, -0) ? '0' : String(fixed);
}

export const decimalOrNull = (n: number | null, decimals = 6): string | null => (n === null ? null : decimal(n, decimals));

/** RFC-3339 in UTC, as Alpaca stamps orders and bars. */
export const rfc3339 = (ms: number): string => new Date(ms).toISOString();

export const rfc3339OrNull = (ms: number | null): string | null => (ms === null ? null : rfc3339(ms));

/** RFC-3339 with New York's offset, as /v2/clock writes it: `2025-06-24T14:15:22-04:00`. */
export function newYorkTime(ms: number): string {
  const offset = zoneOffset(ms, NEW_YORK);
  const local = new Date(Math.floor(ms / 1000) * 1000 + offset).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset) / 60_000;
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
