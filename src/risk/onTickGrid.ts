import type { OrderIntent, Trail } from '../core/Order.js';

/** Alpaca's price grid: whole cents at or above $1, hundredths of a cent below (a 422 otherwise). */
export function tickOf(price: number): number {
  return price >= 1 ? 0.01 : 0.0001;
}

/** `price` on the grid, rounded `up` or `down` (a price on the grid already stays as it is). */
export function roundToTick(price: number, direction: 'up' | 'down'): number {
  const decimals = price >= 1 ? 2 : 4;
  const scale = 10 ** decimals;
  const scaled = price * scale;
  // Float noise (98.01 × 100 = 9801.000000000002) is not a tick away.
  const whole = direction === 'up' ? Math.ceil(scaled - 1e-6) : Math.floor(scaled + 1e-6);
  return Number((whole / scale).toFixed(decimals));
}

function trailOnGrid(t: Trail | undefined): Trail | undefined {
  if (t?.price === undefined) return t;
  // A trailing distance rounded down: the stop follows a little closer, never looser than asked.
  const price = Math.max(tickOf(t.price), roundToTick(t.price, 'down'));
  return price === t.price ? t : { ...t, price };
}

/**
 * The intent with every price Alpaca will get on its grid, each rounded the way that never makes
 * the order worse than the strategy asked: a buy limit down (never pays more), a sell limit and a
 * take-profit up (never sells for less), a stop and a stop-loss up (a sell stop exits no later, a
 * buy stop enters no earlier), a trailing distance down. `close * 0.98` becomes a valid stop instead
 * of Alpaca's 422 "sub-penny increment". The same object when nothing moves.
 */
export function onTickGrid(intent: OrderIntent): OrderIntent {
  const limit = intent.limitPrice === undefined ? undefined : roundToTick(intent.limitPrice, intent.side === 'buy' ? 'down' : 'up');
  const stop = intent.stopPrice === undefined ? undefined : roundToTick(intent.stopPrice, 'up');
  const b = intent.bracket;
  const bracket =
    b === undefined
      ? undefined
      : {
          stopLoss: b.stopLoss === undefined ? undefined : roundToTick(b.stopLoss, 'up'),
          takeProfit: b.takeProfit === undefined ? undefined : roundToTick(b.takeProfit, 'up'),
          trail: trailOnGrid(b.trail),
        };
  const trail = trailOnGrid(intent.trail);
  const same = limit === intent.limitPrice && stop === intent.stopPrice && trail === intent.trail && (b === undefined || (bracket!.stopLoss === b.stopLoss && bracket!.takeProfit === b.takeProfit && bracket!.trail === b.trail));
  return same ? intent : { ...intent, limitPrice: limit, stopPrice: stop, bracket, trail };
}
