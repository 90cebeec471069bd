import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlpacaContract } from './alpacaContract.js';
import { KEY, OPEN_0211, SECRET, startEmulator, type TestEmulator } from './harness.js';

/**
 * Every endpoint the emulator serves, successes and Alpaca's errors, checked against the official
 * OpenAPI specs (vendor/alpaca-openapi). The spec leaves some statuses without a schema: those are
 * listed here, exactly, and their bodies are checked against the spec's Error{code, message}.
 */
describe('REST responses match the official OpenAPI specs', () => {
  let t: TestEmulator;
  const call = async (method: string, path: string, body?: unknown, keys = true): Promise<number> => {
    const res = await fetch(`${t.urls.baseUrl}${path}`, {
      method,
      headers: { ...(keys ? { 'APCA-API-KEY-ID': KEY, 'APCA-API-SECRET-KEY': SECRET } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    await res.arrayBuffer();
    return res.status;
  };

  beforeAll(async () => {
    t = await startEmulator({ start: OPEN_0211 + 40_000, partialFillRate: 0, rateLimit: 60 });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers every endpoint with a body the spec accepts', async () => {
    const statuses: Array<[string, number]> = [];
    const run = async (method: string, path: string, body?: unknown, keys = true): Promise<void> => {
      statuses.push([`${method} ${path.split('?')[0]}`, await call(method, path, body, keys)]);
    };
    await run('GET', '/v2/account');
    await run('GET', '/v2/clock');
    await run('GET', '/v2/calendar?start=2019-02-11&end=2019-03-01');
    await run('GET', '/v2/assets');
    await run('GET', '/v2/assets/AAPL');
    await run('POST', '/v2/orders', { symbol: 'AAPL', qty: '5', side: 'buy', type: 'market', time_in_force: 'day', client_order_id: 'c-1' });
    await run('POST', '/v2/orders', { symbol: 'SPY', qty: '1', side: 'buy', type: 'limit', limit_price: '250', time_in_force: 'gtc', client_order_id: 'c-2' });
    await run('POST', '/v2/orders', { symbol: 'SPY', qty: '1', side: 'buy', type: 'stop', stop_price: '290', time_in_force: 'day' });
    // Brackets and OTOs: the answer carries the exits under `legs` (held until the entry fills; active once it has).
    const bracket = { order_class: 'bracket', take_profit: { limit_price: '180' }, stop_loss: { stop_price: '160' } };
    await run('POST', '/v2/orders', { symbol: 'SPY', qty: '1', side: 'buy', type: 'limit', limit_price: '250', time_in_force: 'gtc', client_order_id: 'c-b', order_class: 'bracket', take_profit: { limit_price: '260' }, stop_loss: { stop_price: '240' } });
    await run('POST', '/v2/orders', { symbol: 'AAPL', qty: '1', side: 'buy', type: 'market', time_in_force: 'day', client_order_id: 'c-b2', ...bracket });
    await run('POST', '/v2/orders', { symbol: 'AAPL', qty: '1', side: 'buy', type: 'market', time_in_force: 'day', order_class: 'oto', stop_loss: { stop_price: '160' } });
    await new Promise((r) => setTimeout(r, 50));
    await run('GET', '/v2/orders?status=all&limit=20');
    await run('GET', '/v2/orders?status=all&limit=20&nested=true');
    await run('GET', '/v2/orders?status=closed&nested=true');
    await run('GET', '/v2/orders:by_client_order_id?client_order_id=c-2');
    await run('GET', '/v2/orders:by_client_order_id?client_order_id=c-b');
    const bracketId = t.emulator.venue.orderByClientId('c-b2')!.order.id;
    await run('GET', `/v2/orders/${bracketId}?nested=true`);
    const legStatuses = ['c-b', 'c-b2'].map((cid) => t.emulator.venue.orderByClientId(cid)!.legs.map((l) => t.emulator.venue.order(l)!.status));
    const id = t.emulator.venue.orderByClientId('c-2')!.order.id;
    await run('GET', `/v2/orders/${id}`);
    await run('PATCH', `/v2/orders/${id}`, { limit_price: '251' });
    await run('GET', '/v2/positions');
    await run('GET', '/v2/positions/AAPL');
    await run('DELETE', '/v2/positions/AAPL?percentage=40');
    await new Promise((r) => setTimeout(r, 50));
    await run('DELETE', '/v2/orders');
    await run('DELETE', '/v2/positions?cancel_orders=true');
    await run('GET', '/v2/stocks/bars?symbols=AAPL,SPY&timeframe=1Min&start=2019-02-11&limit=1');
    await run('GET', '/v2/stocks/AAPL/bars?timeframe=15Min&start=2019-02-01&limit=5');
    await run('GET', '/v2/stocks/bars/latest?symbols=AAPL,SPY');
    await run('GET', '/v2/stocks/trades/latest?symbols=AAPL');
    await run('GET', '/v2/stocks/quotes/latest?symbols=AAPL');
    await run('GET', '/v2/stocks/AAPL/trades/latest');
    await run('GET', '/v2/stocks/AAPL/quotes/latest');
    // Alpaca's errors.
    await run('GET', '/v2/account', undefined, false);
    await run('POST', '/v2/orders', { symbol: 'AAPL', qty: '100000', side: 'buy', type: 'market', time_in_force: 'day' });
    await run('POST', '/v2/orders', { symbol: 'AAPL', qty: '1', side: 'buy', type: 'limit', limit_price: '1.001', time_in_force: 'day' });
    await run('DELETE', `/v2/orders/${id}`);
    await run('GET', '/v2/positions/TSLA');
    await run('GET', '/v2/assets/TSLA');
    await run('GET', '/v2/stocks/AAPL/bars?timeframe=7Day');
    expect(statuses).toEqual([
      ['GET /v2/account', 200],
      ['GET /v2/clock', 200],
      ['GET /v2/calendar', 200],
      ['GET /v2/assets', 200],
      ['GET /v2/assets/AAPL', 200],
      ['POST /v2/orders', 200],
      ['POST /v2/orders', 200],
      ['POST /v2/orders', 200],
      ['POST /v2/orders', 200],
      ['POST /v2/orders', 200],
      ['POST /v2/orders', 200],
      ['GET /v2/orders', 200],
      ['GET /v2/orders', 200],
      ['GET /v2/orders', 200],
      ['GET /v2/orders:by_client_order_id', 200],
      ['GET /v2/orders:by_client_order_id', 200],
      [`GET /v2/orders/${bracketId}`, 200],
      [`GET /v2/orders/${id}`, 200],
      [`PATCH /v2/orders/${id}`, 200],
      ['GET /v2/positions', 200],
      ['GET /v2/positions/AAPL', 200],
      ['DELETE /v2/positions/AAPL', 200],
      ['DELETE /v2/orders', 207],
      ['DELETE /v2/positions', 207],
      ['GET /v2/stocks/bars', 200],
      ['GET /v2/stocks/AAPL/bars', 200],
      ['GET /v2/stocks/bars/latest', 200],
      ['GET /v2/stocks/trades/latest', 200],
      ['GET /v2/stocks/quotes/latest', 200],
      ['GET /v2/stocks/AAPL/trades/latest', 200],
      ['GET /v2/stocks/AAPL/quotes/latest', 200],
      ['GET /v2/account', 401],
      ['POST /v2/orders', 403],
      ['POST /v2/orders', 422],
      [`DELETE /v2/orders/${id}`, 422],
      ['GET /v2/positions/TSLA', 404],
      ['GET /v2/assets/TSLA', 404],
      ['GET /v2/stocks/AAPL/bars', 400],
    ]);
    expect(t.contract.failures).toEqual([]);
    expect(t.contract.checked).toBe(statuses.length);
    // The bracket answers carried legs, held and active (so the spec checked both).
    expect(legStatuses).toEqual([
      ['held', 'held'],
      ['new', 'new'],
    ]);
    // What the spec leaves unmodelled (bodies checked against its Error{code, message} instead).
    expect([...t.contract.missing].sort()).toEqual([
      'DELETE /v2/orders/{order_id} 422: no schema for this status',
      'GET /v2/account 401: status not in the spec',
      'GET /v2/assets/{symbol_or_asset_id} 404: no schema for this status',
      'GET /v2/positions/{symbol_or_asset_id} 404: status not in the spec',
      'GET /v2/stocks/{symbol}/bars 400: no schema for this status',
      'POST /v2/orders 403: no schema for this status',
      'POST /v2/orders 422: no schema for this status',
    ]);
  });
});

describe('the contract checker', () => {
  it('catches a body that breaks the spec', () => {
    const c = new AlpacaContract();
    c.check({ method: 'GET', path: '/v2/clock', status: 200, body: { timestamp: 'yesterday', is_open: 'yes', next_open: '2019-02-11T09:30:00-05:00', next_close: '2019-02-11T16:00:00-05:00' } });
    c.check({ method: 'GET', path: '/v2/stocks/bars', status: 200, body: { bars: { AAPL: [{ t: '2019-02-11T14:30:00Z', o: '1' }] } } });
    c.check({ method: 'GET', path: '/v2/orders/abc', status: 404, body: { message: 'order not found' } });
    expect(c.failures).toHaveLength(3);
    expect(c.failures[0]).toContain('/timestamp must match format "date-time"');
    expect(c.failures[0]).toContain('/is_open must be boolean');
    expect(c.failures[1]).toContain("must have required property 'next_page_token'");
    expect(c.failures[2]).toContain("must have required property 'code'");
  });
});

describe('the newer endpoints and order kinds match the official OpenAPI specs', () => {
  let t: TestEmulator;
  const call = async (method: string, path: string, body?: unknown): Promise<[string, number, unknown]> => {
    const res = await fetch(`${t.urls.baseUrl}${path}`, {
      method,
      headers: { 'APCA-API-KEY-ID': KEY, 'APCA-API-SECRET-KEY': SECRET, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return [`${method} ${path.split('?')[0]!.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}')}`, res.status, text === '' ? undefined : JSON.parse(text)];
  };

  beforeAll(async () => {
    t = await startEmulator({ start: OPEN_0211 + 40_000, partialFillRate: 0.5, extendedHours: 'synthetic' });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers every new endpoint, and orders of every kind, with bodies the spec accepts', async () => {
    const statuses: Array<[string, number]> = [];
    const run = async (method: string, path: string, body?: unknown): Promise<unknown> => {
      const [what, status, answer] = await call(method, path, body);
      statuses.push([what, status]);
      return answer;
    };
    const order = (body: Record<string, unknown>): Promise<unknown> => run('POST', '/v2/orders', { symbol: 'AAPL', side: 'buy', time_in_force: 'day', ...body });
    await order({ qty: '10', type: 'market' });
    await order({ qty: '1', type: 'stop_limit', stop_price: '172', limit_price: '172.5' });
    await order({ notional: '500', type: 'market' });
    await order({ qty: '0.5', type: 'limit', limit_price: '170' });
    await order({ qty: '1', type: 'limit', limit_price: '170', time_in_force: 'ioc' });
    await order({ qty: '1', type: 'market', time_in_force: 'fok' });
    await order({ qty: '1', type: 'market', time_in_force: 'cls' });
    await order({ qty: '1', type: 'limit', limit_price: '160', extended_hours: true });
    await order({ qty: '1', type: 'market', order_class: 'bracket', take_profit: { limit_price: '180' }, stop_loss: { stop_price: '160', limit_price: '159' } });
    await new Promise((r) => setTimeout(r, 50));
    const oco = (await order({ side: 'sell', qty: '5', type: 'limit', order_class: 'oco', take_profit: { limit_price: '180' }, stop_loss: { stop_price: '165' } })) as { id: string };
    await run('PATCH', `/v2/orders/${oco.id}`, { limit_price: '181' });
    t.emulator.step(5 * 60_000);
    await new Promise((r) => setTimeout(r, 50));
    await run('GET', '/v2/orders?status=all&limit=50&nested=true');
    await run('GET', '/v2/orders?status=all&limit=50');
    await run('GET', '/v2/account/activities');
    await run('GET', '/v2/account/activities?page_size=1&direction=asc');
    await run('GET', '/v2/account/activities/FILL');
    await run('GET', '/v2/account/portfolio/history');
    await run('GET', '/v2/account/portfolio/history?period=1D&timeframe=1Min&intraday_reporting=extended_hours');
    await run('GET', '/v2/account/portfolio/history?period=1W&timeframe=1D&cashflow_types=ALL');
    await run('GET', '/v2/account/configurations');
    await run('PATCH', '/v2/account/configurations', { trade_confirm_email: 'none' });
    const w = (await run('POST', '/v2/watchlists', { name: 'Tech', symbols: ['AAPL'] })) as { id: string };
    await run('GET', '/v2/watchlists');
    await run('GET', `/v2/watchlists/${w.id}`);
    await run('POST', `/v2/watchlists/${w.id}`, { symbol: 'SPY' });
    await run('PUT', `/v2/watchlists/${w.id}`, { name: 'Core', symbols: ['SPY'] });
    await run('DELETE', `/v2/watchlists/${w.id}/SPY`);
    await run('GET', '/v2/watchlists:by_name?name=Core');
    await run('POST', '/v2/watchlists:by_name?name=Core', { symbol: 'AAPL' });
    await run('PUT', '/v2/watchlists:by_name?name=Core', { name: 'Core2' });
    await run('DELETE', '/v2/watchlists:by_name?name=Core2');
    const w2 = (await run('POST', '/v2/watchlists', { name: 'Gone' })) as { id: string };
    await run('DELETE', `/v2/watchlists/${w2.id}`);
    await run('GET', '/v2/stocks/AAPL/bars/latest');
    await run('GET', '/v2/stocks/AAPL/snapshot');
    await run('GET', '/v2/stocks/snapshots?symbols=AAPL,SPY');
    await run('GET', '/v2/stocks/AAPL/trades?start=2019-02-11T14:30:00Z&limit=5');
    await run('GET', '/v2/stocks/trades?symbols=AAPL,SPY&start=2019-02-11T14:30:00Z&limit=5');
    await run('GET', '/v2/stocks/AAPL/quotes?start=2019-02-11T14:30:00Z&limit=5');
    await run('GET', '/v2/stocks/quotes?symbols=AAPL,SPY&start=2019-02-11T14:30:00Z&limit=5');
    await run('GET', '/v2/stocks/AAPL/bars?timeframe=1Week&start=2019-01-01');
    await run('GET', '/v2/stocks/bars?symbols=AAPL,SPY&timeframe=1Hour&start=2019-02-11');
    // Alpaca's errors.
    await run('GET', '/v2/account/activities/NOPE');
    await run('PATCH', '/v2/account/configurations', { no_shorting: false });
    await run('GET', `/v2/watchlists/${w.id}`);
    await run('GET', '/v2/stocks/NOPE/snapshot');
    await order({ qty: '1', type: 'limit', limit_price: '170', time_in_force: 'opg' });
    const s = (what: string, status = 200): [string, number] => [what, status];
    expect(statuses).toEqual([
      ...Array.from({ length: 10 }, () => s('POST /v2/orders')),
      s('PATCH /v2/orders/{id}'),
      s('GET /v2/orders'),
      s('GET /v2/orders'),
      s('GET /v2/account/activities'),
      s('GET /v2/account/activities'),
      s('GET /v2/account/activities/FILL'),
      s('GET /v2/account/portfolio/history'),
      s('GET /v2/account/portfolio/history'),
      s('GET /v2/account/portfolio/history'),
      s('GET /v2/account/configurations'),
      s('PATCH /v2/account/configurations'),
      s('POST /v2/watchlists'),
      s('GET /v2/watchlists'),
      s('GET /v2/watchlists/{id}'),
      s('POST /v2/watchlists/{id}'),
      s('PUT /v2/watchlists/{id}'),
      s('DELETE /v2/watchlists/{id}/SPY'),
      s('GET /v2/watchlists:by_name'),
      s('POST /v2/watchlists:by_name'),
      s('PUT /v2/watchlists:by_name'),
      s('DELETE /v2/watchlists:by_name', 204),
      s('POST /v2/watchlists'),
      s('DELETE /v2/watchlists/{id}', 204),
      s('GET /v2/stocks/AAPL/bars/latest'),
      s('GET /v2/stocks/AAPL/snapshot'),
      s('GET /v2/stocks/snapshots'),
      s('GET /v2/stocks/AAPL/trades'),
      s('GET /v2/stocks/trades'),
      s('GET /v2/stocks/AAPL/quotes'),
      s('GET /v2/stocks/quotes'),
      s('GET /v2/stocks/AAPL/bars'),
      s('GET /v2/stocks/bars'),
      s('GET /v2/account/activities/NOPE', 422),
      s('PATCH /v2/account/configurations', 422),
      s('GET /v2/watchlists/{id}', 404),
      s('GET /v2/stocks/NOPE/snapshot', 404),
      s('POST /v2/orders', 422),
    ]);
    expect(t.contract.failures).toEqual([]);
    expect(t.contract.checked).toBe(statuses.length);
    // What the spec leaves unmodelled (error bodies checked against its Error{code, message}), and its one defect.
    expect([...t.contract.missing].sort()).toEqual([
      'GET /v2/account/activities/{activity_type} 200: spec defect, oneOf of overlapping schemas read as anyOf',
      'GET /v2/account/activities/{activity_type} 422: status not in the spec',
      'GET /v2/stocks/{symbol}/snapshot 404: status not in the spec',
      'GET /v2/watchlists/{watchlist_id} 404: status not in the spec',
      'PATCH /v2/account/configurations 422: status not in the spec',
      'POST /v2/orders 422: no schema for this status',
    ]);
  });
});
