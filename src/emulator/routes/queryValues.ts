import { NEW_YORK, wallTimeToUtc } from '../../market-data/zonedTime.js';
import { ApiError, invalid } from '../http/ApiError.js';

/** A 400 for a malformed query value, naming it (the market-data API answers 400, the trading API 422). */
export const badQuery = (status: 400 | 422, message: string): ApiError => (status === 422 ? invalid(message) : new ApiError(400, 40010001, message));

/**
 * An instant from a query value: RFC-3339, or `YYYY-MM-DD` (New York midnight; the day's last
 * millisecond when it ends a range, which is inclusive).
 */
export function timeParam(q: URLSearchParams, name: string, status: 400 | 422, endOfDay = false): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (date !== null) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    return endOfDay ? wallTimeToUtc(y, m, d + 1, 0, 0, 0, 0, NEW_YORK) - 1 : wallTimeToUtc(y, m, d, 0, 0, 0, 0, NEW_YORK);
  }
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(v) ? Date.parse(v) : Number.NaN;
  if (!Number.isFinite(ms)) throw badQuery(status, `invalid ${name}: "${v}" (RFC-3339 or YYYY-MM-DD)`);
  return ms;
}

export function intParam(q: URLSearchParams, name: string, status: 400 | 422, min: number, max: number, fallback: number): number {
  const v = q.get(name);
  if (v === null || v === '') return fallback;
  const n = Number(v);
  if (!(Number.isInteger(n) && n >= min && n <= max)) throw badQuery(status, `invalid ${name}: "${v}" (an integer from ${min} to ${max})`);
  return n;
}

export function enumParam<T extends string>(q: URLSearchParams, name: string, status: 400 | 422, allowed: readonly T[], fallback: T): T {
  const v = q.get(name);
  if (v === null || v === '') return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw badQuery(status, `invalid ${name}: "${v}" (one of ${allowed.join(', ')})`);
  return v as T;
}

/** A decimal query value (qty, percentage), or undefined when absent. */
export function decimalParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!(Number.isFinite(n) && n > 0)) throw invalid(`invalid ${name}: "${v}" (a positive decimal)`);
  return n;
}

/** A comma-separated list (`symbols=AAPL,TSLA`), trimmed, without empties. */
export function listParam(q: URLSearchParams, name: string): string[] {
  return (q.get(name) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
