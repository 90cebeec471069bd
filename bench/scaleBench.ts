import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino, type Logger } from 'pino';
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
import { tenStrategies } from './portfolioBench.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const limits: BreakerLimits = { maxDrawdownPct: 0.5, maxDailyLossPct: 0.2, maxConsecutiveLosses: null, maxTradesPerDay: 10_000, action: BreakerAction.BlockEntries };

/**
 * Hourly bars, session-aligned as the daemon builds them (09:30–10:30 … 15:30–16:00, stamped at
 * their end), of `symbols` over the NYSE sessions of `days` calendar days before `end`: a seeded
 * random walk per symbol, time then symbol order.
 */
export function hourlyBars(symbols: readonly string[], end: number, days: number): Bar[] {
  const calendar = new StaticNyseCalendar();
  const ends: number[] = [];
  for (let d = end - days * DAY; d < end; d += DAY) {
    const s = calendar.session(new Date(d).toISOString().slice(0, 10));
    if (s === null) continue;
    for (let t = s.open + HOUR; ; t += HOUR) {
      ends.push(Math.min(t, s.close));
      if (t >= s.close) break;
    }
  }
  const state = symbols.map((_, i) => ({ seed: (i * 2654435761) >>> 0, close: 50 + (i % 150) }));
  const next = (st: { seed: number }): number => {
    st.seed = (Math.imul(st.seed, 1664525) + 1013904223) >>> 0;
    return st.seed / 4294967296;
  };
  const bars: Bar[] = [];
  for (const t of ends) {
    for (let i = 0; i < symbols.length; i++) {
      const st = state[i]!;
      const open = st.close;
      const close = Math.round(open * (1 + (next(st) - 0.5) * 0.02) * 100) / 100;
      const high = Math.round(Math.max(open, close) * (1 + next(st) * 0.004) * 100) / 100;
      const low = Math.round(Math.min(open, close) * (1 - next(st) * 0.004) * 100) / 100;
      st.close = close;
      bars.push({ symbol: symbols[i]!, time: t, open, high, low, close, volume: 1000 + Math.floor(next(st) * 10_000) });
    }
  }
  return bars;
}

/** 80 days of warm-up, 20 of trading; the bars are garbage once it returns. */
function warmAndTrade(run: ReturnType<typeof makeCore>, symbols: readonly string[], end: number): { lastTime: number; historyBars: number } {
  const bars = hourlyBars(symbols, end, 100);
  const cut = bars.findIndex((b) => b.time >= end - 20 * DAY);
  run.core.runner.warmUp(bars.slice(0, cut));
  for (let i = cut; i < bars.length; i++) {
    const bar = bars[i]!;
    run.clock.advanceTo(bar.time);
    run.broker.onBar(bar);
    run.core.bus.emit('bar', bar);
    if (i + 1 === bars.length || bars[i + 1]!.time !== bar.time) {
      run.core.portfolio.recordEquity(bar.time);
      run.core.breakers!.onEquity(bar.time);
    }
  }
  return { lastTime: bars[bars.length - 1]!.time, historyBars: bars.length };
}

function makeCore(logger: Logger, symbols: readonly string[]): { core: TradingCore; venue: MatchingEngine; clock: SimClock; broker: SimBroker } {
  const clock = new SimClock(0);
  const venue = new MatchingEngine({ clock, startingCash: 10_000_000, slippage: noSlippage, commission: noCommission, finishedOrdersKept: 0 });
  const broker = new SimBroker(venue);
  const strategies = tenStrategies(symbols, 1_000_000);
  const core = buildTradingCore({
    strategies,
    broker,
    clock,
    runId: 'scale',
    maxPositionPct: 0.05,
    estimateCommission: () => 0,
    logger,
    calendar: new StaticNyseCalendar(),
    breakers: { strategies: new Map(strategies.map((s) => [s.id, limits])), account: limits },
    accountBuyingPower: () => ({ buyingPower: venue.buyingPower() }),
  });
  core.execution.start();
  core.runner.start();
  return { core, venue, clock, broker };
}

/** The scale run's core after warm-up and 20 days of trading (16,534 closed trades, 3,469 open lots). */
export function scaleSetup(logger: Logger): { run: ReturnType<typeof makeCore>; symbols: string[]; lastTime: number; historyBars: number; fills: number } {
  const symbols = Array.from({ length: 1000 }, (_, i) => `T${String(i).padStart(4, '0')}`);
  const end = Date.UTC(2019, 5, 28);
  const run = makeCore(logger, symbols);
  let fills = 0;
  run.core.bus.on('fill.booked', () => fills++);
  const { lastTime, historyBars } = warmAndTrade(run, symbols, end);
  return { run, symbols, lastTime, historyBars, fills };
}

/**
 * The daemon's state at scale, in a process of its own (its memory is the figure): 10 strategies
 * (five built-in types) each on the same 1,000 symbols, warmed up on 80 days of hourly bars, then
 * trading the last 20 days on the simulated venue (ledgers, open orders, curves, breakers). Then
 * resident memory once the history is dropped, and the best of `runs` state saves, each built from
 * the core (latest_state.json and a gzipped backup, fsync included; and latest_state.json alone;
 * the closed trades and daily closes are in the logs since a first save, timed on its own) and
 * restores (read with the logs, validate, put back into a fresh core; the indicators' re-warm on
 * history is not counted).
 */
export function scaleBench(runs: number): Record<string, number> {
  const logger = pino({ level: 'silent' });
  const collect = (globalThis as { gc?: () => void }).gc ?? ((): void => {});
  const { run, symbols, lastTime, historyBars, fills } = scaleSetup(logger);
  collect();
  collect();
  const rssMb = process.memoryUsage().rss / 2 ** 20;

  const dir = mkdtempSync(join(tmpdir(), 'bench-state-'));
  const store = new SnapshotStore(dir, { newestBackups: 100, dailyBackupDays: 31, archives: 10, tradesSegmentBytes: 4 * 2 ** 20, tradesKeepDays: 730 });
  let writeMs = Number.POSITIVE_INFINITY;
  let restoreMs = Number.POSITIVE_INFINITY;
  let latestMs = Number.POSITIVE_INFINITY;
  // CPU time (user + system) of the same sections: on a machine shared with other work the wall
  // time includes waiting for a core, this does not (it does not include waiting for fsync either).
  let writeCpuMs = Number.POSITIVE_INFINITY;
  let restoreCpuMs = Number.POSITIVE_INFINITY;
  const cpuMs = (from: NodeJS.CpuUsage): number => {
    const d = process.cpuUsage(from);
    return (d.user + d.system) / 1000;
  };
  let bytes = 0;
  const snapshot = (i: number) =>
    buildSnapshot({
      engine: captureEngineState(run.core, run.venue, { lastBarTime: lastTime, lastBarTimes: new Map(symbols.map((s) => [s, lastTime])), fills: new Map([['all', fills]]), broker: null, unallocatedCash: 0, capitalFlows: [], lastClose: null }),
      mode: 'sim',
      runId: 'scale',
      wallTime: Date.UTC(2026, 10, 25) + i,
      marketTime: lastTime,
      runner: run.core.runner,
      portfolio: run.core.portfolio,
      brokerAccount: run.venue.account(),
      fillsByStrategy: new Map(),
      breakers: run.core.breakers,
    });
  let firstMs: number;
  try {
    // The first save writes every closed trade and daily close to the logs (as the first save after a
    // state of version 3 would); later saves write what changed since, the state file and a backup.
    const t = performance.now();
    store.save(snapshot(-1), Date.UTC(2026, 10, 24));
    firstMs = performance.now() - t;
    for (let i = 0; i < runs; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      store.save(snapshot(i), Date.UTC(2026, 10, 25) + i);
      writeMs = Math.min(writeMs, performance.now() - t0);
      writeCpuMs = Math.min(writeCpuMs, cpuMs(c0));
      // The save after each change writes latest_state.json only (the backups are periodic).
      const t2 = performance.now();
      store.save(snapshot(i), null);
      latestMs = Math.min(latestMs, performance.now() - t2);
      bytes = statSync(store.latestPath).size;
      collect();
      const c1 = process.cpuUsage();
      const t1 = performance.now();
      const loaded = store.loadNewest(() => {});
      const fresh = makeCore(logger, symbols);
      restoreEngineState(fresh.core, fresh.venue, loaded!.snapshot.engine);
      restoreMs = Math.min(restoreMs, performance.now() - t1);
      restoreCpuMs = Math.min(restoreCpuMs, cpuMs(c1));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const round = (x: number): number => Math.round(x * 100) / 100;
  return { rss_mb_10x1000_100d_1h: Math.round(rssMb), history_bars: historyBars, fills, snapshot_write_ms: round(writeMs), snapshot_latest_only_ms: round(latestMs), snapshot_first_write_ms: round(firstMs), snapshot_write_cpu_ms: round(writeCpuMs), restore_cpu_ms: round(restoreCpuMs), restore_ms: round(restoreMs), snapshot_bytes: bytes };
}

// Run as its own process by bench.ts: one JSON line on stdout.
if (process.argv[1]?.endsWith('scaleBench.ts')) process.stdout.write(`${JSON.stringify(scaleBench(Number(process.argv[2] ?? 5)))}\n`);
