import type { Bar } from '../src/core/Bar.js';

/**
 * `count` one-minute bars of one symbol, the same on every run: a random walk from a fixed seed
 * (a 32-bit linear congruential generator), 390 bars per weekday from 09:31 New York time, stamped
 * at each minute's end like the shipped sample data. Prices move by at most ±0.1 % a minute.
 */
export function syntheticBars(count: number, symbol = 'SYN', seed = 20190211): Bar[] {
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const bars: Bar[] = new Array<Bar>(count);
  // 2019-01-02 09:31 New York (EST, UTC−5) = 14:31Z.
  let day = Date.UTC(2019, 0, 2);
  let minute = 0;
  let close = 100;
  for (let i = 0; i < count; i++) {
    if (minute === 390) {
      minute = 0;
      do day += 86_400_000;
      while (new Date(day).getUTCDay() === 0 || new Date(day).getUTCDay() === 6);
    }
    const open = close;
    close = Math.round(open * (1 + (next() - 0.5) * 0.002) * 100) / 100;
    const high = Math.round(Math.max(open, close) * (1 + next() * 0.0005) * 100) / 100;
    const low = Math.round(Math.min(open, close) * (1 - next() * 0.0005) * 100) / 100;
    bars[i] = { symbol, time: day + (14 * 60 + 31 + minute) * 60_000, open, high, low, close, volume: 100 + Math.floor(next() * 1000) };
    minute++;
  }
  return bars;
}
