import { errors } from '@alpacahq/alpaca-trade-api';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { alpacaEndpoints } from '../../../src/broker/alpaca/alpacaClient.js';
import { checkAlpacaAccount } from '../../../src/broker/alpaca/checkAlpacaAccount.js';
import { READ_ATTEMPTS, readPatiently, type Patience } from '../../../src/broker/alpaca/readPatiently.js';
import { KEY, OPEN_0211, SECRET, startEmulator, type TestEmulator } from '../../emulator/harness.js';
import { admin } from '../../emulator/wsClient.js';

/** Reads through the official SDK against the emulator; waits are recorded, not slept. */
describe('readPatiently: a read waits out 429s, 5xx and cut connections, a 4xx is thrown at once', () => {
  let t: TestEmulator;
  afterEach(async () => {
    await t.stop();
  });
  const open = async () => {
    t = await startEmulator({ start: OPEN_0211 + 20_000, partialFillRate: 0 });
    const env = { keyId: KEY, secretKey: SECRET, baseUrl: t.urls.baseUrl, dataUrl: t.urls.dataUrl, dataStreamUrl: t.urls.dataStreamUrl, feed: 'iex' as const, live: false };
    const waits: number[] = [];
    const holds: number[] = [];
    const patience: Patience = { sleep: async (ms) => void waits.push(ms), log: pino({ level: 'silent' }), onRateLimit: (ms) => void holds.push(ms) };
    return { client: alpacaEndpoints(env).client, env, waits, holds, patience };
  };

  it('answers after two 429s, having held the budget until each reset', async () => {
    const { client, waits, holds, patience } = await open();
    await admin(t.urls.adminUrl, '/faults', { type: 'http_errors', api: 'trading', status: 429, count: 2 });
    const clock = await readPatiently(() => client.trading.clock.legacyClock(), patience);
    expect(clock.timestamp.getTime()).toBeGreaterThan(0);
    expect(holds).toHaveLength(2);
    expect(waits).toHaveLength(2);
    // Never before the reset Alpaca named, nor before the back-off.
    expect(waits.every((w, i) => w >= holds[i]! && w >= 500 * 2 ** i)).toBe(true);
  });

  it('answers after 5xx answers with a growing back-off; gives up with the last error after READ_ATTEMPTS tries', async () => {
    const { client, waits, patience } = await open();
    await admin(t.urls.adminUrl, '/faults', { type: 'http_errors', api: 'trading', status: 503, count: 3 });
    expect((await readPatiently(() => client.trading.account.getAccount(), patience)).status).toBe('ACTIVE');
    expect(waits).toEqual([500, 1000, 2000]);
    waits.length = 0;
    await admin(t.urls.adminUrl, '/faults', { type: 'http_errors', api: 'trading', status: 503, count: READ_ATTEMPTS + 2 });
    await expect(readPatiently(() => client.trading.account.getAccount(), patience)).rejects.toBeInstanceOf(errors.ApiError);
    expect(waits).toHaveLength(READ_ATTEMPTS - 1);
  });

  it('throws a 4xx at once (asking again would get the same answer)', async () => {
    const { client, waits, patience } = await open();
    await expect(readPatiently(() => client.trading.orders.getOrderByOrderID({ orderId: '00000000-0000-0000-0000-000000000000' }), patience)).rejects.toMatchObject({ status: 404 });
    expect(waits).toEqual([]);
  });

  it("the start's account check waits out a 429 with patience, and `npm run check`'s (no patience) says so at once", async () => {
    const { client, env, patience } = await open();
    await admin(t.urls.adminUrl, '/faults', { type: 'http_errors', api: 'trading', status: 429, count: 1 });
    expect((await checkAlpacaAccount(client, env, patience)).status).toBe('ACTIVE');
    await admin(t.urls.adminUrl, '/faults', { type: 'http_errors', api: 'trading', status: 429, count: 1 });
    await expect(checkAlpacaAccount(client, env)).rejects.toThrow(/answered 429 to GET \/v2\/account/);
  });
});
