import { describe, expect, it } from 'vitest';
import type { OrderIntent, OrderRequest } from '../../src/core/Order.js';
import type { ExecutionService } from '../../src/execution/ExecutionService.js';
import { RiskGate } from '../../src/risk/RiskGate.js';
import type { RiskView } from '../../src/risk/RiskView.js';
import { accountBuyingPower } from '../../src/risk/rules/accountBuyingPower.js';
import { maxPosition } from '../../src/risk/rules/maxPosition.js';
import { noShort } from '../../src/risk/rules/noShort.js';
import { notPaused } from '../../src/risk/rules/notPaused.js';
import { strategyCash } from '../../src/risk/rules/strategyCash.js';
import { validIntent } from '../../src/risk/rules/validIntent.js';

function view(over: Partial<{ cash: number; pos: number; pending: number; price: number | undefined; paused: boolean }> = {}): RiskView {
  const v = { cash: 10_000, pos: 0, pending: 0, price: 100 as number | undefined, paused: false, ...over };
  return {
    strategyId: 's1',
    capital: 10_000,
    paused: v.paused,
    now: Date.parse('2019-02-11T15:00:00Z'),
    availableCash: () => v.cash,
    position: () => v.pos,
    pendingQty: () => v.pending,
    price: () => v.price,
    priceCeiling: () => v.price,
  };
}

const buy = (qty: number, extra: Partial<OrderIntent> = {}): OrderIntent => ({ symbol: 'AAPL', side: 'buy', qty, type: 'market', ...extra });
const sell = (qty: number): OrderIntent => ({ symbol: 'AAPL', side: 'sell', qty, type: 'market' });

function gate() {
  const sent: OrderRequest[] = [];
  const execution = {
    send: (strategyId: string, intent: OrderIntent) => {
      const r = { ...intent, strategyId, clientOrderId: `${strategyId}-t-${sent.length + 1}`, timeInForce: 'day' as const };
      sent.push(r);
      return r;
    },
  } as unknown as ExecutionService;
  const g = new RiskGate([validIntent, notPaused, noShort, maxPosition(0.25), strategyCash((q) => q * 0.01)], execution);
  return { g, sent };
}

describe('RiskGate', () => {
  it('sends an intent that passes every rule, with a client order id naming the strategy', () => {
    const { g, sent } = gate();
    const d = g.submit(buy(20), view());
    expect(d).toEqual({ allowed: true, request: { ...buy(20), strategyId: 's1', clientOrderId: 's1-t-1', timeInForce: 'day' } });
    expect(sent).toHaveLength(1);
  });

  it('max_position: at most 25 % of capital after the order, counting open orders; exits pass', () => {
    const { g, sent } = gate();
    expect(g.submit(buy(25), view())).toMatchObject({ allowed: true });
    const d = g.submit(buy(26), view());
    expect(d).toEqual({
      allowed: false,
      rule: 'max_position',
      // 26 × $100 = $2,600 against 25 % of $10,000 = $2,500: $100 over.
      reason: 'position in AAPL would be $2,600.00, $100.00 over the limit of 25.0% of capital ($2,500.00)',
    });
    expect(g.submit(buy(5), view({ pos: 10, pending: 11 }))).toMatchObject({ allowed: false, rule: 'max_position' });
    expect(g.submit(sell(40), view({ pos: 40 }))).toMatchObject({ allowed: true });
    expect(sent).toHaveLength(2);
  });

  it('strategy_cash: the cost and estimated commission must fit the available cash', () => {
    const { g } = gate();
    expect(g.submit(buy(20), view({ cash: 2000.2 }))).toMatchObject({ allowed: true });
    expect(g.submit(buy(20), view({ cash: 2000.19 }))).toEqual({
      allowed: false,
      rule: 'strategy_cash',
      // 20 × $100 + 20 × $0.01 commission = $2,000.20 against $2,000.19: $0.01 short.
      reason: 'buying 20 AAPL costs about $2,000.20, $0.01 more than the $2,000.19 strategy s1 has available',
    });
    // A limit order is valued at its limit.
    expect(g.submit(buy(20, { type: 'limit', limitPrice: 50 }), view({ cash: 1001 }))).toMatchObject({ allowed: true });
  });

  it('no_short: a sell may not go below zero with open orders counted', () => {
    const { g } = gate();
    expect(g.submit(sell(10), view({ pos: 10 }))).toMatchObject({ allowed: true });
    expect(g.submit(sell(10), view({ pos: 10, pending: -5 }))).toMatchObject({ allowed: false, rule: 'no_short' });
  });

  it('valid_intent: quantity, prices and a known price', () => {
    const { g } = gate();
    expect(g.submit(buy(0), view())).toMatchObject({ allowed: false, rule: 'valid_intent' });
    expect(g.submit(buy(Number.NaN), view())).toMatchObject({ allowed: false, rule: 'valid_intent' });
    expect(g.submit(buy(1, { type: 'limit' }), view())).toMatchObject({ allowed: false, rule: 'valid_intent' });
    expect(g.submit(buy(1), view({ price: undefined }))).toEqual({ allowed: false, rule: 'valid_intent', reason: 'no valid price known for AAPL' });
  });

  it('strategy_paused: entries blocked, exits allowed', () => {
    const { g } = gate();
    expect(g.submit(buy(1), view({ paused: true }))).toMatchObject({ allowed: false, rule: 'strategy_paused' });
    expect(g.submit(sell(5), view({ paused: true, pos: 5 }))).toMatchObject({ allowed: true });
  });

  it('account_buying_power: a buy let through spends the reading until the account is read again, as Alpaca holds buying power for open buys at once', () => {
    // Alpaca's own example (docs, Orders at Alpaca, "Buying Power"): $10,000 of buying power, a
    // $3,000 limit buy accepted leaves $7,000, and an $8,000 buy after it is refused. The daemon's
    // reading of the account is refreshed seconds later: buys decided on one bar all meet the same one.
    const sent: Array<OrderIntent & { strategyId: string }> = [];
    const execution = { send: (strategyId: string, intent: OrderIntent) => sent.push({ ...intent, strategyId }) } as unknown as ExecutionService;
    let reading = { buyingPower: 10_000 };
    const g = new RiskGate([validIntent, accountBuyingPower(() => reading, () => 0)], execution);
    const limitBuy = (qty: number) => buy(qty, { type: 'limit', limitPrice: 100 });
    expect(g.submit(limitBuy(30), view())).toMatchObject({ allowed: true });
    expect(g.submit(limitBuy(80), { ...view(), strategyId: 's2' })).toEqual({
      allowed: false,
      rule: 'account_buying_power',
      reason: "buying 80 AAPL costs about $8,000.00, $1,000.00 more than the account's buying power ($7,000.00: $10,000.00 read from the account, less $3,000.00 of buys sent since)",
    });
    expect(g.submit(limitBuy(70), { ...view(), strategyId: 's2' })).toMatchObject({ allowed: true });
    expect(g.submit(sell(5), view({ pos: 5 }))).toMatchObject({ allowed: true });
    expect(g.submit(limitBuy(1), view())).toMatchObject({ allowed: false, rule: 'account_buying_power' });
    // A new reading has the open buys in it (Alpaca took them off): it is the buying power as it is.
    reading = { buyingPower: 150 };
    expect(g.submit(limitBuy(1), view())).toMatchObject({ allowed: true });
    expect(g.submit(limitBuy(1), view())).toMatchObject({ allowed: false, rule: 'account_buying_power' });
    expect(sent.map((r) => `${r.strategyId} ${r.side} ${r.qty}`)).toEqual(['s1 buy 30', 's2 buy 70', 's1 sell 5', 's1 buy 1']);
  });
});
