import { afterEach, describe, expect, it } from 'vitest';
import { SimClock } from '../../src/core/SimClock.js';
import { KEY, SECRET, startEmulator, until, type TestEmulator } from './harness.js';
import { admin, RawDataClient } from './wsClient.js';

const MINUTE = 60_000;

/** A data-stream client (JSON) that authenticated and subscribed to AAPL's bars. */
async function subscribe(t: TestEmulator): Promise<RawDataClient> {
  const c = new RawDataClient(`${t.urls.dataStreamUrl}/v2/iex`, { json: true });
  await c.opened;
  c.send({ action: 'auth', key: KEY, secret: SECRET }, true);
  await until(() => c.of('success').some((m) => m['msg'] === 'authenticated'), 5000, 'authenticated');
  c.send({ action: 'subscribe', bars: ['AAPL'] }, true);
  await until(() => c.of('subscription').length === 1, 5000, 'subscription');
  return c;
}

describe('emulator --start-when-connected', () => {
  let t: TestEmulator | null = null;
  let client: RawDataClient | null = null;
  afterEach(async () => {
    client?.close();
    await t?.stop();
    t = null;
    client = null;
  });

  it('holds the market clock until a client subscribes to the data stream, then runs it from where it was', async () => {
    const wall = new SimClock(0);
    t = await startEmulator({ paused: false, startWhenConnected: true, speed: 60, wall });
    expect(t.emulator.status()).toMatchObject({ market_time: '2019-02-11T09:29:00-05:00', paused: true, waiting_for_client: true });
    // An hour of market time at 60× would pass in a wall minute; held, none does.
    wall.advanceTo(MINUTE);
    expect(t.emulator.status()).toMatchObject({ market_time: '2019-02-11T09:29:00-05:00', paused: true, waiting_for_client: true });

    client = await subscribe(t);
    expect(t.emulator.status()).toMatchObject({ market_time: '2019-02-11T09:29:00-05:00', paused: false, waiting_for_client: false });
    wall.advanceTo(2 * MINUTE);
    expect(t.emulator.status()).toMatchObject({ market_time: '2019-02-11T10:29:00-05:00', is_open: true, paused: false });
  });

  it('a clock set by hand (admin) ends the hold: a later subscription does not resume a paused clock', async () => {
    const wall = new SimClock(0);
    t = await startEmulator({ paused: false, startWhenConnected: true, speed: 60, wall });
    expect((await admin(t.urls.adminUrl, '/clock', { action: 'resume' })).status).toBe(200);
    expect((await admin(t.urls.adminUrl, '/clock', { action: 'pause' })).status).toBe(200);
    expect(t.emulator.status()).toMatchObject({ paused: true, waiting_for_client: false });
    client = await subscribe(t);
    wall.advanceTo(MINUTE);
    expect(t.emulator.status()).toMatchObject({ market_time: '2019-02-11T09:29:00-05:00', paused: true, waiting_for_client: false });
  });

  it('--paused wins over it: the clock waits for a resume by hand', async () => {
    t = await startEmulator({ paused: true, startWhenConnected: true, wall: new SimClock(0) });
    expect(t.emulator.status()).toMatchObject({ paused: true, waiting_for_client: false });
    client = await subscribe(t);
    expect(t.emulator.status()).toMatchObject({ paused: true, waiting_for_client: false });
  });
});
