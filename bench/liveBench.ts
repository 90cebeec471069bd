import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { WebSocket } from 'ws';
import { alpacaEndpoints } from '../src/broker/alpaca/alpacaClient.js';
import { nullBroker } from '../src/broker/nullBroker.js';
import type { AlpacaEnv } from '../src/config/env.js';
import { parseConfig } from '../src/config/loadConfig.js';
import type { Bar } from '../src/core/Bar.js';
import { LiveClock } from '../src/core/LiveClock.js';
import { SimClock } from '../src/core/SimClock.js';
import { AlpacaEmulator } from '../src/emulator/AlpacaEmulator.js';
import { emulatorDefaults } from '../src/emulator/EmulatorOptions.js';
import type { MarketSeries } from '../src/emulator/market/MarketSeries.js';
import { PaperTradingEngine } from '../src/engine/PaperTradingEngine.js';
import { AlpacaStore } from '../src/engine/venues/AlpacaStore.js';
import { buildTradingCore, type TradingCoreOptions } from '../src/engine/buildTradingCore.js';
import { deliverBatch } from '../src/engine/deliverBatch.js';
import { rehearse } from '../src/engine/rehearse.js';
import { AlpacaData } from '../src/market-data/AlpacaData.js';
import { BarAggregator } from '../src/market-data/BarAggregator.js';
import { parseTimeframe } from '../src/market-data/Timeframe.js';
import { historyMinutes, sessionsBetween, warmUpTimeframe } from '../src/market-data/warmUpTimeframe.js';
import { NEW_YORK, wallTimeToUtc } from '../src/market-data/zonedTime.js';
import { StaticNyseCalendar } from '../src/risk/calendar/StaticNyseCalendar.js';
import { builtInStrategies } from '../src/strategies/builtInStrategies.js';
import { manySymbols, tenStrategies } from './portfolioBench.js';

const OPEN = Date.parse('2019-02-11T14:30:00Z');
const MINUTE = 60_000;
const KEY = 'PKBENCH0000000000001';
const SECRET = 'bench-secret';

/** Minute bars labelled by their start (as the emulator reads its files) from the open, one series a symbol. */
function emulatorSeries(symbols: readonly string[], minutes: number, price: (symbol: number, minute: number) => number): MarketSeries[] {
  return symbols.map((symbol, s) => {
    const minute: Bar[] = [];
    for (let m = 0; m < minutes; m++) {
      const open = price(s, m);
      const close = price(s, m + 1);
      minute.push({ symbol, time: OPEN + m * MINUTE, open, high: Math.max(open, close) + 0.01, low: Math.min(open, close) - 0.01, close, volume: 1000 });
    }
    return { symbol, minute, quarter: [], daily: [] };
  });
}

async function emulator(series: readonly MarketSeries[], logger: Logger): Promise<{ emulator: AlpacaEmulator; env: AlpacaEnv }> {
  const emulator = new AlpacaEmulator(
    {
      ...emulatorDefaults,
      dataDir: '',
      barLabel: 'start',
      start: OPEN,
      paused: true,
      // The measure is the daemon's path, not Alpaca's limits.
      rateLimit: 1_000_000,
      symbolLimit: 100_000,
      partialFillRate: 0,
      updatedBarRate: 0,
      credentials: { key: KEY, secret: SECRET },
      faults: [],
      wall: new LiveClock(),
      logger,
    },
    series,
  );
  const urls = await emulator.start();
  return { emulator, env: { keyId: KEY, secretKey: SECRET, baseUrl: urls.baseUrl, dataUrl: urls.dataUrl, dataStreamUrl: urls.dataStreamUrl, feed: 'iex', live: false } };
}

/** When the last frame of the market-data socket was read (the `ws` socket emits it as it is parsed off the wire). */
function markDataFrames(): { last: () => number; restore: () => void } {
  let last = 0;
  const proto = WebSocket.prototype as unknown as { emit: (event: string, ...args: unknown[]) => boolean; url?: string };
  const emit = proto.emit;
  proto.emit = function (this: typeof proto, event: string, ...args: unknown[]): boolean {
    if (event === 'message' && this.url?.includes('/v2/iex') === true) last = performance.now();
    return emit.call(this, event, ...args);
  };
  return { last: () => last, restore: () => void (proto.emit = emit) };
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const percentile = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] ?? Number.NaN;
};
const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * `burst_10k_symbols_ms`: the emulator sends one minute's bars of 10,000 symbols in one msgpack
 * frame; the daemon's AlpacaData (the official SDK's stream) reads it, batches the minute, and the
 * engine's `deliverBatch` runs 10 strategies subscribed to all 10,000 symbols (100,000
 * strategy-bars: indicators, RiskGate, ExecutionService, the orders handed to a broker that only
 * counts them). Timed from the frame read off the socket to the end of the last strategy's
 * reaction; the median of `bursts` minutes.
 */
export async function burstBench(logger: Logger, bursts: number): Promise<{ ms: number; firstMs: number; ordersPerBurst: number; strategyBars: number; rehearsalMs: number }> {
  // An hour of history for every symbol (the longest indicator needs 55 bars), then the live
  // minutes go on from each symbol's last close, moving a few basis points a minute.
  const history = manySymbols(10_000, 60);
  const symbols = history.symbols;
  const last = history.bars.slice(-10_000).map((b) => b.close);
  const { emulator: emu, env } = await emulator(
    emulatorSeries(symbols, bursts + 2, (s, m) => Math.round(last[s]! * (1 + 0.0005 * Math.sin(s + m)) * 100) / 100),
    logger,
  );
  const frames = markDataFrames();
  let orders = 0;
  const broker = nullBroker(() => void orders++);
  const calendar = new StaticNyseCalendar();
  const clock = new SimClock(OPEN);
  const strategies = tenStrategies(symbols, 1_000_000);
  const coreOptions: TradingCoreOptions = { strategies, broker, clock, runId: 'burst', maxPositionPct: 0.25, estimateCommission: () => 0, logger, calendar, accountBuyingPower: () => ({ buyingPower: 1e9 }) };
  const core = buildTradingCore(coreOptions);
  core.execution.start();
  core.runner.start();
  core.runner.warmUp(history.bars);
  // As the engine does after its warm-up: the live path compiled before the first live minute.
  const r0 = performance.now();
  rehearse(coreOptions, { bars: history.bars, timeframe: parseTimeframe('1M')!, calendar });
  const rehearsalMs = performance.now() - r0;
  const aggregator = new BarAggregator(parseTimeframe('1M')!, calendar);
  const data = new AlpacaData({ client: alpacaEndpoints(env).client, streamUrl: `${env.dataStreamUrl}/v2/iex`, feed: 'iex', calendar, clock: new LiveClock(), log: logger, now: () => emu.clock.now() });
  const times: number[] = [];
  let strategyBars = 0;
  try {
    await data.start(symbols, OPEN, (batch) => {
      clock.advanceTo(batch.time);
      strategyBars += deliverBatch(core, aggregator, batch, new Map()) * strategies.length;
      times.push(performance.now() - frames.last());
    }, { gap: () => {}, silent: () => {}, back: () => {} });
    for (let i = 0; i < bursts; i++) {
      emu.step(MINUTE);
      const want = i + 1;
      for (let k = 0; k < 500 && times.length < want; k++) await settle(5);
      if (times.length < want) throw new Error(`burst ${want}: the minute's bars did not arrive`);
    }
  } finally {
    frames.restore();
    data.stop();
    await emu.stop();
  }
  // The first minute after the warm-up and the rehearsal: the same code as the later ones, compiled.
  return { ms: Math.round(median(times) * 100) / 100, firstMs: Math.round(times[0]! * 100) / 100, ordersPerBurst: Math.round(orders / bursts), strategyBars: strategyBars / bursts, rehearsalMs: Math.round(rehearsalMs) };
}

/**
 * `bar_to_order_p50_us` / `_p99_us`: the whole Alpaca-mode daemon (PaperTradingEngine with the AlpacaStore venue: the SDK's
 * streams, AlpacaData, the engine, runner, RiskGate, ExecutionService, AlpacaBroker) against the
 * emulator, one symbol whose price zigzags so a 1/2-bar moving-average crossover buys or sells on
 * every bar. Timed from the bar's frame read off the data socket to the order POST handed to
 * `fetch` (the request written to the trading connection), in-process, `samples` orders.
 */
export async function barToOrderBench(logger: Logger, samples: number): Promise<{ p50Us: number; p99Us: number; orders: number }> {
  const { emulator: emu, env } = await emulator(emulatorSeries(['PING'], 390, (_s, m) => (m % 2 === 0 ? 100 : 100.5)), logger);
  const dir = mkdtempSync(join(tmpdir(), 'bench-b2o-'));
  const parsed = parseConfig(
    JSON.stringify({
      strategies: [{ id: 'ping', type: 'sma_cross', symbols: ['PING'], capital_allocation: 50_000, params: { fast: 1, slow: 2, qty: 1 } }],
      data: { timeframe: '1M', history_days: 1 },
      circuit_breakers: { max_drawdown_pct: 0.99, max_daily_loss_pct: 0.99, max_consecutive_losses: 100_000, max_trades_per_day: 100_000 },
      risk: { max_position_pct: 1 },
      state: { dir: join(dir, 'state'), snapshot_interval_s: 3600, max_backups: 1 },
      notifications: { telegram_on_all_trades: false, telegram_on_any_error: false, daily_summary: false },
      logging: { dir: join(dir, 'logs'), level: 'error' },
    }),
    'bench',
    { strategyParams: Object.fromEntries(Object.entries(builtInStrategies).map(([k, f]) => [k, f.params])) },
  );
  // Above Alpaca's 200 requests a minute (the emulator allows it): the measure is the path, not the budget.
  const config = { ...parsed, alpaca: { ...parsed.alpaca, requests_per_minute: 1_000_000 } };
  const frames = markDataFrames();
  const latencies: number[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    if (init?.method === 'POST' && String(input).endsWith('/v2/orders')) latencies.push(performance.now() - frames.last());
    return realFetch(input, init);
  };
  const wallClock = new LiveClock();
  const engine = new PaperTradingEngine({ config, venue: new AlpacaStore({ config, env, wallClock, logger }), logger, wallClock });
  try {
    await engine.start();
    for (let minute = 0; latencies.length < samples && minute < 380; minute++) {
      const before = latencies.length;
      emu.step(MINUTE);
      // The bar, its order, and the fill of the one before (at the next quote).
      for (let k = 0; k < 100 && latencies.length === before; k++) await settle(2);
      await settle(5);
    }
  } finally {
    globalThis.fetch = realFetch;
    frames.restore();
    await engine.stop('bench done');
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  if (latencies.length < samples / 2) throw new Error(`bar to order: only ${latencies.length} orders were sent`);
  return { p50Us: Math.round(percentile(latencies, 0.5) * 1000), p99Us: Math.round(percentile(latencies, 0.99) * 1000), orders: latencies.length };
}

/**
 * `history_warmup_requests` / `_ms`: AlpacaData's warm-up (multi-symbol requests of 10,000 bars,
 * every page) of 1,000 symbols × 100 days of daily bars from the emulator, first start (no cache).
 */
export async function warmUpBench(logger: Logger): Promise<{ requests: number; ms: number; bars: number }> {
  const calendar = new StaticNyseCalendar();
  const now = Date.parse('2019-06-28T20:30:00Z');
  const from = now - 100 * 86_400_000;
  const days: Array<{ date: string; time: number }> = [];
  for (let d = from - 86_400_000; d <= now; d += 86_400_000) {
    const date = new Date(d).toISOString().slice(0, 10);
    if (calendar.session(date) === null) continue;
    const [y, m, dd] = date.split('-').map(Number) as [number, number, number];
    // Alpaca stamps a daily bar at New York midnight.
    days.push({ date, time: wallTimeToUtc(y, m, dd, 0, 0, 0, 0, NEW_YORK) });
  }
  const symbols = Array.from({ length: 1000 }, (_, i) => `W${String(i).padStart(4, '0')}`);
  const series: MarketSeries[] = symbols.map((symbol, s) => ({
    symbol,
    minute: [],
    quarter: [],
    daily: days.map((d, k) => {
      const open = 50 + (s % 90) + Math.sin(k + s);
      const close = 50 + (s % 90) + Math.sin(k + s + 1);
      return { symbol, time: d.time, open, high: Math.max(open, close) + 0.5, low: Math.min(open, close) - 0.5, close, volume: 100_000 };
    }),
  }));
  const emu = new AlpacaEmulator(
    { ...emulatorDefaults, dataDir: '', barLabel: 'start', start: now, paused: true, credentials: { key: KEY, secret: SECRET }, faults: [], wall: new LiveClock(), logger },
    series,
  );
  const urls = await emu.start();
  try {
    const env: AlpacaEnv = { keyId: KEY, secretKey: SECRET, baseUrl: urls.baseUrl, dataUrl: urls.dataUrl, dataStreamUrl: urls.dataStreamUrl, feed: 'iex', live: false };
    const data = new AlpacaData({ client: alpacaEndpoints(env).client, streamUrl: '', feed: 'iex', calendar, clock: new LiveClock(), log: logger, now: () => now });
    const t0 = performance.now();
    const bars = await data.warmUp(symbols, '1Day', from, now);
    const ms = performance.now() - t0;
    if (bars.length < 1000 * 60) throw new Error(`warm-up: ${bars.length} bars, expected about ${1000 * (days.length - 1)}`);
    return { requests: data.requests, ms: Math.round(ms), bars: bars.length };
  } finally {
    await emu.stop();
  }
}

/** The emulator serving `series` with the bench's keys, and AlpacaData reading it as the daemon does (no disk cache: a first start). */
async function historyFrom(series: readonly MarketSeries[], now: number, logger: Logger): Promise<{ emu: AlpacaEmulator; data: AlpacaData }> {
  const emu = new AlpacaEmulator(
    { ...emulatorDefaults, dataDir: '', barLabel: 'start', start: now, paused: true, credentials: { key: KEY, secret: SECRET }, faults: [], wall: new LiveClock(), logger },
    series,
  );
  const urls = await emu.start();
  const env: AlpacaEnv = { keyId: KEY, secretKey: SECRET, baseUrl: urls.baseUrl, dataUrl: urls.dataUrl, dataStreamUrl: urls.dataStreamUrl, feed: 'iex', live: false };
  const data = new AlpacaData({ client: alpacaEndpoints(env).client, streamUrl: '', feed: 'iex', calendar: new StaticNyseCalendar(), clock: new LiveClock(), log: logger, now: () => now });
  return { emu, data };
}

/** Regular-session bars of `minutes` each (labelled by their start, as Alpaca labels them) over the sessions of [from, to]. */
function sessionBars(symbol: string, s: number, minutes: number, from: number, to: number): Bar[] {
  const out: Bar[] = [];
  let k = 0;
  for (const session of sessionsBetween(new StaticNyseCalendar(), from, to)) {
    for (let t = session.open; t + minutes * MINUTE <= session.close && t + minutes * MINUTE <= to; t += minutes * MINUTE, k++) {
      const open = 50 + (s % 90) + Math.sin((k + s) / 7);
      const close = 50 + (s % 90) + Math.sin((k + s + 1) / 7);
      out.push({ symbol, time: t, open: Math.round(open * 100) / 100, high: Math.round((Math.max(open, close) + 0.05) * 100) / 100, low: Math.round((Math.min(open, close) - 0.05) * 100) / 100, close: Math.round(close * 100) / 100, volume: 1000 });
    }
  }
  return out;
}

/**
 * `history_warmup_hourly_requests` / `_seconds`: the warm-up of an hourly configuration (data.timeframe
 * 1H) over 1,000 symbols × 100 days, as AlpacaStore runs it: the coarsest bars that tile the
 * strategies' hours (30-minute bars; the emulator has the symbols' 15-minute history, as a data
 * directory's `_15min` files give it), every page, then the strategies' hourly bars built from them.
 */
export async function hourlyWarmUpBench(logger: Logger): Promise<{ timeframe: string; requests: number; seconds: number; hourlyBars: number }> {
  const now = Date.parse('2019-06-28T20:30:00Z');
  const from = now - 100 * 86_400_000;
  const calendar = new StaticNyseCalendar();
  const symbols = Array.from({ length: 1000 }, (_, i) => `H${String(i).padStart(4, '0')}`);
  const series: MarketSeries[] = symbols.map((symbol, s) => ({ symbol, minute: [], quarter: sessionBars(symbol, s, 15, from - 86_400_000, now), daily: [] }));
  const { emu, data } = await historyFrom(series, now, logger);
  try {
    const hour = parseTimeframe('1H')!;
    const t0 = performance.now();
    const tf = warmUpTimeframe(hour, sessionsBetween(calendar, from, now));
    const aggregator = new BarAggregator(hour, calendar);
    const bars = (await data.warmUp(symbols, tf, from, now - historyMinutes(tf) * MINUTE)).flatMap((b) => aggregator.push(b));
    const seconds = (performance.now() - t0) / 1000;
    if (bars.length < 1000 * 60 * 6) throw new Error(`hourly warm-up: ${bars.length} hourly bars, expected about ${1000 * 69 * 7}`);
    return { timeframe: tf, requests: data.requests, seconds: Math.round(seconds * 100) / 100, hourlyBars: bars.length };
  } finally {
    await emu.stop();
  }
}

/**
 * `history_warmup_default_*`: the shipped configuration's warm-up at its real size (config/
 * paper-trading.json: 1-minute strategies on 12 symbols, history_days 100), first start: 1-minute
 * bars of 12 symbols × 100 days, every page. Peak RSS is the whole process's, the emulator serving
 * the minutes included; `grown` is what the process grew by from before the first request.
 */
export async function defaultWarmUpBench(logger: Logger): Promise<{ requests: number; seconds: number; bars: number; peakRssMb: number; grownMb: number }> {
  const now = Date.parse('2019-06-28T20:30:00Z');
  const from = now - 100 * 86_400_000;
  const symbols = ['AAPL', 'AMZN', 'BAC', 'JPM', 'MSFT', 'MU', 'QQQ', 'SPY', 'TSLA', 'V', 'VOO', 'XLP'];
  const series: MarketSeries[] = symbols.map((symbol, s) => ({ symbol, minute: sessionBars(symbol, s, 1, from - 86_400_000, now), quarter: [], daily: [] }));
  const { emu, data } = await historyFrom(series, now, logger);
  try {
    (globalThis as { gc?: () => void }).gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const t0 = performance.now();
    const bars = await data.warmUp(symbols, '1Min', from, now - MINUTE);
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sample);
    peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
    if (bars.length < 12 * 60 * 390) throw new Error(`default warm-up: ${bars.length} minute bars, expected about ${12 * 69 * 390}`);
    return { requests: data.requests, seconds: Math.round(seconds * 100) / 100, bars: bars.length, peakRssMb: Math.round(peak / 2 ** 20), grownMb: Math.round((peak - before) / 2 ** 20) };
  } finally {
    await emu.stop();
  }
}

// Run as its own process by bench.ts: one JSON line on stdout.
if (process.argv[1]?.endsWith('liveBench.ts')) {
  const { pino } = await import('pino');
  const log = pino({ level: 'silent' });
  const [what, n] = [process.argv[2], Number(process.argv[3] ?? 0)];
  const result =
    what === 'burst'
      ? await burstBench(log, n)
      : what === 'bar-to-order'
        ? await barToOrderBench(log, n)
        : what === 'warm-up-hourly'
          ? await hourlyWarmUpBench(log)
          : what === 'warm-up-default'
            ? await defaultWarmUpBench(log)
            : await warmUpBench(log);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
