import type { Bar } from './Bar.js';

/** The index of the first of time-ordered `bars` at or after `time` (their length when none is). */
export function firstBarAt(bars: readonly Bar[], time: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bars[mid]!.time < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
