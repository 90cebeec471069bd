import { describe, expect, it } from 'vitest';
import { noCommission } from '../../src/broker/sim/CommissionModel.js';
import { MatchingEngine } from '../../src/broker/sim/MatchingEngine.js';
import { noSlippage } from '../../src/broker/sim/SlippageModel.js';
import { SimClock } from '../../src/core/SimClock.js';
import { engineStateSchema } from '../../src/persistence/engineStateSchema.js';

describe('the simulated venue in the state file', () => {
  it('validates and restores with working orders (a triggered stop included)', () => {
    const clock = new SimClock(Date.parse('2019-02-11T14:31:00Z'));
    const venue = new MatchingEngine({ clock, startingCash: 10_000, slippage: noSlippage, commission: noCommission });
    venue.submit({ symbol: 'AAPL', side: 'buy', qty: 5, type: 'market', timeInForce: 'day', clientOrderId: 'a', strategyId: 's' });
    venue.onQuote({ symbol: 'AAPL', time: clock.now(), bid: 100, ask: 100.02, bidSize: 100, askSize: 100 });
    venue.submit({ symbol: 'AAPL', side: 'sell', qty: 5, type: 'stop', stopPrice: 99, timeInForce: 'gtc', clientOrderId: 'b', strategyId: 's' });
    venue.submit({ symbol: 'AAPL', side: 'buy', qty: 1, type: 'limit', limitPrice: 50, timeInForce: 'gtc', clientOrderId: 'c', strategyId: 's' });
    const data = JSON.parse(JSON.stringify(venue.toData())) as unknown;
    const parsed = engineStateSchema.shape.venue.parse(data);
    expect(parsed?.working.map((w) => [w.order.clientOrderId, w.triggered])).toEqual([
      ['b', false],
      ['c', false],
    ]);
    const again = new MatchingEngine({ clock, startingCash: 0, slippage: noSlippage, commission: noCommission });
    again.restore(parsed!);
    expect(again.openOrders().map((o) => o.clientOrderId)).toEqual(['b', 'c']);
  });
});
