import { z } from 'zod';
import type { Bar } from '../core/Bar.js';
import { WilderRSI } from './indicators/WilderRSI.js';
import { checkProtectiveExits, entryOptions, protectiveExitsShape } from './protectiveExits.js';
import { checkSizing, sharesFor, sizingShape } from './sizing.js';
import { Strategy } from './Strategy.js';
import type { StrategyContext } from './StrategyContext.js';

export const rsiStrategyParams = z
  .strictObject({
    period: z.number().int().min(2).default(14).describe('bars of Wilder\'s RSI'),
    lower: z.number().gt(0).lt(100).default(30).describe('flat and RSI under it: buy; less than upper'),
    upper: z.number().gt(0).lt(100).default(70).describe('long and RSI over it: sell the position'),
    ...sizingShape,
    ...protectiveExitsShape,
  })
  .superRefine((p, ctx) => {
    if (p.lower >= p.upper) ctx.addIssue({ code: 'custom', path: ['lower'], message: `must be less than upper (${p.upper})` });
    checkSizing(p, ctx);
    checkProtectiveExits(p, ctx);
  });
export type RsiStrategyParams = z.infer<typeof rsiStrategyParams>;

// Reasons are written only where they are kept (OrderReason), and made here, not in onBar: a closure
// there would make onBar keep its variables in a context allocated on every bar.
const rsiUnder = (rsi: number, lower: number) => (): string => `RSI ${rsi.toFixed(2)} < ${lower}`;
const rsiOver = (rsi: number, upper: number) => (): string => `RSI ${rsi.toFixed(2)} > ${upper}`;

/**
 * `rsi_reversion`: long-only mean reversion on Wilder's RSI, per symbol. Flat and RSI < lower: buy.
 * Long and RSI > upper: sell the whole position.
 */
export class RsiStrategy extends Strategy<RsiStrategyParams> {
  /** By symbol index. */
  readonly #rsi: Array<WilderRSI | undefined> = [];

  override onBar(bar: Bar, ctx: StrategyContext): void {
    const k = ctx.symbolIndex(bar.symbol);
    let rsi = this.#rsi[k];
    if (rsi === undefined) {
      rsi = new WilderRSI(this.params.period);
      this.#rsi[k] = rsi;
    }
    const value = rsi.add(bar.close);
    if (value === null || ctx.hasOpenOrder(bar.symbol)) return;
    const held = ctx.position(bar.symbol);
    if (held === 0 && value < this.params.lower) {
      const qty = sharesFor(this.params, ctx.capital, bar.close);
      if (qty > 0) ctx.buy(bar.symbol, qty, entryOptions(this.params, bar.close, rsiUnder(value, this.params.lower)));
    } else if (held > 0 && value > this.params.upper) {
      ctx.closePosition(bar.symbol, rsiOver(value, this.params.upper));
    }
  }
}
