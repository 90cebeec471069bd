import type { Bar } from '../../core/Bar.js';
import { nyDateOf } from '../../market-data/zonedTime.js';
import type { MarketCalendar } from '../../risk/calendar/MarketCalendar.js';
import type { MarketSeries } from './MarketSeries.js';
import { minuteRandom } from './minuteTape.js';
import { extendedSession } from './tradingPhase.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Thin pre-market and after-hours minutes for data that has none (tests and rehearsals of extended
 * hours; `--extended-hours synthetic`). For each session a symbol trades in the data, a session part
 * (pre-market 04:00 to the open, after-hours the close to 20:00, 17:00 on early closes) the data
 * leaves empty gets minutes: the pre-market walks from the previous session's close to this open
 * (a random bridge), the after-hours walks on from the close. Only some minutes trade (about one in
 * seven early in the morning and late in the evening, one in three near the open and the close), each
 * with a small volume (0.1–0.5 % of the symbol's average regular minute); the rest have no bar, as at
 * Alpaca a minute without trades has none. Seeded: the same seed gives the same minutes. A symbol
 * that never trades volume (an index such as VIX) gets none.
 */
export function withSyntheticExtendedHours(series: readonly MarketSeries[], calendar: MarketCalendar, seed: number): MarketSeries[] {
  return series.map((s) => {
    const regular = new Map<string, Bar[]>();
    const extended = new Map<string, { pre: boolean; post: boolean }>();
    let volume = 0;
    for (const b of s.minute) {
      const date = nyDateOf(b.time);
      const session = calendar.session(date);
      if (session === null) continue;
      if (b.time >= session.open && b.time < session.close) {
        const list = regular.get(date) ?? [];
        list.push(b);
        regular.set(date, list);
        volume += b.volume;
      } else {
        const e = extended.get(date) ?? { pre: false, post: false };
        if (b.time < session.open) e.pre = true;
        else e.post = true;
        extended.set(date, e);
      }
    }
    const regularCount = [...regular.values()].reduce((n, l) => n + l.length, 0);
    if (volume <= 0 || regularCount === 0) return s;
    const average = volume / regularCount;
    const added: Bar[] = [];
    let previousClose: number | undefined;
    for (const date of [...regular.keys()].sort()) {
      const day = regular.get(date)!;
      const session = extendedSession(calendar.session(date)!);
      const has = extended.get(date) ?? { pre: false, post: false };
      const open = day[0]!.open;
      const close = day[day.length - 1]!.close;
      const from = previousClose ?? dailyCloseBefore(s, session.preOpen) ?? open;
      if (!has.pre) added.push(...walk(s.symbol, session.preOpen, session.open, from, open, average, minuteRandom(seed, s.symbol, session.preOpen, 11), (t) => (t >= session.open - 90 * MINUTE ? 0.35 : 0.15)));
      if (!has.post) added.push(...walk(s.symbol, session.close, session.postClose, close, null, average, minuteRandom(seed, s.symbol, session.close, 12), (t) => (t < session.close + HOUR ? 0.35 : 0.15)));
      previousClose = close;
    }
    if (added.length === 0) return s;
    return { ...s, minute: [...s.minute, ...added].sort((a, b) => a.time - b.time) };
  });
}

function dailyCloseBefore(s: MarketSeries, t: number): number | undefined {
  let close: number | undefined;
  for (const d of s.daily) if (d.time < t - 24 * HOUR) close = d.close;
  return close;
}

/**
 * Minutes from `start` to `end` along a random walk from `from` (to `to` when given: a bridge), each
 * trading with probability `activity(t)`.
 */
function walk(symbol: string, start: number, end: number, from: number, to: number | null, average: number, random: () => number, activity: (t: number) => number): Bar[] {
  const n = Math.round((end - start) / MINUTE);
  if (n <= 0) return [];
  const sigma = from * 0.0004;
  const steps: number[] = [0];
  for (let i = 1; i <= n; i++) steps.push(steps[i - 1]! + sigma * (2 * random() - 1) * Math.sqrt(3));
  const price = (i: number): number => (to === null ? from + steps[i]! : from + ((to - from) * i) / n + steps[i]! - (i / n) * steps[n]!);
  const bars: Bar[] = [];
  for (let i = 0; i < n; i++) {
    const time = start + i * MINUTE;
    const trades = random() < activity(time);
    const wiggle = random() * from * 0.0003;
    const size = Math.max(1, Math.round(average * (0.001 + 0.004 * random())));
    if (!trades) continue;
    const open = tick(price(i));
    const close = tick(price(i + 1));
    const high = Math.max(tick(Math.max(open, close) + wiggle), open, close);
    const low = Math.min(tick(Math.min(open, close) - wiggle), open, close);
    bars.push({ symbol, time, open, high, low, close, volume: size });
  }
  return bars;
}

/** A price on Alpaca's tick grid: whole cents from $1, hundredths of a cent below (never ≤ 0). */
function tick(p: number): number {
  const v = p >= 1 ? Math.round(p * 100) / 100 : Math.round(p * 10_000) / 10_000;
  return Math.max(v, 0.0001);
}
