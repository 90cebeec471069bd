import { describe, expect, it } from 'vitest';
import { orderFromAlpaca } from '../../../src/broker/alpaca/orderFromAlpaca.js';
import { BrokerPayloadError } from '../../../src/core/errors.js';

const at = new Date('2026-11-27T15:00:00Z');
const order = (over: Record<string, unknown> = {}) => ({ id: 'o-1', clientOrderId: 's-r-1', symbol: 'AAPL', side: 'buy', type: 'market', timeInForce: 'day', qty: '10', filledQty: '10', filledAvgPrice: '150.25', status: 'filled', submittedAt: at, updatedAt: at, ...over });

describe('an order from Alpaca', () => {
  it('is read with its amounts', () => {
    expect(orderFromAlpaca(order())).toMatchObject({ qty: 10, filledQty: 10, filledAvgPrice: 150.25, status: 'filled' });
  });

  it.each([
    ['a negative fill', { filledQty: '-5' }, 'filledQty'],
    ['a 400-digit quantity', { filledQty: '9'.repeat(400) }, 'filledQty'],
    ['a billion shares', { qty: '1000000000' }, 'qty'],
    ['a zero price', { filledAvgPrice: '0' }, 'filledAvgPrice'],
    ['a price of ten million dollars', { filledAvgPrice: '10000000' }, 'filledAvgPrice'],
    ['an exponent', { qty: '1e3' }, 'qty'],
    ['an unknown status', { status: 'teleported' }, 'status'],
  ])('%s is refused, naming the field (never booked)', (_what, over, field) => {
    expect(() => orderFromAlpaca(order(over))).toThrow(BrokerPayloadError);
    expect(() => orderFromAlpaca(order(over))).toThrow(`order from Alpaca: ${field}`);
  });
});
