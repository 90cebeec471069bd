import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/loadConfig.js';
import { LiveClock } from '../../src/core/LiveClock.js';
import { PaperTradingEngine } from '../../src/engine/PaperTradingEngine.js';
import { SimVenue } from '../../src/engine/venues/SimVenue.js';
import { strategyParamSchemas } from '../../src/strategies/builtInStrategies.js';
import { scratchDir, writeConfig } from '../e2e/cli.js';

type Saved = { strategies: Record<string, { circuitBreaker: { state: string } | null }> };

describe('a breaker tripped before a restart', () => {
  it('stays paused after a --restore with loosened limits, and the start says so and how it ends', async () => {
    const dir = scratchDir();
    const configWith = (losses: number) =>
      loadConfig(
        writeConfig(dir, (c) => {
          c.sim.speed = 200_000;
          c['circuit_breakers'] = { max_drawdown_pct: 0.9, max_daily_loss_pct: 0.9, max_consecutive_losses: losses, max_trades_per_day: 1000 };
        }),
        { strategyParams: strategyParamSchemas() },
      );
    const tight = configWith(1);
    const silent = pino({ level: 'silent' });
    const first = new PaperTradingEngine({ config: tight, venue: new SimVenue({ config: tight, wallClock: new LiveClock(), logger: silent }), logger: silent, wallClock: new LiveClock(), restore: false, telegram: null });
    const latest = join(tight.state.dir, 'latest_state.json');
    const paused = (): string[] =>
      existsSync(latest) ? Object.entries((JSON.parse(readFileSync(latest, 'utf8')) as Saved).strategies).filter(([, s]) => s.circuitBreaker?.state === 'PAUSED').map(([id]) => id) : [];
    await first.start();
    try {
      const deadline = Date.now() + 60_000;
      while (paused().length === 0) {
        if (Date.now() > deadline) throw new Error('no strategy paused by its loss streak');
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await first.stop('test');
    }
    const tripped = paused();

    const loose = configWith(50);
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (x: string) => void warnings.push(String((JSON.parse(x) as { msg: unknown }).msg)) });
    const second = new PaperTradingEngine({ config: loose, venue: new SimVenue({ config: loose, wallClock: new LiveClock(), logger }), logger, wallClock: new LiveClock(), restore: true, telegram: null });
    await second.start();
    await second.stop('test');
    const notes = warnings.filter((w) => w.startsWith('restored: circuit breaker '));
    expect(notes.map((w) => /^restored: circuit breaker (\S+) is paused by max_consecutive_losses since \S+: 1 losing trades in a row reached the limit of 1; until resumed \(npm run ctl -- resume \1\)$/.exec(w)?.[1])).toEqual(tripped);
    expect(paused()).toEqual(tripped);
  }, 120_000);
});
