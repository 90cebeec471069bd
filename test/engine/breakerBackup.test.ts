import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/loadConfig.js';
import { LiveClock } from '../../src/core/LiveClock.js';
import { PaperTradingEngine } from '../../src/engine/PaperTradingEngine.js';
import { SimVenue } from '../../src/engine/venues/SimVenue.js';
import { strategyParamSchemas } from '../../src/strategies/builtInStrategies.js';
import { scratchDir, writeConfig } from '../e2e/cli.js';

type Saved = { strategies: Record<string, { circuitBreaker: { state: string } | null }> };

/** The strategies paused in each gzipped backup of `dir`, oldest first. */
function pausedInBackups(dir: string): string[][] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json.gz'))
    .sort()
    .map((f) => JSON.parse(gunzipSync(readFileSync(join(dir, f))).toString('utf8')) as Saved)
    .map((s) => Object.entries(s.strategies).filter(([, x]) => x.circuitBreaker?.state === 'PAUSED').map(([id]) => id));
}

describe('a breaker’s trip', () => {
  it('is in a backup at once, not only in the latest file (a latest file lost later cannot take the trip back)', async () => {
    const dir = scratchDir();
    // One losing trade pauses a strategy until resumed by hand; no timed backup during the test.
    const config = loadConfig(
      writeConfig(dir, (c) => {
        c.sim.speed = 200_000;
        c['circuit_breakers'] = { max_drawdown_pct: 0.9, max_daily_loss_pct: 0.9, max_consecutive_losses: 1, max_trades_per_day: 1000 };
        c.state['snapshot_interval_s'] = 86_400;
      }),
      { strategyParams: strategyParamSchemas() },
    );
    const tripped: string[] = [];
    const logger = pino({ level: 'info' }, { write: (x: string) => void (String((JSON.parse(x) as { msg: unknown }).msg).includes('tripped on') && tripped.push(x)) });
    const engine = new PaperTradingEngine({ config, venue: new SimVenue({ config, wallClock: new LiveClock(), logger }), logger, wallClock: new LiveClock(), restore: false, telegram: null });
    await engine.start();
    try {
      const deadline = Date.now() + 60_000;
      while (!pausedInBackups(config.state.dir).some((p) => p.length > 0)) {
        if (Date.now() > deadline) throw new Error(`no backup holds a trip (${tripped.length} trips logged)`);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(tripped.length).toBeGreaterThan(0);
    } finally {
      await engine.stop('test');
    }
  }, 90_000);
});
