import { z } from 'zod';
import type { Bar } from '../../src/core/Bar.js';
import { Strategy } from '../../src/strategies/Strategy.js';
import type { StrategyContext, StrategyFill } from '../../src/strategies/StrategyContext.js';

/** Parameters, validated once when the strategy is built: a bad value is refused with its name. */
export const threeDownBounceParams = z.strictObject({
  /** Closes in a row, each lower than the one before, that make a signal. */
  falls: z.number().int().min(2).default(3),
  /** Shares bought on a signal. */
  qty: z.number().int().positive().default(10),
  /** Protective exits, as fractions of the signal bar's close. */
  stopLoss: z.number().gt(0).lt(1).default(0.01),
  takeProfit: z.number().gt(0).lt(1).default(0.02),
});
export type ThreeDownBounceParams = z.infer<typeof threeDownBounceParams>;

const cents = (x: number): number => Math.round(x * 100) / 100;

/**
 * `three_down_bounce`: after `falls` lower closes in a row, buy `qty` shares with a stop-loss
 * `stopLoss` under the close and a take-profit `takeProfit` above it. The exits are the venue's: the
 * strategy never sells by itself, and a paused circuit breaker never blocks them.
 */
export class ThreeDownBounce extends Strategy<ThreeDownBounceParams> {
  readonly #previous = new Map<string, number>();
  readonly #falls = new Map<string, number>();
  readonly fills: StrategyFill[] = [];

  override onBar(bar: Bar, ctx: StrategyContext): void {
    const previous = this.#previous.get(bar.symbol);
    this.#previous.set(bar.symbol, bar.close);
    const falls = previous !== undefined && bar.close < previous ? (this.#falls.get(bar.symbol) ?? 0) + 1 : 0;
    this.#falls.set(bar.symbol, falls);
    // Indicators learn during the warm-up; orders asked for then are ignored, so no need to check.
    if (falls < this.params.falls || ctx.position(bar.symbol) !== 0 || ctx.hasOpenOrder(bar.symbol)) return;
    ctx.buy(bar.symbol, this.params.qty, {
      stopLoss: cents(bar.close * (1 - this.params.stopLoss)),
      takeProfit: cents(bar.close * (1 + this.params.takeProfit)),
      reason: `${falls} lower closes`,
    });
  }

  override onFill(fill: StrategyFill): void {
    this.fills.push(fill);
  }
}
