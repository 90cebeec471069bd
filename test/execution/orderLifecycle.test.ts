import { describe, expect, it } from 'vitest';
import { coreRun } from './coreHarness.js';

describe('orders counted when they are decided', () => {
  it('max_trades_per_day 1: of three buys decided on one bar, one goes out', () => {
    const run = coreRun({
      strategies: { s: (i, bar, ctx) => i === 0 && [1, 2, 3].forEach(() => ctx.buy(bar.symbol, 1)) },
      breakers: { maxTradesPerDay: 1 },
    });
    run.bar(0, { AAPL: 100 });
    expect(run.sent).toEqual(['s-r-1 buy 1']);
    expect(run.core.breakers!.get('s')!.trip?.rule).toBe('max_trades_per_day');
    expect(run.strategies.get('s')!.rejections.map((r) => r.rule)).toEqual(['circuit_breaker', 'circuit_breaker']);
  });

  it('max_trades_per_day 2 lets exactly two through', () => {
    const run = coreRun({ strategies: { s: (i, bar, ctx) => i === 0 && [1, 2, 3].forEach(() => ctx.buy(bar.symbol, 1)) }, breakers: { maxTradesPerDay: 2 } });
    run.bar(0, { AAPL: 100 });
    expect(run.sent).toEqual(['s-r-1 buy 1', 's-r-2 buy 1']);
  });
});

describe('a circuit breaker trip', () => {
  it('cancels the strategy’s resting entries: a paused strategy does not grow', () => {
    const run = coreRun({ strategies: { s: (i, bar, ctx) => i === 0 && ctx.buy(bar.symbol, 10, { type: 'limit', limitPrice: 90 }) } });
    run.bar(0, { AAPL: 100 });
    run.bar(1, { AAPL: 100 });
    run.core.breakers!.get('s')!.pause(run.clock.now(), 'test');
    // The price falls through the limit: a working buy would fill now.
    run.bar(2, { AAPL: [95, 95, 85, 88] });
    expect(run.events).toEqual(['new s-r-1', 'canceled s-r-1']);
    expect(run.core.runner.get('s')!.ledger.positionQty('AAPL')).toBe(0);
    expect(run.venue.openOrders()).toEqual([]);
  });

  it('with flatten, cancels every order of the scope (its protective exits and a resting buy included), then closes: the position ends at 0', () => {
    const run = coreRun({
      symbols: ['AAPL', 'MSFT'],
      strategies: {
        s: (i, bar, ctx) => {
          if (i === 0 && bar.symbol === 'AAPL') ctx.buy(bar.symbol, 10, { stopLoss: 80, takeProfit: 130 });
          if (i === 3 && bar.symbol === 'MSFT') ctx.buy(bar.symbol, 5, { type: 'limit', limitPrice: 90 });
        },
      },
      // 10 shares at $100 of $20,000: a $2 fall is a 0.1 % drawdown.
      breakers: { maxDrawdownPct: 0.001, action: 'flatten' },
    });
    run.bar(0, { AAPL: 100, MSFT: 100 });
    run.bar(1, { AAPL: 100, MSFT: 100 });
    expect(run.venue.openOrders().map((o) => o.clientOrderId).sort()).toEqual(['s-r-1-sl', 's-r-1-tp', 's-r-2']);
    run.bar(2, { AAPL: 97, MSFT: 100 });
    expect(run.core.breakers!.get('s')!.trip?.rule).toBe('max_drawdown');
    run.bar(3, { AAPL: 96, MSFT: [95, 95, 85, 88] });
    expect(run.core.runner.get('s')!.ledger.positionQty('AAPL')).toBe(0);
    expect(run.venue.positions()).toEqual([]);
    expect(run.venue.openOrders()).toEqual([]);
    expect(run.core.execution.inFlight).toBe(0);
    // MSFT's closing sell (s-r-4) had nothing to sell once the resting buy was canceled.
    expect(run.events.filter((e) => !e.startsWith('new'))).toEqual(['fill s-r-1 10@100', 'canceled s-r-1-sl', 'canceled s-r-1-tp', 'canceled s-r-2', 'canceled s-r-4', 'fill s-r-3 10@96']);
  });

  it('flatten by hand (npm run ctl -- flatten): the same, through the core', () => {
    const run = coreRun({ strategies: { s: (i, bar, ctx) => i === 0 && ctx.buy(bar.symbol, 10, { stopLoss: 80 }) } });
    run.bar(0, { AAPL: 100 });
    run.bar(1, { AAPL: 100 });
    expect(run.core.flatten('s', 'test')).toBe(1);
    run.bar(2, { AAPL: 101 });
    expect(run.core.runner.get('s')!.ledger.positionQty('AAPL')).toBe(0);
    expect(run.venue.openOrders()).toEqual([]);
  });
});

describe('an exit of a position with protective exits', () => {
  it('cancels the position’s own legs first, then sells (alone on the symbol, the venue would refuse the exit otherwise)', () => {
    const run = coreRun({
      strategies: {
        s: (i, bar, ctx) => {
          if (i === 0) ctx.buy(bar.symbol, 10, { stopLoss: 80, takeProfit: 130 });
          if (i === 2) ctx.closePosition(bar.symbol, 'done');
        },
      },
    });
    run.bar(0, { AAPL: 100 });
    run.bar(1, { AAPL: 100 });
    run.bar(2, { AAPL: 102 });
    run.bar(3, { AAPL: 103 });
    expect(run.events.filter((e) => !e.startsWith('new'))).toEqual(['fill s-r-1 10@100', 'canceled s-r-1-sl', 'canceled s-r-1-tp', 'fill s-r-2 10@103']);
    expect(run.strategies.get('s')!.rejections).toEqual([]);
    expect(run.venue.positions()).toEqual([]);
    expect(run.venue.openOrders()).toEqual([]);
  });

  it('with another strategy on the symbol: never takes the other’s shares, and no orphaned stop sells later', () => {
    const run = coreRun({
      strategies: {
        a: (i, bar, ctx) => {
          if (i === 1) ctx.buy(bar.symbol, 10, { stopLoss: 90, takeProfit: 130 });
          if (i === 3) ctx.closePosition(bar.symbol, 'done');
        },
        b: (i, bar, ctx) => {
          if (i === 0) ctx.buy(bar.symbol, 50);
          // Its entry faces a's protective exits (sells): Alpaca would see a potential wash trade.
          if (i === 2) ctx.buy(bar.symbol, 5);
        },
      },
    });
    run.bar(0, { AAPL: 100 });
    run.bar(1, { AAPL: 100 });
    run.bar(2, { AAPL: 100 });
    expect(run.strategies.get('b')!.rejections.map((r) => r.rule)).toEqual(['wash_trade']);
    run.bar(3, { AAPL: 101 });
    run.bar(4, { AAPL: 101 });
    // Far under a's old stop: nothing of a's is left to sell b's shares.
    run.bar(5, { AAPL: [85, 85, 80, 80] });
    run.bar(6, { AAPL: 80 });
    expect(run.core.runner.get('a')!.ledger.positionQty('AAPL')).toBe(0);
    expect(run.core.runner.get('b')!.ledger.positionQty('AAPL')).toBe(50);
    expect(run.venue.positions().map((p) => [p.symbol, p.qty])).toEqual([['AAPL', 50]]);
    expect(run.venue.openOrders()).toEqual([]);
    expect(run.sent).toEqual(['b-r-1 buy 50', 'a-r-2 buy 10', 'a-r-3 sell 10']);
  });
});

describe('a trailing stop', () => {
  it('is in flight from the entry on (the wash-trade rule sees it) and goes out for the shares filled', () => {
    const run = coreRun({
      strategies: {
        a: (i, bar, ctx) => i === 0 && ctx.buy(bar.symbol, 10, { trailingStop: { percent: 0.05 } }),
        b: (i, bar, ctx) => i === 2 && ctx.buy(bar.symbol, 5),
      },
    });
    run.bar(0, { AAPL: 100 });
    expect(run.core.execution.isInFlight('a-r-1-ts')).toBe(true);
    run.bar(1, { AAPL: 100 });
    expect(run.sent).toEqual(['a-r-1 buy 10', 'a-r-1-ts sell 10']);
    run.bar(2, { AAPL: 101 });
    expect(run.strategies.get('b')!.rejections.map((r) => r.rule)).toEqual(['wash_trade']);
    // 5 % under the high of 110: 104.50.
    run.bar(3, { AAPL: [104, 110, 104, 109] });
    run.bar(4, { AAPL: [108, 108, 104, 104] });
    expect(run.events.filter((e) => e.includes('fill'))).toEqual(['fill a-r-1 10@100', 'fill a-r-1-ts 10@104.5']);
    expect(run.core.execution.inFlight).toBe(0);
  });

  it('waiting for its entry survives a restart, and goes out when the entry fills after it', () => {
    const first = coreRun({ strategies: { a: (i, bar, ctx) => i === 0 && ctx.buy(bar.symbol, 10, { type: 'limit', limitPrice: 95, timeInForce: 'gtc', trailingStop: { price: 2 } } as never) } });
    first.bar(0, { AAPL: 100 });
    const saved = first.state();
    expect(saved.execution.held.map((h) => [h.request.clientOrderId, h.after])).toEqual([['a-r-1-ts', 'a-r-1']]);
    const second = coreRun({ strategies: { a: () => {} }, restoreFrom: saved });
    second.bar(1, { AAPL: [96, 96, 94, 95] });
    expect(second.sent).toEqual(['a-r-1-ts sell 10']);
    second.bar(2, { AAPL: [95, 99, 95, 98] });
    second.bar(3, { AAPL: [97, 97, 96, 96] });
    expect(second.events.filter((e) => e.includes('fill'))).toEqual(['fill a-r-1 10@95', 'fill a-r-1-ts 10@97']);
  });
});

describe('quantities', () => {
  it('are whole shares: a fraction is refused by valid_intent with the reason', () => {
    const run = coreRun({ strategies: { s: (i, bar, ctx) => i === 0 && ctx.buy(bar.symbol, 0.3) } });
    run.bar(0, { AAPL: 100 });
    expect(run.sent).toEqual([]);
    expect(run.strategies.get('s')!.rejections.map((r) => [r.rule, r.reason])).toEqual([['valid_intent', 'quantity must be a whole number of shares, got 0.3 (fractional shares are not traded: use Math.floor)']]);
  });
});
