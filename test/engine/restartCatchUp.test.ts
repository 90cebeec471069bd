import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
type Line = Record<string, unknown>;
const dataAlerts = (lines: readonly Line[]): string[] => lines.map((l) => String(l['msg'])).filter((m) => m.startsWith('⚠️ Market data'));

/** The sample data with every symbol's minutes ending 10:31 to 10:50 New York on 2019-02-12 taken out: a hole in the broker's history. */
function dataWithHole(dir: string): string {
  const out = join(dir, 'data');
  mkdirSync(out);
  const src = join(root, 'data', 'eqker');
  for (const f of readdirSync(src)) {
    if (!f.endsWith('_1min.csv')) {
      copyFileSync(join(src, f), join(out, f));
      continue;
    }
    const lines = readFileSync(join(src, f), 'utf8').split('\n');
    writeFileSync(join(out, f), lines.filter((l) => !(l >= '2019-02-12 10:31:00' && l < '2019-02-12 10:51')).join('\n'));
  }
  return out;
}

describe('a restart catches up without calling it a gap', () => {
  let t: TestEmulator | null = null;
  afterEach(async () => {
    await t?.stop();
    t = null;
  });

  it('no data alert when the broker has every minute since the last bar; one alert for minutes missing from its history', async () => {
    const dir = scratchDir();
    t = await startEmulator({ dataDir: dataWithHole(dir), start: Date.parse('2019-02-12T14:45:00Z'), paused: true, partialFillRate: 0 });
    const emulator = t;
    const config = loadConfig(writeConfig(dir), { strategyParams: strategyParamSchemas() });
    const lines: Line[] = [];
    const logger = pino(
      { level: 'info' },
      {
        write: (x: string) => {
          const line = JSON.parse(x) as Line;
          lines.push(line);
          // The market moves on while the daemon starts (the emulator at 600×, a slow warm-up): three
          // minutes after the warm-up's history, which the start catches up on over REST.
          if (String(line['msg']).startsWith('warm-up done')) t!.emulator.step(3 * MINUTE);
        },
      },
    );
    const run = async (restore: boolean, minutes: number): Promise<void> => {
      const engine = new PaperTradingEngine({
        config,
        venue: new AlpacaStore({ config, env: { keyId: KEY, secretKey: SECRET, baseUrl: emulator.urls.baseUrl, dataUrl: emulator.urls.dataUrl, dataStreamUrl: emulator.urls.dataStreamUrl, feed: 'iex', live: false }, wallClock: new LiveClock(), logger }),
        logger,
        wallClock: new LiveClock(),
        restore,
        telegram: null,
      });
      await engine.start();
      for (let i = 0; i < minutes; i++) {
        emulator.emulator.step(MINUTE);
        await new Promise((r) => setTimeout(r, 15));
      }
      await new Promise((r) => setTimeout(r, 300));
      await engine.stop('test');
    };

    await run(false, 12); // 09:45 → 10:00 New York (3 minutes at the start)
    emulator.emulator.step(20 * MINUTE); // down until 10:20: every minute is in the broker's history
    lines.length = 0;
    await run(true, 2);
    expect(dataAlerts(lines)).toEqual([]);
    // Caught up, and said so in the log.
    expect(lines.some((l) => /^market data: caught up \d+ bars over REST/.test(String(l['msg'])))).toBe(true);

    emulator.emulator.step(60 * MINUTE); // down from 10:25 until 11:25 (11:28 after the start), across the hole 10:30–10:50
    lines.length = 0;
    await run(true, 5);
    expect(dataAlerts(lines)).toEqual(['⚠️ Market data missing 2019-02-12T15:30:00.000Z → 2019-02-12T15:50:00.000Z: the broker\'s history has no bar for any symbol (20 minutes)']);
  }, 120_000);
});
