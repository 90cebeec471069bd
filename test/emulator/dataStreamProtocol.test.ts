import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEY, SECRET, startEmulator, until, type TestEmulator } from './harness.js';
import { RawDataClient } from './wsClient.js';

const MINUTE = 60_000;

describe('market-data stream protocol', () => {
  let t: TestEmulator;
  const clients: RawDataClient[] = [];
  const connect = async (o: { json?: boolean; headers?: Record<string, string>; feed?: string } = {}): Promise<RawDataClient> => {
    const c = new RawDataClient(`${t.urls.dataStreamUrl}/v2/${o.feed ?? 'iex'}`, o);
    clients.push(c);
    await c.opened;
    await until(() => c.of('success').length >= 1, 2000, 'connected');
    return c;
  };
  const authed = async (o: { json?: boolean } = {}): Promise<RawDataClient> => {
    const c = await connect(o);
    c.send({ action: 'auth', key: KEY, secret: SECRET }, o.json);
    await until(() => c.messages.some((m) => m['msg'] === 'authenticated'), 2000, 'authenticated');
    return c;
  };

  beforeEach(async () => {
    t = await startEmulator({ authTimeoutSeconds: 0.3, symbolLimit: 3 });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await t.stop();
  });

  it('says connected, then authenticated; subscriptions add up and are answered with the whole set', async () => {
    const c = await authed();
    expect(c.messages.slice(0, 2)).toEqual([
      { T: 'success', msg: 'connected' },
      { T: 'success', msg: 'authenticated' },
    ]);
    c.send({ action: 'subscribe', bars: ['AAPL'], quotes: ['SPY'] });
    c.send({ action: 'subscribe', bars: ['SPY', 'AAPL'] });
    c.send({ action: 'unsubscribe', quotes: ['SPY'] });
    await until(() => c.of('subscription').length === 3, 2000, 'three answers');
    const [first, second, third] = c.of('subscription');
    expect(first).toMatchObject({ bars: ['AAPL'], quotes: ['SPY'], trades: [] });
    expect(second).toMatchObject({ bars: ['AAPL', 'SPY'], quotes: ['SPY'] });
    expect(third).toEqual({ T: 'subscription', trades: [], quotes: [], bars: ['AAPL', 'SPY'], updatedBars: [], dailyBars: [], statuses: [], lulds: [], corrections: [], cancelErrors: [] });
  });

  it('speaks JSON text frames when the upgrade asks for application/json, with RFC-3339 times', async () => {
    const c = await authed({ json: true });
    c.send({ action: 'subscribe', bars: ['SPY'], dailyBars: ['SPY'], trades: ['SPY'] }, true);
    await until(() => c.of('subscription').length === 1, 2000, 'subscription');
    t.emulator.step(2 * MINUTE);
    await until(() => c.of('b').length === 1 && c.of('d').length === 1, 2000, 'bar and daily bar');
    expect(c.of('b')[0]).toEqual({ T: 'b', S: 'SPY', o: 271.19, h: 271.34, l: 271.07, c: 271.34, v: 1488804, t: '2019-02-11T14:30:00.000Z', n: 24, vw: 271.2625 });
    // The day's bar so far, stamped at New York midnight.
    expect(c.of('d')[0]).toMatchObject({ T: 'd', S: 'SPY', o: 271.19, c: 271.34, t: '2019-02-11T05:00:00.000Z' });
    // The minute's prints: as many as the bar counts, its volume in all, from the open to the close.
    const prints = c.of('t').filter((x) => (x['t'] as string) < '2019-02-11T14:31:00');
    expect([prints.length, prints.reduce((s, x) => s + (x['s'] as number), 0), prints[0]!['p'], prints.at(-1)!['p']]).toEqual([24, 1488804, 271.19, 271.34]);
  });

  it('authenticates from the upgrade headers', async () => {
    const c = await connect({ headers: { 'APCA-API-KEY-ID': KEY, 'APCA-API-SECRET-KEY': SECRET } });
    await until(() => c.messages.some((m) => m['msg'] === 'authenticated'), 2000, 'authenticated');
  });

  it('refuses a second connection of the same key with 406, and a bad key with 402 (then closes)', async () => {
    await authed();
    const second = await connect();
    second.send({ action: 'auth', key: KEY, secret: SECRET });
    await until(() => second.closed, 2000, 'second closed');
    expect(second.of('error')).toEqual([{ T: 'error', code: 406, msg: 'connection limit exceeded' }]);
    const bad = await connect({ feed: 'sip' });
    bad.send({ action: 'auth', key: KEY, secret: 'wrong' });
    await until(() => bad.closed, 2000, 'bad closed');
    expect(bad.of('error')).toEqual([{ T: 'error', code: 402, msg: 'auth failed' }]);
  });

  it('closes a connection that does not authenticate in time with 404', async () => {
    const c = await connect();
    await until(() => c.closed, 3000, 'auth timeout');
    expect(c.of('error')).toEqual([{ T: 'error', code: 404, msg: 'auth timeout' }]);
  });

  it('answers 401 before auth, 403 on a second auth, 400 on bad syntax, 405 over the symbol limit', async () => {
    const early = await connect();
    early.send({ action: 'subscribe', bars: ['AAPL'] });
    await until(() => early.of('error').length === 1, 2000, '401');
    expect(early.of('error')[0]).toMatchObject({ code: 401, msg: 'not authenticated' });
    early.close();
    await until(() => early.closed, 2000, 'closed');
    const c = await authed();
    c.send({ action: 'auth', key: KEY, secret: SECRET });
    c.send({ action: 'subscribe', bars: 'AAPL' });
    c.send({ action: 'subscribe', trades: ['AAPL', 'SPY'], quotes: ['MSFT', 'TSLA'] });
    await until(() => c.of('error').length === 3, 2000, 'three errors');
    expect(c.of('error').map((e) => e['code'])).toEqual([403, 400, 405]);
    // A refused subscription leaves the set as it was.
    c.send({ action: 'subscribe', trades: ['AAPL'] });
    await until(() => c.of('subscription').length === 1, 2000, 'subscription');
    expect(c.of('subscription')[0]).toMatchObject({ trades: ['AAPL'], quotes: [] });
  });

  it('has no stream at an unknown feed', async () => {
    const c = new RawDataClient(`${t.urls.dataStreamUrl}/v2/crypto`);
    const status = await new Promise<number>((resolve) => c.ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(404);
  });
});
