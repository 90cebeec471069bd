import type { ClosedTrade } from '../portfolio/ClosedTrade.js';
import type { PaperOpenLot } from './PaperRecord.js';

/**
 * One side of a round trip as the ledger records it: a trade's entry or its exit (an order filled in
 * parts, or a position built in several orders, counts once at its volume-weighted price and the
 * time of its first fill). The ledger keeps no finer grain, so paper fills and backtest fills are
 * both compared at this one.
 */
export interface FillLeg {
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly time: number;
  readonly price: number;
  readonly qty: number;
}

/** The entries and exits of the round trips entered after `after` (market time; null: all), time-ordered. */
export function legsOf(trades: readonly ClosedTrade[], open: readonly PaperOpenLot[], after: number | null): FillLeg[] {
  const counts = (t: number): boolean => after === null || t > after;
  const legs: FillLeg[] = [];
  for (const t of trades) {
    if (!counts(t.entryTime)) continue;
    const entry = t.direction === 'long' ? 'buy' : 'sell';
    legs.push({ symbol: t.symbol, side: entry, time: t.entryTime, price: t.entryPrice, qty: t.qty });
    legs.push({ symbol: t.symbol, side: entry === 'buy' ? 'sell' : 'buy', time: t.exitTime, price: t.exitPrice, qty: t.qty });
  }
  for (const l of open) if (counts(l.entryTime)) legs.push({ symbol: l.symbol, side: l.direction === 'long' ? 'buy' : 'sell', time: l.entryTime, price: l.entryPrice, qty: l.qty });
  return legs.sort((a, b) => a.time - b.time || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
}

/** How far paper fills drift from a backtest of the same code over the same bars. */
export interface FillDrift {
  readonly paper: number;
  readonly backtest: number;
  /** Fills found on both sides: same symbol, same side, times within the tolerance. */
  readonly matched: number;
  /** Backtest fills the paper record lacks (a signal paper trading did not act on, or acted on later). */
  readonly missed: readonly FillLeg[];
  /** Paper fills the backtest lacks. */
  readonly extra: readonly FillLeg[];
  /**
   * Per matched fill, in basis points of the backtest's price: how much worse paper did (a buy paid
   * more, a sell got less) — negative when paper did better.
   */
  readonly adverseBps: readonly number[];
  readonly meanAdverseBps: number | null;
  readonly medianAbsBps: number | null;
  readonly worstAbsBps: number | null;
  /** matched / max(paper, backtest): the share of fills the two agree on (same signals); null with none on either side. */
  readonly agreement: number | null;
}

/**
 * Pairs each paper fill with the nearest unpaired backtest fill of the same symbol and side within
 * `toleranceMs` (a live fill comes seconds after the bar that decided it; a backtest fills at the
 * next bar), earliest paper fill first.
 */
export function compareFills(paper: readonly FillLeg[], backtest: readonly FillLeg[], toleranceMs: number): FillDrift {
  const key = (l: FillLeg): string => `${l.symbol} ${l.side}`;
  const pool = new Map<string, Array<{ leg: FillLeg; used: boolean }>>();
  for (const leg of [...backtest].sort((a, b) => a.time - b.time)) {
    const list = pool.get(key(leg)) ?? [];
    list.push({ leg, used: false });
    pool.set(key(leg), list);
  }
  const extra: FillLeg[] = [];
  const adverse: number[] = [];
  for (const p of [...paper].sort((a, b) => a.time - b.time)) {
    const list = pool.get(key(p)) ?? [];
    let best: { leg: FillLeg; used: boolean } | null = null;
    for (const c of list) {
      if (c.used || Math.abs(c.leg.time - p.time) > toleranceMs) continue;
      if (best === null || Math.abs(c.leg.time - p.time) < Math.abs(best.leg.time - p.time)) best = c;
    }
    if (best === null) {
      extra.push(p);
      continue;
    }
    best.used = true;
    const raw = ((p.price - best.leg.price) / best.leg.price) * 10_000;
    adverse.push(p.side === 'buy' ? raw : -raw);
  }
  const missed = [...pool.values()].flatMap((l) => l.filter((c) => !c.used).map((c) => c.leg)).sort((a, b) => a.time - b.time);
  const abs = adverse.map(Math.abs).sort((a, b) => a - b);
  const most = Math.max(paper.length, backtest.length);
  return {
    paper: paper.length,
    backtest: backtest.length,
    matched: adverse.length,
    missed,
    extra,
    adverseBps: adverse,
    meanAdverseBps: adverse.length === 0 ? null : adverse.reduce((a, x) => a + x, 0) / adverse.length,
    medianAbsBps: abs.length === 0 ? null : abs.length % 2 === 1 ? abs[(abs.length - 1) / 2]! : (abs[abs.length / 2 - 1]! + abs[abs.length / 2]!) / 2,
    worstAbsBps: abs.length === 0 ? null : abs[abs.length - 1]!,
    agreement: most === 0 ? null : adverse.length / most,
  };
}
