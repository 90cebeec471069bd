import type { Alpaca } from '@alpacahq/alpaca-trade-api';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AlpacaBroker } from '../../../src/broker/alpaca/AlpacaBroker.js';
import { RequestBudget } from '../../../src/broker/alpaca/RequestBudget.js';
import { summarizeAlpacaOrder } from '../../../src/broker/alpaca/orderFromAlpaca.js';
import { LiveClock } from '../../../src/core/LiveClock.js';
import { reconcileWithBroker } from '../../../src/engine/reconcileWithBroker.js';
import { coreRun } from '../../execution/coreHarness.js';

const at = new Date('2026-11-27T15:00:00Z');
const base = { createdAt: at, submittedAt: at, updatedAt: at, filledQty: '0', filledAvgPrice: null, limitPrice: null, stopPrice: null, timeInForce: 'day', legs: null };

/** Orders placed by hand or by another program, as the SDK (v4) hands them over: shapes the daemon never sends. */
const strangers = [
  { ...base, id: 'o-1', clientOrderId: 'by-hand-1', symbol: 'AAPL', side: 'sell', type: 'stop_limit', orderClass: 'simple', qty: '3', stopPrice: '150', limitPrice: '149.5', status: 'new' },
  // A multi-leg options order: no symbol, no side, legs of type "".
  {
    ...base,
    id: 'o-2',
    clientOrderId: 'mleg-1',
    symbol: '',
    side: '',
    type: 'limit',
    orderClass: 'mleg',
    qty: '1',
    limitPrice: '10',
    status: 'accepted',
    legs: [{ ...base, id: 'o-3', clientOrderId: 'mleg-1a', symbol: 'AAPL241213C00250000', side: 'buy', type: '', orderClass: 'mleg', qty: '3', status: 'accepted' }],
  },
  // A notional order: no qty.
  { ...base, id: 'o-4', clientOrderId: 'notional-1', symbol: 'MSFT', side: 'buy', type: 'market', orderClass: '', qty: null, notional: '500', status: 'pending_new' },
  { ...base, id: 'o-5', clientOrderId: 'odd-1', symbol: 'SPY', side: 'buy', type: 'limit', orderClass: '', qty: '1', limitPrice: '1', status: 'some_new_status' },
];

function brokerWith(orders: unknown[]): AlpacaBroker {
  const client = { trading: { orders: { getAllOrders: () => Promise.resolve(orders) } } } as unknown as Alpaca;
  const clock = new LiveClock();
  return new AlpacaBroker({ client, tradeStreamUrl: 'ws://127.0.0.1:1/stream', budget: new RequestBudget(clock, 190), clock, log: pino({ level: 'silent' }) });
}

describe('orders of shapes the daemon never sends', () => {
  it('are listed and reported as external with their details, never a crash', async () => {
    const open = await brokerWith(strangers).getOpenOrders();
    expect(open.map((o) => [o.clientOrderId, o.side, o.qty, o.symbol, o.type, o.status])).toEqual([
      ['by-hand-1', 'sell', 3, 'AAPL', 'stop_limit', 'new'],
      ['mleg-1', '', 1, '', 'limit mleg', 'accepted'],
      ['mleg-1a', 'buy', 3, 'AAPL241213C00250000', '(no type) mleg', 'accepted'],
      ['notional-1', 'buy', null, 'MSFT', 'market notional $500', 'pending_new'],
      ['odd-1', 'buy', 1, 'SPY', 'limit', 'some_new_status'],
    ]);
    const run = coreRun({ strategies: { s: () => {} } });
    expect(reconcileWithBroker(run.core, [], open)).toEqual([
      "open order by-hand-1 (sell 3 AAPL stop_limit, new) is not the daemon's",
      "open order mleg-1 (1 limit mleg, accepted) is not the daemon's",
      "open order mleg-1a (buy 3 AAPL241213C00250000 (no type) mleg, accepted) is not the daemon's",
      "open order notional-1 (buy MSFT market notional $500, pending_new) is not the daemon's",
      "open order odd-1 (buy 1 SPY limit, some_new_status) is not the daemon's",
    ]);
  });

  it('a summary never throws, whatever it is given', () => {
    for (const raw of [null, undefined, 42, 'x', [], {}, { id: 7, qty: 'NaN' }]) expect(() => summarizeAlpacaOrder(raw)).not.toThrow();
    expect(summarizeAlpacaOrder({ id: 7, qty: 'NaN' })).toEqual({ id: '7', clientOrderId: '', symbol: '', side: '', type: '(no type)', qty: null, status: '' });
  });
});

describe('catching up through orders it cannot read', () => {
  it('an order with an unknown status or an impossible amount is logged and skipped; the others are booked (no retry loop)', async () => {
    const mine = (cid: string, over: Record<string, unknown>) => ({ ...base, id: `id-${cid}`, clientOrderId: cid, symbol: 'AAPL', side: 'buy', type: 'market', orderClass: '', qty: '2', filledQty: '2', filledAvgPrice: '150', status: 'filled', ...over });
    const broker = brokerWith([mine('s-r-1', { status: 'teleported' }), mine('s-r-2', { filledQty: '-2' }), mine('s-r-3', {})]);
    const events: string[] = [];
    broker.onOrderEvent((e) => events.push(`${e.kind} ${e.order.clientOrderId}`));
    await broker.catchUp(0, () => true);
    expect(events).toEqual(['new s-r-3', 'fill s-r-3']);
  });
});
