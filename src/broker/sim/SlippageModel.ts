import type { Bar } from '../../core/Bar.js';
import type { OrderSide, OrderType } from '../../core/Order.js';

/**
 * Moves a fill price against the trader. Only orders that take liquidity at an unknown price
 * (market, stop) slip; a limit order never fills worse than its limit.
 */
export interface SlippageModel {
  apply(price: number, side: OrderSide, type: OrderType, bar: Bar): number;
  describe(): string;
}

export const noSlippage: SlippageModel = Object.freeze({
  apply: (price: number) => price,
  describe: () => 'none',
});

/**
 * Slippage of `bps` basis points (1 bp = 0.01 %): buys pay more, sells get less, never beyond the
 * bar's high or low (no trade happened outside them).
 */
export function bpsSlippage(bps: number): SlippageModel {
  if (!Number.isFinite(bps) || bps < 0) throw new RangeError(`slippage must be a finite number of basis points ≥ 0, got ${bps}`);
  if (bps === 0) return noSlippage;
  const f = bps / 10_000;
  return Object.freeze({
    apply(price: number, side: OrderSide, type: OrderType, bar: Bar): number {
      if (type === 'limit') return price;
      return side === 'buy' ? Math.min(price * (1 + f), Math.max(bar.high, price)) : Math.max(price * (1 - f), Math.min(bar.low, price));
    },
    describe: () => `${bps} bps`,
  });
}

/**
 * Slippage of `fraction` of the bar's range (high − low): a rough model of crossing the spread on
 * a volatile bar. Buys pay more, sells get less, never beyond the bar's high or low.
 */
export function rangeSlippage(fraction: number): SlippageModel {
  if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) throw new RangeError(`slippage must be a fraction of the bar range in [0, 1], got ${fraction}`);
  if (fraction === 0) return noSlippage;
  return Object.freeze({
    apply(price: number, side: OrderSide, type: OrderType, bar: Bar): number {
      if (type === 'limit') return price;
      const move = fraction * (bar.high - bar.low);
      return side === 'buy' ? Math.min(price + move, Math.max(bar.high, price)) : Math.max(price - move, Math.min(bar.low, price));
    },
    describe: () => `${fraction} of the bar range`,
  });
}
