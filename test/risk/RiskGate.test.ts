import { describe, expect, it } from 'vitest';
import type { OrderIntent, OrderRequest } from '../../src/core/Order.js';
import type { ExecutionService } from '../../src/execution/ExecutionService.js';
import { RiskGate } from '../../src/risk/RiskGate.js';
import type { RiskView } from '../../src/risk/RiskView.js';
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
});
