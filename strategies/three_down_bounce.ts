/**
 * An example of your own strategy (docs/strategies.md). The file's name is the strategy type: a
 * configuration runs it with `"type": "three_down_bounce"`, a backtest with
 * `--strategy three_down_bounce`. It exports its parameters' zod schema (`params`) and its class
 * (the default export); the daemon builds it as `new ThreeDownBounce(params, symbols)`.
 */
import { z } from 'zod';
import { Strategy, type Bar, type StrategyContext } from '../src/strategies/api.js';

/** One line for the logs and `npm run check`. */
export const description = 'after `falls` lower closes in a row, buy `qty` shares with a stop-loss and a take-profit';

/** Parameters, validated when the configuration is loaded: a bad value is refused with its name. */
export const params = z.strictObject({
  /** Closes in a row, each lower than the one before, that make a signal. */
  falls: z.number().int().min(2).default(3),
  /** Shares bought on a signal. */
  qty: z.number().int().positive().default(10),
  /** Protective exits, as fractions of the signal bar's close. */
  stopLoss: z.number().gt(0).lt(1).default(0.01),
  takeProfit: z.number().gt(0).lt(1).default(0.02),
});
export type Params = z.infer<typeof params>;

const cents = (x: number): number => Math.round(x * 100) / 100;

/**
 * After `falls` lower closes in a row, buy `qty` shares with a stop-loss `stopLoss` under the close
 * and a take-profit `takeProfit` above it. The exits are the venue's: the strategy never sells by
 * itself, and a paused circuit breaker never blocks them.
 */
export default class ThreeDownBounce extends Strategy<Params> {
  readonly #previous = new Map<string, number>();
  readonly #falls = new Map<string, number>();

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
}
