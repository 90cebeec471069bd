import { z } from 'zod';
import type { Bar } from '../core/Bar.js';
import { RollingExtreme } from './indicators/RollingExtreme.js';
import { checkProtectiveExits, entryOptions, protectiveExitsShape } from './protectiveExits.js';
import { checkSizing, sharesFor, sizingShape } from './sizing.js';
import { Strategy } from './Strategy.js';
import type { StrategyContext } from './StrategyContext.js';

export const donchianBreakoutParams = z
  .strictObject({
    entry: z.number().int().min(2).default(20).describe('a close above the highest high of this many previous bars: buy'),
    exit: z.number().int().min(2).default(10).describe('a close under the lowest low of this many previous bars: sell'),
    atr: z.number().int().min(1).default(14).describe('bars of the average true range'),
    atrStop: z.number().positive().default(2).describe('the stop, in average true ranges under the entry close'),
    ...sizingShape,
    ...protectiveExitsShape,
  })
  .superRefine((p, ctx) => {
    checkSizing(p, ctx);
    checkProtectiveExits(p, ctx);
  });
export type DonchianBreakoutParams = z.infer<typeof donchianBreakoutParams>;

interface State {
  readonly highs: RollingExtreme;
  readonly lows: RollingExtreme;
  /** Wilder's average true range: the mean of the first `atr` true ranges, then smoothed (NaN before). */
  atr: number;
  trs: number[];
  /** NaN before the first bar. */
  prevClose: number;
  /** The protective stop of the position held: entry signal close − atrStop × ATR (NaN before the first entry). */
  stop: number;
}

// Reasons are written only where they are kept (OrderReason), and made here, not in onBar: a closure
// there would make onBar keep its variables in a context allocated on every bar.
const aboveHigh = (close: number, bars: number, high: number, stop: number) => (): string => `close ${close} above the ${bars}-bar high ${high}; stop ${stop.toFixed(2)}`;
const underStop = (close: number, stop: number) => (): string => `close ${close} under the ATR stop ${stop.toFixed(2)}`;
const underLow = (close: number, bars: number, low: number) => (): string => `close ${close} under the ${bars}-bar low ${low}`;

/**
 * `donchian_breakout`: long-only channel breakout, per symbol. Flat and the close above the highest
 * high of the previous `entry` bars: buy, with a stop `atrStop` average true ranges under that close.
 * Long and the close under the lowest low of the previous `exit` bars, or under the stop: sell
 * everything.
 */
export class DonchianBreakout extends Strategy<DonchianBreakoutParams> {
  /** By symbol index. */
  readonly #s: Array<State | undefined> = [];

  override onBar(bar: Bar, ctx: StrategyContext): void {
    const p = this.params;
    const k = ctx.symbolIndex(bar.symbol);
    let s = this.#s[k];
    if (s === undefined) {
      s = { highs: new RollingExtreme(p.entry, 'highest'), lows: new RollingExtreme(p.exit, 'lowest'), atr: Number.NaN, trs: [], prevClose: Number.NaN, stop: Number.NaN };
      this.#s[k] = s;
    }
    const tr = Number.isNaN(s.prevClose) ? bar.high - bar.low : Math.max(bar.high - bar.low, Math.abs(bar.high - s.prevClose), Math.abs(bar.low - s.prevClose));
    if (Number.isNaN(s.atr)) {
      s.trs.push(tr);
      if (s.trs.length === p.atr) s.atr = s.trs.reduce((a, b) => a + b, 0) / p.atr;
    } else s.atr = (s.atr * (p.atr - 1) + tr) / p.atr;
    s.prevClose = bar.close;
    // The channels of the bars before this one; NaN until full (numbers, not number | null: nothing
    // is boxed per bar).
    const entryLevel = s.highs.full ? s.highs.value : Number.NaN;
    const exitLevel = s.lows.full ? s.lows.value : Number.NaN;
    s.highs.push(bar.high);
    s.lows.push(bar.low);
    if (ctx.hasOpenOrder(bar.symbol)) return;
    const held = ctx.position(bar.symbol);
    if (held === 0 && !Number.isNaN(entryLevel) && !Number.isNaN(s.atr) && bar.close > entryLevel) {
      const qty = sharesFor(p, ctx.capital, bar.close);
      if (qty > 0) {
        const stop = bar.close - p.atrStop * s.atr;
        s.stop = stop;
        ctx.buy(bar.symbol, qty, entryOptions(p, bar.close, aboveHigh(bar.close, p.entry, entryLevel, stop)));
      }
    } else if (held > 0) {
      const stop = s.stop;
      if (!Number.isNaN(stop) && bar.close < stop) ctx.closePosition(bar.symbol, underStop(bar.close, stop));
      else if (!Number.isNaN(exitLevel) && bar.close < exitLevel) ctx.closePosition(bar.symbol, underLow(bar.close, p.exit, exitLevel));
    }
  }
}
