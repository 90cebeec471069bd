import type { BacktestResult } from './BacktestResult.js';
import type { PriceSeries } from './priceSeries.js';

/** Strategy colours, in the order of the strategies (repeating after ten). */
export const STRATEGY_COLOURS = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bf8700', '#0a7d8c', '#d1247f', '#6e7781', '#953800', '#2da44e'] as const;

/** At most this many fill markers per symbol's chart (the trade list and the JSON keep every fill). */
export const MAX_MARKERS = 10_000;

/** A point of a chart: [time in UTC seconds (lightweight-charts' time), value]. */
export type ChartPoint = readonly [number, number];

export interface FillMarker {
  /** UTC seconds, the fill's bar. */
  readonly t: number;
  readonly side: 'buy' | 'sell';
  readonly qty: number;
  readonly price: number;
  readonly strategy: string;
  readonly colour: string;
}

/** What the report's script draws its charts from (embedded in the page as JSON). */
export interface ReportData {
  readonly startingCash: number;
  readonly strategies: ReadonlyArray<{ readonly id: string; readonly colour: string; readonly capital: number }>;
  /** The account: the strategies' equity plus the cash not allocated to any, so it starts at the starting cash. */
  readonly account: readonly ChartPoint[];
  /** Each strategy's return on its own capital (equity / capital − 1), so strategies of different sizes compare (portfolio runs; empty with one strategy: the account line is its own). */
  readonly strategyEquity: ReadonlyArray<{ readonly id: string; readonly points: readonly ChartPoint[] }>;
  /** The total's fall from its running peak (the starting equity the first peak), as a negative fraction. */
  readonly drawdown: readonly ChartPoint[];
  readonly prices: ReadonlyArray<{ readonly symbol: string; readonly bars: number; readonly candles: ReadonlyArray<readonly [number, number, number, number, number]>; readonly markers: readonly FillMarker[]; readonly fills: number }>;
}

const seconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/** Points with strictly rising times (a later point at the same second replaces the earlier one), as the charts require. */
function rising(points: readonly ChartPoint[]): ChartPoint[] {
  const out: ChartPoint[] = [];
  for (const p of points) {
    if (out.length > 0 && out.at(-1)![0] >= p[0]) out[out.length - 1] = [out.at(-1)![0], p[1]];
    else out.push(p);
  }
  return out;
}

/** The page's chart data from a backtest result and each symbol's (thinned) prices. */
export function reportData(r: BacktestResult, prices: readonly PriceSeries[]): ReportData {
  const strategies = r.strategies.map((s, i) => ({ id: s.id, colour: STRATEGY_COLOURS[i % STRATEGY_COLOURS.length]!, capital: s.capital }));
  const colourOf = new Map(strategies.map((s) => [s.id, s.colour]));
  const capital = r.strategies.reduce((a, s) => a + s.capital, 0);
  const unallocated = r.startingCash - capital;
  let peak = r.metrics.startingEquity;
  const drawdown = r.equity.map((p): ChartPoint => {
    peak = Math.max(peak, p.equity);
    return [seconds(p.time), peak > 0 ? (p.equity - peak) / peak : 0];
  });
  return {
    startingCash: r.startingCash,
    strategies,
    account: rising(r.equity.map((p) => [seconds(p.time), p.equity + unallocated])),
    strategyEquity: r.strategies.length < 2 ? [] : r.strategies.map((s) => ({ id: s.id, points: rising((s.equity ?? []).map((p) => [seconds(p.time), s.capital > 0 ? p.equity / s.capital - 1 : 0])) })),
    drawdown: rising(drawdown),
    prices: prices.map((p) => {
      const fills = r.fills.filter((f) => f.symbol === p.symbol);
      return {
        symbol: p.symbol,
        bars: p.bars,
        candles: p.candles.map(([t, o, h, l, c]) => [Math.floor(t / 1000), o, h, l, c] as const),
        fills: fills.length,
        markers: fills.slice(0, MAX_MARKERS).map((f) => ({ t: seconds(f.fillTime), side: f.side, qty: f.qty, price: f.price, strategy: f.strategy, colour: colourOf.get(f.strategy) ?? '#57606a' })),
      };
    }),
  };
}

/** How often each circuit breaker tripped (by scope and rule) and each strategy's orders were refused or rejected (by rule), sorted. */
export function ruleCounts(r: BacktestResult): { trips: Array<{ scope: string; rule: string; count: number }>; refusals: Array<{ strategy: string; rule: string; count: number }> } {
  const trips = new Map<string, { scope: string; rule: string; count: number }>();
  for (const e of r.breakerEvents) {
    if (e.kind !== 'tripped') continue;
    const key = `${e.scope}\u0000${e.rule}`;
    const row = trips.get(key) ?? { scope: e.scope, rule: e.rule, count: 0 };
    row.count++;
    trips.set(key, row);
  }
  const byKey = (a: { k: string }, b: { k: string }): number => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0);
  return {
    trips: [...trips.entries()].map(([k, v]) => ({ k, v })).sort(byKey).map(({ v }) => v),
    refusals: r.strategies.flatMap((s) => Object.entries(s.denials).map(([rule, count]) => ({ strategy: s.id, rule, count }))),
  };
}
