import { z } from 'zod';
import type { Bar } from '../core/Bar.js';
import { Ema } from './indicators/Ema.js';
import { RollingWindow } from './indicators/RollingWindow.js';
import { checkProtectiveExits, entryOptions, protectiveExitsShape } from './protectiveExits.js';
import { checkSizing, sharesFor, sizingShape } from './sizing.js';
import { Strategy } from './Strategy.js';
import type { StrategyContext } from './StrategyContext.js';

export const macdTrendParams = z
  .strictObject({
    fast: z.number().int().min(1).default(12).describe('bars of the fast EMA of the close (MACD = fast EMA − slow EMA)'),
    slow: z.number().int().min(2).default(26).describe('bars of the slow EMA; more than fast'),
    signal: z.number().int().min(1).default(9).describe('bars of the EMA of MACD it crosses'),
    trend: z.number().int().min(1).default(50).describe('bars of the simple average the close must be above for an entry'),
    ...sizingShape,
    ...protectiveExitsShape,
  })
  .superRefine((p, ctx) => {
    if (p.fast >= p.slow) ctx.addIssue({ code: 'custom', path: ['fast'], message: `must be less than slow (${p.slow})` });
    checkSizing(p, ctx);
    checkProtectiveExits(p, ctx);
  });
export type MacdTrendParams = z.infer<typeof macdTrendParams>;

interface State {
  readonly fast: Ema;
  readonly slow: Ema;
  readonly signal: Ema;
  readonly trend: RollingWindow;
  /** MACD minus signal on the previous bar (NaN before both exist). */
  prevHist: number;
}

/**
 * `macd_trend`: long-only MACD crossover with a trend filter, per symbol. MACD = EMA(fast) − EMA(slow)
 * of the close, signal = EMA(signal) of MACD. Flat, MACD crosses above its signal and the close is above
 * its `trend`-bar simple average: buy. Long and MACD crosses below its signal: sell everything.
 */
export class MacdTrend extends Strategy<MacdTrendParams> {
  /** By symbol index. */
  readonly #s: Array<State | undefined> = [];
  readonly #crossedAbove: string;

  constructor(params: MacdTrendParams) {
    super(params);
    this.#crossedAbove = `MACD crossed above its signal, close above SMA${params.trend}`;
  }

  override onBar(bar: Bar, ctx: StrategyContext): void {
    const p = this.params;
    const k = ctx.symbolIndex(bar.symbol);
    let s = this.#s[k];
    if (s === undefined) {
      s = { fast: new Ema(p.fast), slow: new Ema(p.slow), signal: new Ema(p.signal), trend: new RollingWindow(p.trend), prevHist: Number.NaN };
      this.#s[k] = s;
    }
    s.trend.push(bar.close);
    // NaN until seeded (numbers, not number | null: nothing is boxed per bar).
    const f = s.fast.push(bar.close);
    const sl = s.slow.push(bar.close);
    if (Number.isNaN(f) || Number.isNaN(sl)) return;
    const macd = f - sl;
    const signal = s.signal.push(macd);
    if (Number.isNaN(signal)) return;
    const hist = macd - signal;
    const prev = s.prevHist;
    s.prevHist = hist;
    if (Number.isNaN(prev) || ctx.hasOpenOrder(bar.symbol)) return;
    const held = ctx.position(bar.symbol);
    if (held === 0 && prev <= 0 && hist > 0 && s.trend.full && bar.close > s.trend.mean()) {
      const qty = sharesFor(p, ctx.capital, bar.close);
      if (qty > 0) ctx.buy(bar.symbol, qty, entryOptions(p, bar.close, this.#crossedAbove));
    } else if (held > 0 && prev >= 0 && hist < 0) {
      ctx.closePosition(bar.symbol, 'MACD crossed below its signal');
    }
  }
}
