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
  const base = { symbol: 'AAPL', qty: '1', side: 'buy', type: 'market', time_in_force: 'day' };

  it('reads strings and numbers alike', () => {
    expect(parseOrderBody({ symbol: 'AAPL', qty: '2', side: 'buy', type: 'limit', limit_price: 150, time_in_force: 'gtc', client_order_id: 'a' })).toEqual({
      symbol: 'AAPL',
      qty: 2,
      side: 'buy',
      type: 'limit',
      timeInForce: 'gtc',
      extendedHours: false,
      orderClass: '',
      limitPrice: 150,
      clientOrderId: 'a',
    });
  });

  it('names the field it refuses (422)', () => {
    expect(refusal(() => parseOrderBody({ ...base, qty: '-1' }))).toEqual([422, 40010001, 'invalid qty: "-1" (a positive decimal is required)']);
    expect(refusal(() => parseOrderBody({ ...base, side: 'short' }))).toEqual([422, 40010001, 'invalid side: "short"']);
    expect(refusal(() => parseOrderBody({ ...base, type: 'limit' }))[2]).toBe('limit_price is required for limit orders');
    expect(refusal(() => parseOrderBody({ ...base, time_in_force: 'gtd' }))[2]).toBe('invalid time_in_force: "gtd"');
    expect(refusal(() => parseOrderBody({ ...base, notional: '100' }))[2]).toBe('qty and notional are mutually exclusive: give one');
    expect(refusal(() => parseOrderBody({ ...base, order_class: 'mleg' }))[2]).toContain('not simulated');
    expect(refusal(() => parseOrderBody('nope'))[2]).toBe('request body must be a JSON object');
  });

  it('takes what Alpaca takes: stop-limit, notional, fractional market/limit day, ioc/fok/opg/cls, extended-hours limits', () => {
    expect(parseOrderBody({ ...base, type: 'stop_limit', stop_price: '105', limit_price: '106' })).toMatchObject({ type: 'stop_limit', stopPrice: 105, limitPrice: 106 });
    expect(parseOrderBody({ ...base, qty: undefined, notional: '250.5' })).toMatchObject({ notional: 250.5 });
    expect(parseOrderBody({ ...base, type: 'limit', limit_price: '150', qty: '0.25' })).toMatchObject({ qty: 0.25 });
    for (const tif of ['ioc', 'fok', 'opg', 'cls']) expect(parseOrderBody({ ...base, time_in_force: tif }).timeInForce).toBe(tif);
    expect(parseOrderBody({ ...base, type: 'limit', limit_price: '150', extended_hours: true }).extendedHours).toBe(true);
    expect(refusal(() => parseOrderBody({ ...base, type: 'stop_limit', stop_price: '105' }))[2]).toBe('limit_price is required for stop_limit orders');
    expect(refusal(() => parseOrderBody({ ...base, qty: undefined, notional: '10', type: 'limit', limit_price: '1' }))[2]).toBe('notional orders must be market orders with time_in_force day');
    expect(refusal(() => parseOrderBody({ ...base, qty: '0.5', time_in_force: 'gtc' }))[2]).toBe('fractional orders must be market or limit orders with time_in_force day');
    expect(refusal(() => parseOrderBody({ ...base, qty: '0.5', type: 'stop', stop_price: '1' }))[2]).toBe('fractional orders must be market or limit orders with time_in_force day');
    expect(refusal(() => parseOrderBody({ ...base, type: 'stop', stop_price: '1', time_in_force: 'ioc' }))[2]).toBe('time_in_force ioc takes market and limit orders only');
    expect(refusal(() => parseOrderBody({ ...base, extended_hours: true }))[2]).toBe('extended hours order must be DAY or GTC limit orders');
    expect(refusal(() => parseOrderBody({ ...base, qty: '1.0000000001' }))[2]).toBe('invalid qty: 1.0000000001 (at most 9 decimals)');
  });

  it('reads the exits of brackets (a stop-limit stop-loss too), OTOs and OCOs', () => {
    const bracket = parseOrderBody({ ...base, order_class: 'bracket', take_profit: { limit_price: '180' }, stop_loss: { stop_price: '160', limit_price: '159.5' } });
    expect(bracket).toMatchObject({ orderClass: 'bracket', takeProfit: 180, stopLoss: { stopPrice: 160, limitPrice: 159.5 } });
    const oco = parseOrderBody({ ...base, side: 'sell', type: 'limit', order_class: 'oco', take_profit: { limit_price: '180' }, stop_loss: { stop_price: '160' } });
    expect(oco).toMatchObject({ orderClass: 'oco', type: 'limit', limitPrice: 180, takeProfit: 180, stopLoss: { stopPrice: 160 } });
    // The take-profit may come as the order's limit_price.
    expect(parseOrderBody({ ...base, side: 'sell', type: 'limit', limit_price: '181', order_class: 'oco', stop_loss: { stop_price: '160' } })).toMatchObject({ takeProfit: 181 });
    expect(refusal(() => parseOrderBody({ ...base, side: 'sell', order_class: 'oco', take_profit: { limit_price: '180' }, stop_loss: { stop_price: '160' } }))[2]).toBe('oco orders must be type limit (the take-profit)');
    expect(refusal(() => parseOrderBody({ ...base, type: 'limit', limit_price: '1', order_class: 'oco', take_profit: { limit_price: '180' }, stop_loss: { stop_price: '160' } }))[2]).toContain('side must be sell');
    expect(refusal(() => parseOrderBody({ ...base, order_class: 'bracket', take_profit: { limit_price: '150' }, stop_loss: { stop_price: '160' } }))[2]).toBe('take_profit.limit_price 150 must be above stop_loss.stop_price 160');
    expect(refusal(() => parseOrderBody({ ...base, order_class: 'bracket', time_in_force: 'ioc', take_profit: { limit_price: '180' }, stop_loss: { stop_price: '160' } }))[2]).toBe('bracket orders take time_in_force day or gtc');
    expect(refusal(() => parseOrderBody({ ...base, take_profit: { limit_price: '180' } }))[2]).toBe('take_profit and stop_loss need order_class bracket, oto or oco');
  });

  it('applies Alpaca’s price increments: cents from $1, hundredths of a cent below (422, 42210000)', () => {
    expect(() => checkTick('limit_price', 150.25)).not.toThrow();
    expect(() => checkTick('limit_price', 0.1234)).not.toThrow();
    expect(refusal(() => checkTick('stop_price', 1.005))).toEqual([422, 42210000, 'invalid stop_price 1.005. sub-penny increment does not fulfill minimum pricing criteria']);
    expect(refusal(() => checkTick('limit_price', 0.12345))[1]).toBe(42210000);
  });
});
