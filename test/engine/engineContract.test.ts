import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/loadConfig.js';
import type { DaemonConfig } from '../../src/config/configSchema.js';
import { LiveClock } from '../../src/core/LiveClock.js';
import { PaperTradingEngine } from '../../src/engine/PaperTradingEngine.js';
import { AlpacaStore } from '../../src/engine/venues/AlpacaStore.js';
import { SimVenue } from '../../src/engine/venues/SimVenue.js';
import type { Venue } from '../../src/engine/venues/Venue.js';
import { strategyParamSchemas } from '../../src/strategies/builtInStrategies.js';
import { root, scratchDir, writeConfig } from '../e2e/cli.js';
import { KEY, SECRET, startEmulator, type TestEmulator } from '../emulator/harness.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Saved {
  readonly mode: string;
  readonly strategies: Record<string, { circuitBreaker: { state: string } | null; ledger: unknown }>;
  readonly engine: { fills: Record<string, number> };
}

/** One venue set as the contract sees it: how to make its venue, how to make the market move, and how to hold it still. */
interface VenueSet {
  readonly name: string;
  /** Before the venue is made (the emulator starts). */
  prepare(): Promise<void>;
  make(config: DaemonConfig, logger: Logger): Venue;
  /** Until some strategy traded and the loss-streak breaker of one tripped. */
  trade(lines: ReadonlyArray<Record<string, unknown>>): Promise<void>;
  stop(): Promise<void>;
}

const lineHas = (lines: ReadonlyArray<Record<string, unknown>>, text: string): boolean => lines.some((l) => typeof l['msg'] === 'string' && (l['msg'] as string).includes(text));

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function sim(): VenueSet {
  return {
    name: 'offline (SimVenue)',
    prepare: async () => {},
    make: (config, logger) => new SimVenue({ config, wallClock: new LiveClock(), logger }),
    trade: (lines) => until('the replay’s end', () => lineHas(lines, 'replay finished')),
    stop: async () => {},
  };
}

function alpaca(): VenueSet {
  let t: TestEmulator | null = null;
  return {
    name: 'Alpaca (AlpacaStore on the emulator)',
    prepare: async () => {
      t = await startEmulator({ dataDir: join(root, 'data', 'eqker'), start: Date.parse('2019-02-12T14:45:00Z'), paused: true, partialFillRate: 0 });
    },
    make: (config, logger) => new AlpacaStore({ config, env: { keyId: KEY, secretKey: SECRET, baseUrl: t!.urls.baseUrl, dataUrl: t!.urls.dataUrl, dataStreamUrl: t!.urls.dataStreamUrl, feed: 'iex', live: false }, wallClock: new LiveClock(), logger }),
    trade: async (lines) => {
      for (let i = 0; i < 390 && !lineHas(lines, 'tripped on max_consecutive_losses'); i++) {
        t!.emulator.step(60_000);
        await sleep(15);
      }
      await sleep(500);
    },
    stop: async () => {
      await t?.stop();
    },
  };
}

/**
 * The engine's restart, save and alert paths, the same expectations on both venue sets: a run
 * trades, trips a breaker, stops with its final state and a goodbye; a `--restore` puts back the
 * books exactly, keeps the breaker tripped, and announces itself restored.
 */
describe.each([
  ['offline (SimVenue)', sim],
  ['Alpaca (AlpacaStore on the emulator)', alpaca],
])('the engine on %s', (_name, set) => {
  let s: VenueSet;
  afterEach(async () => {
    await s.stop();
  });

  it('saves at the stop, restores the books and the tripped breaker, and says so', async () => {
    s = set();
    await s.prepare();
    const dir = scratchDir();
    const config = loadConfig(
      writeConfig(dir, (c) => {
        c.sim.speed = 200_000;
        c['circuit_breakers'] = { max_drawdown_pct: 0.5, max_daily_loss_pct: 0.5, max_consecutive_losses: 1, max_trades_per_day: 500 };
      }),
      { strategyParams: strategyParamSchemas() },
    );
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (x: string) => void lines.push(JSON.parse(x) as Record<string, unknown>) });
    const engine = (restore: boolean): PaperTradingEngine => new PaperTradingEngine({ config, venue: s.make(config, logger), logger, wallClock: new LiveClock(), restore, telegram: null });
    const read = (): Saved => JSON.parse(readFileSync(join(dir, 'state', 'latest_state.json'), 'utf8')) as Saved;

    const first = engine(false);
    await first.start();
    expect(lineHas(lines, '🚀 Daemon started (')).toBe(true);
    await s.trade(lines);
    await first.stop('contract');
    expect(lineHas(lines, '⏹ Daemon stopped (contract)')).toBe(true);
    const saved = read();
    const tripped = Object.entries(saved.strategies).filter(([, x]) => x.circuitBreaker?.state === 'PAUSED').map(([id]) => id);
    expect(Object.values(saved.engine.fills).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(tripped.length).toBeGreaterThan(0);

    lines.length = 0;
    const second = engine(true);
    await second.start();
    expect(lineHas(lines, 'restored from')).toBe(true);
    expect(lines.find((l) => typeof l['msg'] === 'string' && (l['msg'] as string).startsWith('🚀 Daemon started ('))?.['msg']).toMatch(/, restored from /);
    // The start's own save, before anything traded: the books as they were.
    const again = read();
    await second.stop('contract');
    expect(again.mode).toBe(saved.mode);
    for (const [id, x] of Object.entries(saved.strategies)) expect(again.strategies[id]!.ledger).toEqual(x.ledger);
    for (const id of tripped) expect(again.strategies[id]!.circuitBreaker?.state).toBe('PAUSED');
    expect(lines.filter((l) => typeof l['level'] === 'number' && (l['level'] as number) >= 50).map((l) => l['msg'])).toEqual([]);
  }, 180_000);
});
