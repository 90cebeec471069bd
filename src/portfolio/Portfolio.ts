import type { Ledger } from './Ledger.js';
import { EquityCurve, type CurveData } from './EquityCurve.js';
import type { AccountPosition } from '../persistence/PortfolioSnapshot.js';

/**
 * The sum of the strategies' ledgers: what the account should hold if every fill was booked once
 * (the Alpaca issue reconciles it with the broker). It also keeps the equity curves.
 */
export class Portfolio {
  readonly #ledgers: ReadonlyMap<string, Ledger>;
  readonly #curves = new Map<string, EquityCurve>();
  readonly #total: EquityCurve;
  // The same ledgers and curves as arrays, for the per-bar path.
  readonly #ledgerList: Ledger[];
  readonly #curveList: EquityCurve[];

  constructor(ledgers: ReadonlyMap<string, Ledger>) {
    this.#ledgers = ledgers;
    for (const [id, l] of ledgers) this.#curves.set(id, new EquityCurve(l.startingCash));
    this.#ledgerList = [...ledgers.values()];
    this.#curveList = [...this.#curves.values()];
    // With one strategy its curve is the total: one curve, updated once per bar.
    this.#total = this.#curveList.length === 1 ? this.#curveList[0]! : new EquityCurve(this.startingCash);
  }

  get startingCash(): number {
    return this.#sum((l) => l.startingCash);
  }

  cash(): number {
    return this.#sum((l) => l.cash);
  }

  equity(): number {
    return this.#sum((l) => l.equity());
  }

  realizedPnl(): number {
    return this.#sum((l) => l.realizedPnl);
  }

  unrealizedPnl(): number {
    return this.#sum((l) => l.unrealizedPnl());
  }

  #sum(of: (ledger: Ledger) => number): number {
    let total = 0;
    for (const l of this.#ledgers.values()) total += of(l);
    return total;
  }

  /** Positions summed over strategies, by symbol. */
  positions(): Record<string, AccountPosition> {
    const sum = new Map<string, { qty: number; cost: number; mark: number | null }>();
    for (const l of this.#ledgers.values()) {
      l.forEachPosition((symbol, qty, avgPrice, mark) => {
        let s = sum.get(symbol);
        if (s === undefined) sum.set(symbol, (s = { qty: 0, cost: 0, mark: null }));
        s.qty += qty;
        s.cost += qty * avgPrice;
        s.mark = mark ?? s.mark;
      });
    }
    const out: Record<string, AccountPosition> = {};
    for (const symbol of [...sum.keys()].sort()) {
      const s = sum.get(symbol)!;
      if (s.qty === 0) continue;
      const avgPrice = s.cost / s.qty;
      const price = s.mark ?? avgPrice;
      out[symbol] = { qty: s.qty, avgPrice, marketPrice: s.mark, marketValue: s.qty * price, unrealizedPnl: s.qty * (price - avgPrice) };
    }
    return out;
  }

  /** Appends a point to every strategy's curve and to the total (replacing one at the same time). */
  recordEquity(time: number): void {
    const ledgers = this.#ledgerList;
    const curves = this.#curveList;
    let total = 0;
    let exposed = false;
    for (let i = 0; i < ledgers.length; i++) {
      const l = ledgers[i]!;
      const equity = l.equity();
      const holds = l.hasPositions();
      total += equity;
      exposed ||= holds;
      curves[i]!.push(time, equity, holds);
    }
    if (curves.length !== 1) this.#total.push(time, total, exposed);
  }

  /** Every curve, for the state file: the total (null when it is the only strategy's) and each strategy's. */
  curvesData(): { total: CurveData | null; strategies: Record<string, CurveData> } {
    return {
      total: this.#curveList.length === 1 ? null : this.#total.toData(),
      strategies: Object.fromEntries([...this.#curves].map(([id, c]) => [id, c.toData()])),
    };
  }

  /** Puts back the curves of the strategies it knows. */
  restoreCurves(d: { total: CurveData | null; strategies: Readonly<Record<string, CurveData>> }): void {
    for (const [id, c] of this.#curves) {
      const data = d.strategies[id];
      if (data !== undefined) c.restore(data);
    }
    if (d.total !== null && this.#curveList.length !== 1) this.#total.restore(d.total);
  }

  /** A strategy's equity curve, or the total without an id. */
  curve(strategyId?: string): EquityCurve {
    if (strategyId === undefined) return this.#total;
    const c = this.#curves.get(strategyId);
    if (c === undefined) throw new RangeError(`no strategy ${strategyId}`);
    return c;
  }
}
