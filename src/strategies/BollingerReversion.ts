import { z } from 'zod';
import type { Bar } from '../core/Bar.js';
import { RollingWindow } from './indicators/RollingWindow.js';
import { checkProtectiveExits, entryOptions, protectiveExitsShape } from './protectiveExits.js';
import { checkSizing, sharesFor, sizingShape } from './sizing.js';
import { Strategy } from './Strategy.js';
import type { StrategyContext } from './StrategyContext.js';

export const bollingerReversionParams = z
  .strictObject({
    period: z.number().int().min(2).default(20).describe('closes of the middle band (their simple average)'),
    k: z.number().positive().default(2).describe('band width in population standard deviations of those closes'),
    ...sizingShape,
    ...protectiveExitsShape,
  })
  .superRefine((p, ctx) => {
    checkSizing(p, ctx);
    checkProtectiveExits(p, ctx);
  });
export type BollingerReversionParams = z.infer<typeof bollingerReversionParams>;

// Reasons are written only where they are kept (OrderReason), and made here, not in onBar: a closure
// there would make onBar keep its variables in a context allocated on every bar.
const underLowerBand = (close: number, lower: number) => (): string => `close ${close} under the lower band ${lower.toFixed(2)}`;
const backAtMiddleBand = (close: number, middle: number) => (): string => `close ${close} back at the middle band ${middle.toFixed(2)}`;

/**
 * `bollinger_reversion`: long-only mean reversion on Bollinger bands (simple average of `period`
 * closes ± `k` population standard deviations), per symbol. Flat and the close under the lower band:
 * buy. Long and the close back at or above the middle band: sell everything.
 */
export class BollingerReversion extends Strategy<BollingerReversionParams> {
  /** By symbol index. */
  readonly #w: Array<RollingWindow | undefined> = [];

  override onBar(bar: Bar, ctx: StrategyContext): void {
    const k = ctx.symbolIndex(bar.symbol);
    let w = this.#w[k];
    if (w === undefined) {
      w = new RollingWindow(this.params.period);
      this.#w[k] = w;
    }
    w.push(bar.close);
    if (!w.full || ctx.hasOpenOrder(bar.symbol)) return;
    const middle = w.mean();
    const held = ctx.position(bar.symbol);
    // The lower band is at or under the middle (k > 0): only a close under the middle can be under it,
    // so the deviation is computed for a flat symbol closing under the middle only.
    if (held === 0 && bar.close < middle) {
      const lower = middle - this.params.k * w.stdev(middle);
      if (!(bar.close < lower)) return;
      const qty = sharesFor(this.params, ctx.capital, bar.close);
      if (qty > 0) ctx.buy(bar.symbol, qty, entryOptions(this.params, bar.close, underLowerBand(bar.close, lower)));
    } else if (held > 0 && bar.close >= middle) {
      ctx.closePosition(bar.symbol, backAtMiddleBand(bar.close, middle));
    }
  }
}
