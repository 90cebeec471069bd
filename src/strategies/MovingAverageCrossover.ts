import { z } from 'zod';
import type { Bar } from '../core/Bar.js';
import { ExactSMA } from './indicators/ExactSMA.js';
import { checkProtectiveExits, entryOptions, protectiveExitsShape } from './protectiveExits.js';
import { checkSizing, sharesFor, sizingShape } from './sizing.js';
import { Strategy } from './Strategy.js';
import type { StrategyContext } from './StrategyContext.js';

export const movingAverageCrossoverParams = z
  .strictObject({
    fast: z.number().int().min(1).default(10).describe('bars of the fast simple moving average of the close'),
    slow: z.number().int().min(2).default(30).describe('bars of the slow average; more than fast'),
    ...sizingShape,
    ...protectiveExitsShape,
  })
  .superRefine((p, ctx) => {
    if (p.fast >= p.slow) ctx.addIssue({ code: 'custom', path: ['fast'], message: `must be less than slow (${p.slow})` });
    checkSizing(p, ctx);
    checkProtectiveExits(p, ctx);
  });
export type MovingAverageCrossoverParams = z.infer<typeof movingAverageCrossoverParams>;

interface SymbolState {
  readonly fast: ExactSMA;
  readonly slow: ExactSMA;
  /** The last non-zero fast − slow: a bar where the averages are equal is not a cross. */
  lastDiff: number;
}

/**
 * `sma_cross`: long-only moving-average crossover, per symbol. A cross up happens at a bar where
 * SMA(fast) > SMA(slow) and the last non-zero difference before it was negative; a cross down is
 * the mirror. Flat and crossing up: buy. Long and crossing down: sell the whole position.
 */
export class MovingAverageCrossover extends Strategy<MovingAverageCrossoverParams> {
  /** By symbol index. */
  readonly #symbols: Array<SymbolState | undefined> = [];
  readonly #crossedAbove: string;
  readonly #crossedBelow: string;

  constructor(params: MovingAverageCrossoverParams) {
    super(params);
    this.#crossedAbove = `SMA${params.fast} crossed above SMA${params.slow}`;
    this.#crossedBelow = `SMA${params.fast} crossed below SMA${params.slow}`;
  }

  override onBar(bar: Bar, ctx: StrategyContext): void {
    const s = this.#state(ctx.symbolIndex(bar.symbol));
    s.fast.push(bar.close);
    s.slow.push(bar.close);
    if (!s.slow.isStable || !s.fast.isStable) return;
    const diff = s.fast.value - s.slow.value;
    const crossUp = diff > 0 && s.lastDiff < 0;
    const crossDown = diff < 0 && s.lastDiff > 0;
    if (diff !== 0) s.lastDiff = diff;
    if (ctx.hasOpenOrder(bar.symbol)) return;
    const held = ctx.position(bar.symbol);
    if (crossUp && held === 0) {
      const qty = sharesFor(this.params, ctx.capital, bar.close);
      if (qty > 0) ctx.buy(bar.symbol, qty, entryOptions(this.params, bar.close, this.#crossedAbove));
    } else if (crossDown && held > 0) {
      ctx.closePosition(bar.symbol, this.#crossedBelow);
    }
  }

  #state(k: number): SymbolState {
    let s = this.#symbols[k];
    if (s === undefined) {
      s = { fast: new ExactSMA(this.params.fast), slow: new ExactSMA(this.params.slow), lastDiff: 0 };
      this.#symbols[k] = s;
    }
    return s;
  }
}
