import { describe, expect, it } from 'vitest';
import type { OrderIntent } from '../../src/core/Order.js';
import { StaticNyseCalendar } from '../../src/risk/calendar/StaticNyseCalendar.js';
import type { RiskView } from '../../src/risk/RiskView.js';
import { accountBuyingPower } from '../../src/risk/rules/accountBuyingPower.js';
import { marketHours } from '../../src/risk/rules/marketHours.js';
import { noWashTrade, type OpenOrderRef } from '../../src/risk/rules/noWashTrade.js';
import { onTickGrid, roundToTick } from '../../src/risk/onTickGrid.js';
import { maxOrderValue } from '../../src/risk/rules/maxOrderValue.js';

function view(now: string, over: Partial<{ pos: number; pending: number; ceiling: number }> = {}): RiskView {
  return {
    strategyId: 's1',
    capital: 10_000,
    paused: false,
    now: Date.parse(now),
    availableCash: () => 10_000,
    position: () => over.pos ?? 0,
    pendingQty: () => over.pending ?? 0,
    price: () => 100,
    priceCeiling: () => over.ceiling,
  };
}
const intent = (side: 'buy' | 'sell', qty: number, extra: Partial<OrderIntent> = {}): OrderIntent => ({ symbol: 'AAPL', side, qty, type: 'market', ...extra });

describe('market_hours', () => {
  const rule = marketHours(new StaticNyseCalendar());
  const at = (iso: string): string | null => rule.check(intent('buy', 1), view(iso));

  it('passes decisions on bars that end after the open and at or before the close', () => {
    // 2019-02-11 is a Monday; New York is UTC−5: 14:31Z is 09:31, 21:00Z is 16:00.
    expect(at('2019-02-11T14:31:00Z')).toBeNull();
    expect(at('2019-02-11T18:00:00Z')).toBeNull();
    // The closing bar: the order waits for the next open.
    expect(at('2019-02-11T21:00:00Z')).toBeNull();
  });

  it('refuses pre-market and after-hours decisions, saying by how much and when the market opens', () => {
    expect(at('2019-02-11T14:30:00Z')).toBe('market closed: 09:30 ET is 0 min before the 09:30 open; next open Monday 2019-02-11 09:30 ET');
    expect(at('2019-02-11T13:00:00Z')).toBe('market closed: 08:00 ET is 1 h 30 min before the 09:30 open; next open Monday 2019-02-11 09:30 ET');
    expect(at('2019-02-11T21:01:00Z')).toBe('market closed: 16:01 ET is 1 min after the 16:00 close; next open Tuesday 2019-02-12 09:30 ET');
    expect(at('2019-02-11T22:30:00Z')).toBe('market closed: 17:30 ET is 1 h 30 min after the 16:00 close; next open Tuesday 2019-02-12 09:30 ET');
  });

  it('refuses weekends, holidays, and the afternoon of an early close', () => {
    expect(at('2019-02-16T15:00:00Z')).toBe('market closed: 2019-02-16 is a Saturday (10:00 ET); next open Tuesday 2019-02-19 09:30 ET');
    expect(at('2019-02-18T15:00:00Z')).toBe('market closed: 2019-02-18 is a market holiday (10:00 ET); next open Tuesday 2019-02-19 09:30 ET');
    // 2019-11-29 closes at 13:00 (18:00Z); 13:30 is after it.
    expect(at('2019-11-29T18:00:00Z')).toBeNull();
    expect(at('2019-11-29T18:30:00Z')).toBe('market closed: 13:30 ET is 30 min after the 13:00 (early) close; next open Monday 2019-12-02 09:30 ET');
  });
});

describe('prices on Alpaca’s tick grid (RiskGate, before the rules)', () => {
  it('whole cents at or above $1, 4 decimals below; a price on the grid stays', () => {
    expect([roundToTick(150.12, 'up'), roundToTick(98.01, 'up'), roundToTick(98.01, 'down'), roundToTick(1, 'down')]).toEqual([150.12, 98.01, 98.01, 1]);
    expect([roundToTick(150.123, 'down'), roundToTick(150.123, 'up'), roundToTick(0.12345, 'down'), roundToTick(0.12345, 'up')]).toEqual([150.12, 150.13, 0.1234, 0.1235]);
  });
  it('rounds each price the way that never makes the order worse than asked', () => {
    // A buy limit down, a sell limit up, stops up; a bracket's stop-loss and take-profit up; a trailing distance down.
    expect(onTickGrid(intent('buy', 1, { type: 'limit', limitPrice: 168.7356 })).limitPrice).toBe(168.73);
    expect(onTickGrid(intent('sell', 1, { type: 'limit', limitPrice: 168.7356 })).limitPrice).toBe(168.74);
    expect(onTickGrid(intent('sell', 1, { type: 'stop', stopPrice: 168.7356 })).stopPrice).toBe(168.74);
    const bracket = onTickGrid(intent('buy', 1, { bracket: { stopLoss: 170 * 0.98, takeProfit: 170 * 1.0333 } })).bracket;
    expect(bracket).toEqual({ stopLoss: 166.6, takeProfit: 175.67, trail: undefined });
    expect(onTickGrid(intent('buy', 1, { bracket: { trail: { price: 1.238 } } })).bracket?.trail).toEqual({ price: 1.23 });
    expect(onTickGrid(intent('sell', 1, { type: 'stop', trail: { price: 0.004 } })).trail).toEqual({ price: 0.0001 * 40 });
  });
  it('leaves an intent already on the grid as it is (the same object)', () => {
    const i = intent('buy', 1, { type: 'limit', limitPrice: 150.12, bracket: { stopLoss: 140, takeProfit: 160 } });
    expect(onTickGrid(i)).toBe(i);
    expect(onTickGrid(intent('buy', 1))).toEqual(intent('buy', 1));
  });
});

describe('account_buying_power', () => {
  const rule = (power: number | null) => accountBuyingPower(() => (power === null ? null : { buyingPower: power }), () => 1);
  // 10 × $100 + $1 commission = $1,001.
  it('passes a buy that fits, and at the limit', () => {
    expect(rule(1001).check(intent('buy', 10), view('2019-02-11T15:00:00Z'))).toBeNull();
  });
  it('refuses a buy over it, by how much', () => {
    expect(rule(1000.5).check(intent('buy', 10), view('2019-02-11T15:00:00Z'))).toBe(
      "buying 10 AAPL costs about $1,001.00, $0.50 more than the account's buying power ($1,000.50)",
    );
  });
  it('ignores sells and an account not known yet', () => {
    expect(rule(0).check(intent('sell', 10), view('2019-02-11T15:00:00Z'))).toBeNull();
    expect(rule(null).check(intent('buy', 10), view('2019-02-11T15:00:00Z'))).toBeNull();
  });
});

describe('wash_trade', () => {
  const open: OpenOrderRef[] = [{ clientOrderId: 's2-r-7', strategyId: 's2', side: 'sell', qty: 5 }];
  const rule = noWashTrade((symbol, side) => (symbol === 'AAPL' ? open.find((o) => o.side !== side) : undefined));
  it('refuses an entry facing an opposite open order of any strategy', () => {
    expect(rule.check(intent('buy', 1), view('2019-02-11T15:00:00Z'))).toBe(
      'an opposite order is open at the broker (sell 5 AAPL, s2-r-7 of s2): Alpaca refuses potential wash trades; try again when it is done',
    );
  });
  it('lets exits through (the ExecutionService holds them) and same-side orders', () => {
    expect(rule.check(intent('buy', 1), view('2019-02-11T15:00:00Z', { pos: -3 }))).toBeNull();
    expect(rule.check(intent('sell', 1), view('2019-02-11T15:00:00Z', { pos: 3 }))).toBeNull();
    expect(rule.check({ ...intent('buy', 1), symbol: 'MSFT' }, view('2019-02-11T15:00:00Z'))).toBeNull();
  });
});

describe('max_order_value', () => {
  const rule = maxOrderValue(1);
  const at = '2019-02-11T15:00:00Z';
  it('values a buy at the highest price since yesterday: a price fallen to a thousandth cannot size a huge order', () => {
    // The last close is a bad $0.10 print; the symbol traded at $100 earlier: 1,000 shares are worth $100,000, not $100.
    const v = { ...view(at, { ceiling: 100 }), price: () => 0.1 };
    expect(rule.check(intent('buy', 1000), v)).toBe('buying 1000 AAPL is worth $100,000.00 at $100 (its highest price since yesterday), over the limit of 100.0% of capital ($10,000.00) for one order');
    expect(rule.check(intent('buy', 100), v)).toBeNull();
  });
  it('lets sells through, and uses the order’s own price when higher', () => {
    expect(rule.check(intent('sell', 1000), view(at, { ceiling: 100 }))).toBeNull();
    expect(rule.check(intent('buy', 90, { type: 'limit', limitPrice: 120 }), view(at, { ceiling: 100 }))).toBe('buying 90 AAPL is worth $10,800.00 at $120 (its highest price since yesterday), over the limit of 100.0% of capital ($10,000.00) for one order');
  });
});
