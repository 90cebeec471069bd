import type { Bar } from '../core/Bar.js';

/**
 * What makes a bar impossible, null when it is a bar: every price finite and positive, a volume
 * finite and not negative, the high at or above the open, close and low, the low at or below the
 * open and close. The same rules for a CSV file, Alpaca's history and its live stream.
 */
export function barProblem(b: Bar): string | null {
  if (!Number.isFinite(b.time)) return `time ${b.time} is not a time`;
  for (const k of ['open', 'high', 'low', 'close'] as const) {
    if (!(Number.isFinite(b[k]) && b[k] > 0)) return `${k} ${b[k]} is not a positive price`;
  }
  if (!(Number.isFinite(b.volume) && b.volume >= 0)) return `volume ${b.volume} is not a finite count ≥ 0`;
  if (b.high < Math.max(b.open, b.close, b.low)) return `high ${b.high} is below the open, close or low`;
  if (b.low > Math.min(b.open, b.close)) return `low ${b.low} is above the open or close`;
  return null;
}
