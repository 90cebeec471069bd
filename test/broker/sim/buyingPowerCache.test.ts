import { describe, expect, it } from 'vitest';
import { perShareCommission } from '../../../src/broker/sim/CommissionModel.js';
import { MatchingEngine } from '../../../src/broker/sim/MatchingEngine.js';
import { noSlippage } from '../../../src/broker/sim/SlippageModel.js';
import { BrokerRejectError } from '../../../src/core/errors.js';
import type { OrderRequest } from '../../../src/core/Order.js';
import { SimClock } from '../../../src/core/SimClock.js';
import { seededRandom } from '../../../src/core/seededRandom.js';

const T0 = Date.parse('2019-02-11T14:31:00Z');
const SYMBOLS = ['AAA', 'BBB', 'CCC', 'DDD'];
const commission = perShareCommission(0.005, 1);

/** The buying power summed from scratch, as the venue defines it: cash less every working buy (book order) at its limit, stop or last price, with commission. */
function summed(venue: MatchingEngine): number {
  let reserved = 0;
  for (const o of venue.openOrders()) {
    if (o.side !== 'buy') continue;
    const price = o.limitPrice ?? o.stopPrice ?? venue.lastPrice(o.symbol) ?? 0;
    const q = o.qty - o.filledQty;
    reserved += q * price + (price > 0 ? commission.commission(q, price) : 0);
  }
  return venue.account().cash - reserved;
}

/**
 * Random books: market, limit and stop buys and sells on four symbols, bars that move the marks and
 * fill (partly, with little liquidity) what they reach, revised bars that only mark, cancels; after every step the venue's
 * buying power (kept between changes: a mark moving under no working market buy leaves it) equals
 * the sum from scratch, to the bit.
 */
function run(seed: number): number {
  const random = seededRandom(seed);
  const clock = new SimClock(T0);
  const venue = new MatchingEngine({ clock, startingCash: 50_000, slippage: noSlippage, commission, finishedOrdersKept: seed % 2 === 0 ? 0 : 5, liquidity: () => 1 + Math.floor(random() * 6) });
  const price = new Map(SYMBOLS.map((s) => [s, 20 + random() * 80]));
  let checks = 0;
  let n = 0;
  const check = (): void => {
    expect(venue.buyingPower()).toBe(summed(venue));
    checks++;
  };
  for (let minute = 0; minute < 120; minute++) {
    clock.advanceTo(T0 + minute * 60_000);
    for (const symbol of SYMBOLS) {
      if (random() < 0.8) {
        const open = price.get(symbol)!;
        const close = Math.round(open * (1 + (random() - 0.5) * 0.02) * 100) / 100;
        price.set(symbol, close);
        venue.onBar({ symbol, time: clock.now(), open, high: Math.max(open, close) + 0.05, low: Math.min(open, close) - 0.05, close, volume: 1000 });
        check();
      }
      for (let k = 0; k < 3; k++) {
        const r = random();
        const side = r < 0.6 ? 'buy' : 'sell';
        const type = random() < 0.5 ? 'market' : random() < 0.5 ? 'limit' : 'stop';
        const last = price.get(symbol)!;
        const req: OrderRequest = {
          symbol,
          side,
          qty: 1 + Math.floor(random() * 20),
          type,
          timeInForce: 'day',
          clientOrderId: `c-${seed}-${n++}`,
          strategyId: 's',
          ...(type === 'limit' ? { limitPrice: Math.round(last * (side === 'buy' ? 0.995 : 1.005) * 100) / 100 } : {}),
          ...(type === 'stop' ? { stopPrice: Math.round(last * (side === 'buy' ? 1.005 : 0.995) * 100) / 100 } : {}),
        };
        try {
          venue.submit(req);
        } catch (error) {
          if (!(error instanceof BrokerRejectError)) throw error;
        }
        check();
      }
      if (random() < 0.5) {
        // A revised bar of this minute: it marks the symbol, and cannot fill what was sent at this minute.
        const close = Math.round(price.get(symbol)! * (1 + (random() - 0.5) * 0.01) * 100) / 100;
        price.set(symbol, close);
        venue.onBar({ symbol, time: clock.now(), open: close, high: close, low: close, close, volume: 1000 });
        check();
      }
      if (random() < 0.2) {
        const open = venue.openOrders();
        if (open.length > 0) venue.cancel(open[Math.floor(random() * open.length)]!.id);
        check();
      }
    }
  }
  return checks;
}

describe('the venue\'s buying power, kept between changes', () => {
  it('equals the sum from scratch after every bar, order and cancel, over several random books', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) expect(run(seed)).toBeGreaterThan(1500);
  });
});
