import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/loadConfig.js';
import { LiveClock } from '../../src/core/LiveClock.js';
import { PaperTradingEngine } from '../../src/engine/PaperTradingEngine.js';
import { AlpacaStore } from '../../src/engine/venues/AlpacaStore.js';
import { strategyParamSchemas } from '../../src/strategies/builtInStrategies.js';
import { root, scratchDir, writeConfig } from '../e2e/cli.js';
import { KEY, SECRET, startEmulator, until, type TestEmulator } from '../emulator/harness.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface StateFile {
  strategies: Record<string, { ledger: { positions: Array<{ symbol: string; qty: number }> } }>;
}

/** The engine in this process against an emulator whose market moves only when the test steps it. */
describe('AlpacaTradingEngine stopping', () => {
  let t: TestEmulator;
  afterEach(async () => {
    await t.stop();
  });

  it('a fill heard while stopping, before the broker stops, is booked: a restart finds every share explained', async () => {
    // Every match fills only part of an order (while two shares or more remain): orders stay open between steps.
    t = await startEmulator({ dataDir: join(root, 'data', 'eqker'), start: Date.parse('2019-02-12T14:55:00Z'), paused: true, partialFillRate: 1 });
    const dir = scratchDir();
    const config = loadConfig(writeConfig(dir), { strategyParams: strategyParamSchemas() });
    const env = { keyId: KEY, secretKey: SECRET, baseUrl: t.urls.baseUrl, dataUrl: t.urls.dataUrl, dataStreamUrl: t.urls.dataStreamUrl, feed: 'iex' as const, live: false };
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
    const engine = (restore: boolean): PaperTradingEngine => {
      const wallClock = new LiveClock();
      return new PaperTradingEngine({ config, venue: new AlpacaStore({ config, env, wallClock, logger }), logger, wallClock, restore, telegram: null });
    };

    const first = engine(false);
    await first.start();
    // Minute by minute until an order of the daemon is partly filled and still open at the venue.
    const open = (): boolean => t.emulator.venue.orders().some((r) => r.status === 'partially_filled');
    for (let i = 0; i < 400 && !open(); i++) {
      t.emulator.step(60_000);
      await sleep(40);
    }
    expect(open()).toBe(true);
    await sleep(300); // the daemon hears that partial fill

    // The account asked for while stopping answers late; meanwhile the market moves and fills more.
    t.emulator.faults.apply({ type: 'latency', api: 'trading', ms: 3_000 });
    const stopped = first.stop('test');
    await until(() => lines.some((l) => l['msg'] === 'stopping'), 5_000, 'the stop');
    await sleep(200);
    t.emulator.step(60_000);
    await stopped;
    t.emulator.faults.clear();

    // The market stays still: the restart books what filled after the last state file, then reconciles.
    lines.length = 0;
    const second = engine(true);
    await second.start();
    await second.stop('test');
    expect(lines.filter((l) => typeof l['level'] === 'number' && l['level'] >= 50).map((l) => l['msg'])).toEqual([]);
    expect(lines.map((l) => l['msg'])).toContain('books reconciled with the broker: every position and open order is explained');
    const state = JSON.parse(readFileSync(join(dir, 'state', 'latest_state.json'), 'utf8')) as StateFile;
    const books = new Map<string, number>();
    for (const s of Object.values(state.strategies)) for (const p of s.ledger.positions) books.set(p.symbol, (books.get(p.symbol) ?? 0) + p.qty);
    const venue = Object.fromEntries(t.emulator.venue.positions().map((p) => [p.symbol, p.qty]));
    expect(Object.fromEntries([...books].filter(([, q]) => q !== 0))).toEqual(venue);
  }, 120_000);
});
