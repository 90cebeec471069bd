import { z } from 'zod';
import type { OrderOptions, OrderReason } from './StrategyContext.js';

/**
 * Optional protective exits of a built-in strategy's entries, as fractions of the entry's reference
 * price (the close of the bar that decided it): a bracket (`stop_loss_pct` under it and/or
 * `take_profit_pct` over it), or a trailing stop (`trailing_stop_pct` under the highest price since
 * the entry filled). None given: the entries go without exits, as before.
 */
export const protectiveExitsShape = {
  stop_loss_pct: z.number().gt(0).lt(1).optional().describe('a stop-loss this fraction under the entry close (0.02 = 2 %), rounded down to the tick grid'),
  take_profit_pct: z.number().gt(0).optional().describe('a take-profit limit this fraction over the entry close, rounded up to the tick grid'),
  trailing_stop_pct: z.number().gt(0).lt(1).optional().describe('a trailing stop this fraction under the highest price since the entry filled; not with the other two'),
};

export interface ProtectiveExitParams {
  readonly stop_loss_pct?: number | undefined;
  readonly take_profit_pct?: number | undefined;
  readonly trailing_stop_pct?: number | undefined;
}

/** Zod check shared by strategy schemas: a trailing stop is an entry's only exit. */
export function checkProtectiveExits(params: ProtectiveExitParams, ctx: z.RefinementCtx): void {
  if (params.trailing_stop_pct !== undefined && (params.stop_loss_pct !== undefined || params.take_profit_pct !== undefined)) {
    ctx.addIssue({ code: 'custom', path: ['trailing_stop_pct'], message: 'a trailing stop is the entry’s only exit: give trailing_stop_pct, or stop_loss_pct and/or take_profit_pct, not both' });
  }
}

/** Alpaca's price grid: whole cents at or above $1, 4 decimals below. */
function decimalsAt(price: number): number {
  return price >= 1 ? 2 : 4;
}

/** `raw` on the tick grid, rounded `down` or up (a hair of float noise is not a tick). */
function onGrid(raw: number, down: boolean): number {
  const decimals = decimalsAt(raw);
  const scale = 10 ** decimals;
  const ticks = down ? Math.floor(raw * scale + 1e-6) : Math.ceil(raw * scale - 1e-6);
  // Rounding up from just under $1 lands on $1.0000, a whole cent: still on the grid.
  return Number((ticks / scale).toFixed(decimals));
}

/**
 * The order options that attach `params`' exits to an entry at `price`: a stop-loss rounded down
 * and a take-profit rounded up to the tick grid (never nearer the entry than asked), or a trailing
 * stop. Empty when the strategy has none.
 */
export function protectiveExitOptions(params: ProtectiveExitParams, price: number): Pick<OrderOptions, 'stopLoss' | 'takeProfit' | 'trailingStop'> {
  if (params.trailing_stop_pct !== undefined) return { trailingStop: { percent: params.trailing_stop_pct } };
  const out: { stopLoss?: number; takeProfit?: number } = {};
  if (params.stop_loss_pct !== undefined) out.stopLoss = onGrid(price * (1 - params.stop_loss_pct), true);
  if (params.take_profit_pct !== undefined) out.takeProfit = onGrid(price * (1 + params.take_profit_pct), false);
  return out;
}

/**
 * The options of an entry at `price` for `reason`, with `params`' exits as protectiveExitOptions
 * gives them: every field set (absent ones undefined), so each entry builds one object of one shape.
 */
export function entryOptions(params: ProtectiveExitParams, price: number, reason: OrderReason): OrderOptions {
  const trail = params.trailing_stop_pct;
  return {
    reason,
    stopLoss: trail === undefined && params.stop_loss_pct !== undefined ? onGrid(price * (1 - params.stop_loss_pct), true) : undefined,
    takeProfit: trail === undefined && params.take_profit_pct !== undefined ? onGrid(price * (1 + params.take_profit_pct), false) : undefined,
    trailingStop: trail === undefined ? undefined : { percent: trail },
  };
}
