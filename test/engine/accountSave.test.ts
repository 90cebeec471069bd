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

const MINUTE = 60_000;

interface Saved {
  readonly timestamp: string;
  readonly account: { readonly value: number; readonly cash: number };
  readonly engine: { readonly fills: Record<string, number> };
}

describe('the state file’s account after a fill', () => {
  let t: TestEmulator | null = null;
  afterEach(async () => {
    await t?.stop();
    t = null;
  });

  it('is the broker’s account once it was asked again, without waiting for the next timed save', async () => {
    t = await startEmulator({ dataDir: join(root, 'data', 'eqker'), start: Date.parse('2019-02-12T14:45:00Z'), paused: true, partialFillRate: 0 });
    const emulator = t;
    const dir = scratchDir();
    // A timed save far away: only the saves after a fill and after the account's refresh count.
    const config = loadConfig(writeConfig(dir, (c) => void (c.state['snapshot_interval_s'] = 86_400)), { strategyParams: strategyParamSchemas() });
    const logger = pino({ level: 'silent' });
    const engine = new PaperTradingEngine({
      config,
      venue: new AlpacaStore({ config, env: { keyId: KEY, secretKey: SECRET, baseUrl: emulator.urls.baseUrl, dataUrl: emulator.urls.dataUrl, dataStreamUrl: emulator.urls.dataStreamUrl, feed: 'iex', live: false }, wallClock: new LiveClock(), logger }),
      logger,
      wallClock: new LiveClock(),
      restore: false,
      telegram: null,
    });
    const read = (): Saved => JSON.parse(readFileSync(join(dir, 'state', 'latest_state.json'), 'utf8')) as Saved;
    const fills = (): number => Object.values(read().engine.fills).reduce((a, b) => a + b, 0);
    await engine.start();
    try {
      for (let i = 0; i < 120 && fills() === 0; i++) {
        emulator.emulator.step(MINUTE);
        await new Promise((r) => setTimeout(r, 30));
      }
      expect(fills()).toBeGreaterThan(0);
      // The market holds still: the broker's account is what it is now (asked each time: an order of the
      // last minute may still be filling while the machine is busy).
      const brokerAccount = async (): Promise<{ cash: number; equity: number }> => {
        const a = (await (await fetch(`${emulator.urls.baseUrl}/v2/account`, { headers: { 'APCA-API-KEY-ID': KEY, 'APCA-API-SECRET-KEY': SECRET } })).json()) as { cash: string; equity: string };
        return { cash: Number(a.cash), equity: Number(a.equity) };
      };
      let matched = false;
      for (const deadline = performance.now() + 20_000; !matched && performance.now() < deadline; ) {
        const broker = await brokerAccount();
        const state = read().account;
        matched = state.cash === broker.cash && state.value === broker.equity;
        if (!matched) await new Promise((r) => setTimeout(r, 50));
      }
      expect(matched, 'the state file’s account is the broker’s').toBe(true);
    } finally {
      await engine.stop('test');
    }
  }, 60_000);
});
