import type { EquityPoint } from '../portfolio/EquityPoint.js';
import { nyDateOf } from '../market-data/zonedTime.js';

/** One New York calendar month's return: its last equity against the month before's last (the first against the start). */
export interface MonthlyReturn {
  /** `YYYY-MM`, New York dates. */
  readonly month: string;
  readonly return: number;
  /** The equity at the month's last point. */
  readonly endEquity: number;
}

/**
 * Monthly returns from a curve's daily closes (the last point of each New York day, time order):
 * a month's return compounds its days', so it is its last close over the previous month's last
 * close (the starting equity for the first month) minus one. Months without a point are absent.
 */
export function monthlyReturns(dailyCloses: readonly EquityPoint[], startingEquity: number): MonthlyReturn[] {
  const ends: Array<{ month: string; equity: number }> = [];
  for (const p of dailyCloses) {
    const month = nyDateOf(p.time).slice(0, 7);
    const last = ends.at(-1);
    if (last !== undefined && last.month === month) last.equity = p.equity;
    else ends.push({ month, equity: p.equity });
  }
  let before = startingEquity;
  return ends.map(({ month, equity }) => {
    const r = before > 0 ? equity / before - 1 : 0;
    before = equity;
    return { month, return: r, endEquity: equity };
  });
}
