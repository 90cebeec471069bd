import { z } from 'zod';
import type { Bar } from '../core/Bar.js';
import { Strategy } from './Strategy.js';
import type { StrategyContext } from './StrategyContext.js';

export const relativeStrengthRotationParams = z.strictObject({
  /** Bars over which each symbol's return is measured. */
  lookback: z.number().int().min(1).default(60).describe('bars over which each symbol\'s return is measured'),
  /** Bars between two rebalances. */
  rebalance: z.number().int().min(1).default(30).describe('bars between two rebalances'),
  /** How many of the strongest symbols are held, each with an equal share of the capital. */
  top: z.number().int().min(1).default(1).describe('how many of the strongest symbols are held, each with an equal share'),
  /** Share of the capital invested (the rest stays cash for costs and gaps). */
  invest: z.number().positive().max(1).default(0.95).describe('share of the capital invested (the rest stays cash)'),
});
export type RelativeStrengthRotationParams = z.infer<typeof relativeStrengthRotationParams>;

/**
 * `rs_rotation`: relative-strength rotation across the strategy's symbols. Every `rebalance` bars
 * (counted on the timestamps at which every symbol has a bar), the symbols are ranked by their
 * return over the last `lookback` bars; the `top` strongest with a positive return are held with
 * equal shares of the capital, the others are sold. Sells go first; buys wait for the next rebalance
 * if cash is still tied up.
 */
export class RelativeStrengthRotation extends Strategy<RelativeStrengthRotationParams> {
  readonly #closes = new Map<string, number[]>();
  #time = Number.NaN;
  #seen = new Set<string>();
  #steps = 0;
  #symbols: readonly string[] | null = null;

  /** The symbols to rank (the runner's list); without it, every symbol seen. */
  withSymbols(symbols: readonly string[]): this {
    this.#symbols = [...symbols].sort();
    return this;
  }

  override onBar(bar: Bar, ctx: StrategyContext): void {
    const list = this.#closes.get(bar.symbol) ?? [];
    list.push(bar.close);
    if (list.length > this.params.lookback + 1) list.shift();
    this.#closes.set(bar.symbol, list);
    if (bar.time !== this.#time) {
      this.#time = bar.time;
      this.#seen = new Set();
    }
    this.#seen.add(bar.symbol);
    const symbols = this.#symbols ?? [...this.#closes.keys()].sort();
    // Act once per timestamp, when every symbol has its bar.
    if (!symbols.every((s) => this.#seen.has(s)) || this.#seen.size !== symbols.length) return;
    this.#steps++;
    if (this.#steps % this.params.rebalance !== 0) return;
    const ranked = symbols
      .map((s) => {
        const c = this.#closes.get(s)!;
        return { s, ret: c.length > this.params.lookback ? c[c.length - 1]! / c[0]! - 1 : null };
      })
      .filter((x): x is { s: string; ret: number } => x.ret !== null && x.ret > 0)
      .sort((a, b) => b.ret - a.ret || (a.s < b.s ? -1 : 1));
    const keep = new Set(ranked.slice(0, this.params.top).map((x) => x.s));
    for (const s of symbols) if (!keep.has(s) && ctx.position(s) > 0 && !ctx.hasOpenOrder(s)) ctx.closePosition(s, `out of the top ${this.params.top} by ${this.params.lookback}-bar return`);
    const budget = (ctx.capital * this.params.invest) / this.params.top;
    for (const { s, ret } of ranked.slice(0, this.params.top)) {
      if (ctx.position(s) > 0 || ctx.hasOpenOrder(s)) continue;
      const price = ctx.lastBar(s)!.close;
      const qty = Math.floor(Math.min(budget, ctx.cash()) / price);
      if (qty > 0) ctx.buy(s, qty, { reason: `strongest ${this.params.lookback}-bar return ${(ret * 100).toFixed(2)}%` });
    }
  }
}
