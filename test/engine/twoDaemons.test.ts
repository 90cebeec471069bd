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
import { KEY, SECRET, startEmulator, type TestEmulator } from '../emulator/harness.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface StateFile {
  strategies: Record<string, { capital: number; ledger: { cash: number; positions: Array<{ symbol: string; qty: number }> } }>;
}

/** Two daemons with their own state directories on one Alpaca account (the emulator, its market stepped by the test). */
describe('only our own orders are ours', () => {
  let t: TestEmulator;
  afterEach(async () => {
    await t.stop();
  });

  it('a daemon never books another daemon’s orders (same strategy names, another run): it names that run and its entries wait', async () => {
    t = await startEmulator({ dataDir: join(root, 'data', 'eqker'), start: Date.parse('2019-02-12T14:55:00Z'), paused: true, partialFillRate: 0 });
    const env = { keyId: KEY, secretKey: SECRET, baseUrl: t.urls.baseUrl, dataUrl: t.urls.dataUrl, dataStreamUrl: t.urls.dataStreamUrl, feed: 'iex' as const, live: false };
    const daemon = (dir: string, lines: Array<Record<string, unknown>>): PaperTradingEngine => {
      const config = loadConfig(writeConfig(dir), { strategyParams: strategyParamSchemas() });
      const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
      const wallClock = new LiveClock();
      return new PaperTradingEngine({ config, venue: new AlpacaStore({ config, env, wallClock, logger }), logger, wallClock, restore: false, telegram: null });
    };
    const aLines: Array<Record<string, unknown>> = [];
    const a = daemon(scratchDir(), aLines);
    await a.start();
    for (let i = 0; i < 240 && t.emulator.venue.positions().length === 0; i++) {
      t.emulator.step(60_000);
      await sleep(30);
    }
    await sleep(300);
    expect(t.emulator.venue.positions().length).toBeGreaterThan(0);
    // A program that copies the id format, with a strategy name of ours: not a's either.
    t.emulator.venue.submit({ symbol: 'JPM', qty: 3, side: 'buy', type: 'market', timeInForce: 'day', clientOrderId: 'rsi_banks-zzzz-1', extendedHours: false });
    t.emulator.venue.matchNow('JPM');
    await sleep(300);
    expect(aLines.some((l) => l['component'] === 'trades' && l['clientOrderId'] === 'rsi_banks-zzzz-1')).toBe(false);
    await a.stop('test');

    const bDir = scratchDir();
    const bLines: Array<Record<string, unknown>> = [];
    const b = daemon(bDir, bLines);
    await b.start();
    await b.stop('test');
    const b0 = JSON.parse(readFileSync(join(bDir, 'state', 'latest_state.json'), 'utf8')) as StateFile;
    for (const s of Object.values(b0.strategies)) expect([s.ledger.cash, s.ledger.positions]).toEqual([s.capital, []]);
    expect(bLines.some((l) => l['component'] === 'trades')).toBe(false);
    const waiting = bLines.find((l) => typeof l['msg'] === 'string' && (l['msg'] as string).startsWith('entries wait:'));
    expect(waiting?.['msg']).toMatch(new RegExp(`order\\(s\\) of the last day name strategies of this configuration but run ${a.runId} \\(started [0-9T:.-]+Z\\), which this state directory never made`));
    expect(waiting?.['msg']).toMatch(/run zzzz \(started at an unknown time\)/);
  }, 120_000);
});
