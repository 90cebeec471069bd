import { nyDayNumber } from './zonedTime.js';

/**
 * Where each New York day of bars in time order begins, and `length` after the last: day k is bars
 * `starts[k]` … `starts[k + 1] − 1`. Days are the days that have bars (trading days, in real data).
 */
export function dayStarts(time: Float64Array, length: number): number[] {
  const starts: number[] = [];
  let last = Number.NaN;
  for (let i = 0; i < length; i++) {
    const d = nyDayNumber(time[i]!);
    if (d !== last) starts.push(i);
    last = d;
  }
  starts.push(length);
  return starts;
}
