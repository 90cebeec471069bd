import { NEW_YORK, nyDateOf, wallTimeToUtc } from '../../market-data/zonedTime.js';
import type { MarketCalendar } from '../../risk/calendar/MarketCalendar.js';
import { invalid } from '../http/ApiError.js';
import { extendedSession, type ExtendedSession } from '../market/tradingPhase.js';
import type { FillActivity } from './EmulatedVenue.js';

export interface PortfolioSource {
  readonly calendar: MarketCalendar;
  readonly startingCash: number;
  /** When the account was opened: no point before it. */
  readonly createdAt: number;
  readonly fills: readonly FillActivity[];
  /** A symbol's last price at an instant (the close of the last minute ended by then). */
  readonly priceAt: (symbol: string, at: number) => number | undefined;
  readonly now: number;
  /** The account's equity now (the point still forming is valued as the account is). */
  readonly equityNow: number;
}

export interface PortfolioQuery {
  readonly period?: string | undefined;
  readonly timeframe?: string | undefined;
  readonly intradayReporting: 'market_hours' | 'extended_hours' | 'continuous';
  readonly start?: number | undefined;
  readonly end?: number | undefined;
  readonly pnlReset: 'per_day' | 'no_reset';
  readonly cashflow: boolean;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
const TIMEFRAMES: Readonly<Record<string, number>> = { '1Min': MINUTE, '5Min': 5 * MINUTE, '15Min': 15 * MINUTE, '1H': 60 * MINUTE, '1D': DAY };
const round = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;

/**
 * GET /v2/account/portfolio/history: the account's equity at the end of each window, labelled by the
 * window's start (unix seconds), from the account's own executions and the replayed prices, so it
 * agrees with the account and the activities. The rules are the spec's: `period` `<n>D|W|M|A`
 * (default 1M; `D` counts trading days), `timeframe` `1Min|5Min|15Min|1H|1D` (default by period: under
 * 7 days 1Min, under 30 days 15Min, else 1D; intraday timeframes only for 30 days or less), two of
 * start/end/period at most; intraday windows cover the regular session (`market_hours`), 04:00–20:00
 * (`extended_hours`) or the whole day (`continuous`); intraday P/L is against the previous session's
 * closing equity, reset each day unless `pnl_reset=no_reset`; daily P/L is against the first point.
 * Daily points are stamped at New York midnight. No point before the account was opened.
 */
export function portfolioHistory(s: PortfolioSource, q: PortfolioQuery): Record<string, unknown> {
  if (q.period !== undefined && q.start !== undefined && q.end !== undefined) throw invalid('only two of start, end and period can be given');
  const period = q.period === undefined ? undefined : parsePeriod(q.period);
  const end = Math.min(q.end ?? s.now, s.now);
  // A session counts once its part reported has begun (before the open, `1D` is the previous session).
  const begins = (x: ExtendedSession): number => (q.intradayReporting === 'market_hours' ? x.open : q.intradayReporting === 'extended_hours' ? x.preOpen : midnight(x.date));
  const sessions = sessionsIn(s.calendar, q.start, end, q.start === undefined ? (period ?? { unit: 'M', n: 1 }) : period, begins);
  const spanDays = sessions.length === 0 ? 0 : (Date.parse(`${sessions[sessions.length - 1]!.date}T00:00:00Z`) - Date.parse(`${sessions[0]!.date}T00:00:00Z`)) / DAY + 1;
  const label = q.timeframe ?? (spanDays < 7 ? '1Min' : spanDays < 30 ? '15Min' : '1D');
  const step = TIMEFRAMES[label];
  if (step === undefined) throw invalid(`invalid timeframe: "${label}" (1Min, 5Min, 15Min, 1H or 1D)`);
  if (step < DAY && spanDays > 30) throw invalid('intraday timeframes cover 30 days at most: use timeframe 1D');

  const equityAt = equityCurve(s);
  const closeOf = (x: ExtendedSession): number | undefined => (x.close <= s.now && x.close >= s.createdAt ? equityAt(x.close) : undefined);
  const timestamp: number[] = [];
  const equity: number[] = [];
  const base: number[] = [];
  let baseValue: number | undefined;
  let baseAsOf: string | undefined;
  if (step === DAY) {
    for (const x of sessions) {
      if (x.open > end || x.close < s.createdAt) continue;
      timestamp.push(Math.floor(midnight(x.date) / 1000));
      equity.push(x.close <= end ? equityAt(x.close) : equityAt(end));
    }
    baseValue = equity[0];
  } else {
    let previousClose: number | undefined;
    let carried: number | undefined;
    for (let i = 0; i < sessions.length; i++) {
      const x = sessions[i]!;
      const before = i > 0 ? sessions[i - 1] : previousSession(s.calendar, x);
      previousClose = before === undefined ? undefined : closeOf(before);
      const [from, to] = q.intradayReporting === 'market_hours' ? [x.open, x.close] : q.intradayReporting === 'extended_hours' ? [x.preOpen, x.postClose] : [midnight(x.date), midnight(x.date) + DAY];
      let dayBase: number | undefined = q.pnlReset === 'no_reset' && carried !== undefined ? carried : previousClose;
      // Windows that have begun (one starting right now has nothing in it yet).
      for (let t = from; t < to && t < end; t += step) {
        if (t + step <= s.createdAt) continue;
        const value = equityAt(Math.min(t + step, end));
        dayBase ??= value;
        if (baseValue === undefined) {
          baseValue = dayBase;
          if (dayBase === previousClose && before !== undefined) baseAsOf = before.date;
        }
        timestamp.push(Math.floor(t / 1000));
        equity.push(value);
        base.push(dayBase);
      }
      carried ??= dayBase;
    }
  }
  const b = baseValue ?? s.startingCash;
  const pl = equity.map((e, i) => e - (step === DAY ? b : base[i]!));
  const out: Record<string, unknown> = {
    timestamp,
    equity: equity.map((e) => round(e, 2)),
    profit_loss: pl.map((x) => round(x, 2)),
    profit_loss_pct: pl.map((x, i) => {
      const against = step === DAY ? b : base[i]!;
      return against === 0 ? 0 : round(x / against, 4);
    }),
    base_value: round(b, 2),
    timeframe: label,
  };
  if (baseAsOf !== undefined) out['base_value_asof'] = baseAsOf;
  if (q.cashflow) out['cashflow'] = {};
  return out;
}

/** The session before `x` (within ten days), or undefined. */
function previousSession(calendar: MarketCalendar, x: ExtendedSession): ExtendedSession | undefined {
  for (let d = midnight(x.date) - DAY / 2, k = 0; k < 10; k++, d -= DAY) {
    const p = calendar.session(nyDateOf(d));
    if (p !== null) return extendedSession(p);
  }
  return undefined;
}

/** Equity at any instant: the starting cash moved by every execution up to it, positions at their price then. */
function equityCurve(s: PortfolioSource): (at: number) => number {
  return (at) => {
    if (at >= s.now) return s.equityNow;
    let cash = s.startingCash;
    const held = new Map<string, { qty: number; last: number }>();
    for (const f of s.fills) {
      if (f.time > at) break;
      cash += (f.side === 'buy' ? -1 : 1) * f.qty * f.price;
      const h = held.get(f.symbol) ?? { qty: 0, last: f.price };
      h.qty += f.side === 'buy' ? f.qty : -f.qty;
      h.last = f.price;
      held.set(f.symbol, h);
    }
    let value = cash;
    for (const [symbol, h] of held) if (Math.abs(h.qty) > 1e-9) value += h.qty * (s.priceAt(symbol, at) ?? h.last);
    return value;
  };
}

function parsePeriod(text: string): { unit: 'D' | 'W' | 'M' | 'A'; n: number } {
  const m = /^(\d{1,4})(D|W|M|A)$/.exec(text);
  if (m === null || Number(m[1]) === 0) throw invalid(`invalid period: "${text}" (<number><D|W|M|A>, e.g. 1M)`);
  return { unit: m[2] as 'D' | 'W' | 'M' | 'A', n: Number(m[1]) };
}

function midnight(date: string): number {
  return wallTimeToUtc(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)), 0, 0, 0, 0, NEW_YORK);
}

/**
 * The sessions a query covers, oldest first: from `start`'s day (a day without a session: the next
 * one), or back from `end` by the period (`nD`: n trading days; W, M, A: 7, 30, 365 calendar days).
 */
function sessionsIn(calendar: MarketCalendar, start: number | undefined, end: number, period: { unit: 'D' | 'W' | 'M' | 'A'; n: number } | undefined, begins: (x: ExtendedSession) => number): ExtendedSession[] {
  const out: ExtendedSession[] = [];
  const endDate = nyDateOf(end);
  if (start !== undefined) {
    let x = calendar.session(nyDateOf(start)) ?? calendar.nextSession(start);
    while (x.date <= endDate && begins(extendedSession(x)) <= end) {
      out.push(extendedSession(x));
      if (period !== undefined && period.unit === 'D' && out.length >= period.n) break;
      x = calendar.nextSession(x.close);
    }
    return out;
  }
  const p = period ?? { unit: 'M' as const, n: 1 };
  const days = p.unit === 'W' ? 7 * p.n : p.unit === 'M' ? 30 * p.n : p.unit === 'A' ? 365 * p.n : Number.POSITIVE_INFINITY;
  for (let d = midnight(endDate) + DAY / 2, k = 0; k < 400 * 12; k++, d -= DAY) {
    const date = nyDateOf(d);
    if (Date.parse(`${endDate}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`) >= days * DAY) break;
    const x = calendar.session(date);
    if (x === null || begins(extendedSession(x)) > end) continue;
    out.push(extendedSession(x));
    if (p.unit === 'D' && out.length >= p.n) break;
  }
  return out.reverse();
}
