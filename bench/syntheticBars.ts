import type { Bar } from '../src/core/Bar.js';
import { StaticNyseCalendar } from '../src/risk/calendar/StaticNyseCalendar.js';

/**
 * `count` one-minute bars of one symbol, the same on every run: a random walk from a fixed seed
 * (a 32-bit linear congruential generator) over the NYSE regular sessions from 2019-01-02 (390
 * bars a day, 210 on early closes; New York time, daylight saving included), stamped at each
 * minute's end like the shipped sample data. Prices move by at most ±0.1 % a minute.
 */
export function syntheticBars(count: number, symbol = 'SYN', seed = 20190211): Bar[] {
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const calendar = new StaticNyseCalendar();
  const bars: Bar[] = new Array<Bar>(count);
  let close = 100;
  let day = Date.UTC(2019, 0, 2);
  let i = 0;
  while (i < count) {
    const session = calendar.session(new Date(day).toISOString().slice(0, 10));
    day += 86_400_000;
    if (session === null) continue;
    for (let t = session.open + 60_000; t <= session.close && i < count; t += 60_000, i++) {
      const open = close;
      close = Math.round(open * (1 + (next() - 0.5) * 0.002) * 100) / 100;
      const high = Math.round(Math.max(open, close) * (1 + next() * 0.0005) * 100) / 100;
      const low = Math.round(Math.min(open, close) * (1 - next() * 0.0005) * 100) / 100;
      bars[i] = { symbol, time: t, open, high, low, close, volume: 100 + Math.floor(next() * 1000) };
    }
  }
  return bars;
}
