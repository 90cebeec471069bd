import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/emulator/http/ApiError.js';
import { checkTick, parseOrderBody } from '../../../src/emulator/venue/parseOrderBody.js';

const refusal = (fn: () => unknown): [number, number, string] => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return [e.status, e.code, e.message];
    throw e;
  }
  throw new Error('not refused');
};

describe('parseOrderBody', () => {
  it('reads strings and numbers alike', () => {
    expect(parseOrderBody({ symbol: 'AAPL', qty: '2', side: 'buy', type: 'limit', limit_price: 150, time_in_force: 'gtc', client_order_id: 'a' })).toEqual({
      symbol: 'AAPL',
      qty: 2,
      side: 'buy',
      type: 'limit',
      timeInForce: 'gtc',
      extendedHours: false,
      limitPrice: 150,
      clientOrderId: 'a',
    });
  });

  it('names the field it refuses (422)', () => {
    const base = { symbol: 'AAPL', qty: '1', side: 'buy', type: 'market', time_in_force: 'day' };
    expect(refusal(() => parseOrderBody({ ...base, qty: '-1' }))).toEqual([422, 40010001, 'invalid qty: "-1" (a positive decimal is required)']);
    expect(refusal(() => parseOrderBody({ ...base, side: 'short' }))).toEqual([422, 40010001, 'invalid side: "short"']);
    expect(refusal(() => parseOrderBody({ ...base, type: 'limit' }))[2]).toBe('limit_price is required for limit orders');
    expect(refusal(() => parseOrderBody({ ...base, time_in_force: 'ioc' }))[2]).toBe('time_in_force "ioc" is valid at Alpaca but not simulated by this emulator');
    expect(refusal(() => parseOrderBody({ ...base, notional: '100', qty: undefined }))[2]).toContain('notional');
    expect(refusal(() => parseOrderBody('nope'))[2]).toBe('request body must be a JSON object');
  });

  it('applies Alpaca’s price increments: cents from $1, hundredths of a cent below (422, 42210000)', () => {
    expect(() => checkTick('limit_price', 150.25)).not.toThrow();
    expect(() => checkTick('limit_price', 0.1234)).not.toThrow();
    expect(refusal(() => checkTick('stop_price', 1.005))).toEqual([422, 42210000, 'invalid stop_price 1.005. sub-penny increment does not fulfill minimum pricing criteria']);
    expect(refusal(() => checkTick('limit_price', 0.12345))[1]).toBe(42210000);
  });
});
