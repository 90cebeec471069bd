import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { noCommission } from '../src/broker/sim/CommissionModel.js';
import { MatchingEngine } from '../src/broker/sim/MatchingEngine.js';
import { noSlippage } from '../src/broker/sim/SlippageModel.js';
import { SimBroker } from '../src/broker/sim/SimBroker.js';
import type { Bar } from '../src/core/Bar.js';
import { SimClock } from '../src/core/SimClock.js';
import { buildSnapshot } from '../src/engine/buildSnapshot.js';
import { buildTradingCore, type TradingCore } from '../src/engine/buildTradingCore.js';
import { captureEngineState, restoreEngineState } from '../src/engine/engineState.js';
import { SnapshotStore } from '../src/persistence/SnapshotStore.js';
import { BreakerAction, type BreakerLimits } from '../src/risk/CircuitBreaker.js';
import { StaticNyseCalendar } from '../src/risk/calendar/StaticNyseCalendar.js';
import { syntheticBars } from './syntheticBars.js';

const SYMBOLS = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF', 'GGG', 'HHH', 'III', 'JJJ'];
const limits: BreakerLimits = { maxDrawdownPct: 0.2, maxDailyLossPct: 0.05, maxConsecutiveLosses: null, maxTradesPerDay: 50, action: BreakerAction.BlockEntries };

function core(logger: Logger): { core: TradingCore; venue: MatchingEngine; clock: SimClock; broker: SimBroker } {
  const clock = new SimClock(0);
  const venue = new MatchingEngine({ clock, startingCash: 1_000_000, slippage: noSlippage, commission: noCommission });
  const broker = new SimBroker(venue);
  const ids = ['s1', 's2', 's3', 's4', 's5'];
  const c = buildTradingCore({
    strategies: ids.map((id, i) => ({ id, type: i % 2 === 0 ? 'sma_cross' : 'rsi_reversion', symbols: SYMBOLS.slice(i * 2, i * 2 + 2), capital: 100_000, params: { qty: 10 } })),
    broker,
    clock,
    runId: 'bench',
    maxPositionPct: 0.25,
    estimateCommission: () => 0,
    logger,
    calendar: new StaticNyseCalendar(),
    breakers: { strategies: new Map(ids.map((id) => [id, limits])), account: limits },
  });
  c.execution.start();
  c.runner.start();
  return { core: c, venue, clock, broker };
}

/**
 * The state of 5 strategies (2 symbols each, 20 days of minute bars traded): how long a save takes
 * (latest_state.json + a gzipped backup, fsync included) and a restore (read, gunzip or parse,
 * validate, put back into a fresh core; the indicators' re-warm on history is not counted).
 */
export function snapshotBench(logger: Logger, runs: number): { writeMs: number; restoreMs: number; bytes: number; fills: number } {
  const bars: Bar[] = SYMBOLS.flatMap((s, i) => syntheticBars(7800, s, 1000 + i)).sort((a, b) => a.time - b.time || (a.symbol < b.symbol ? -1 : 1));
  const run = core(logger);
  let fills = 0;
  run.core.bus.on('fill.booked', () => fills++);
  for (const bar of bars) {
    run.clock.advanceTo(bar.time);
    run.broker.onBar(bar);
    run.core.bus.emit('bar', bar);
    run.core.portfolio.recordEquity(bar.time);
    run.core.breakers!.onEquity(bar.time);
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-state-'));
  const store = new SnapshotStore(dir, 100);
  let writeMs = Number.POSITIVE_INFINITY;
  let restoreMs = Number.POSITIVE_INFINITY;
  let bytes = 0;
  try {
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const text = `${JSON.stringify(
        buildSnapshot({
          engine: captureEngineState(run.core, run.venue, bars.at(-1)!.time, new Map(SYMBOLS.map((s) => [s, bars.at(-1)!.time])), new Map([['s1', fills]])),
          mode: 'sim',
          runId: 'bench',
          wallTime: Date.UTC(2026, 10, 25) + i,
          marketTime: bars.at(-1)!.time,
          runner: run.core.runner,
          portfolio: run.core.portfolio,
          brokerAccount: run.venue.account(),
          fillsByStrategy: new Map(),
          breakers: run.core.breakers,
        }),
      )}\n`;
      store.save(text, Date.UTC(2026, 10, 25) + i);
      writeMs = Math.min(writeMs, performance.now() - t0);
      bytes = text.length;

      const t1 = performance.now();
      const loaded = store.loadNewest(() => {});
      const fresh = core(logger);
      restoreEngineState(fresh.core, fresh.venue, loaded!.snapshot.engine);
      restoreMs = Math.min(restoreMs, performance.now() - t1);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { writeMs: Math.round(writeMs * 100) / 100, restoreMs: Math.round(restoreMs * 100) / 100, bytes, fills };
}
