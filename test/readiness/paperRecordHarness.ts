import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pino } from 'pino';
import type { DaemonConfig } from '../../src/config/configSchema.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import { SimClock } from '../../src/core/SimClock.js';
import { seededRandom } from '../../src/core/seededRandom.js';
import { PaperTradingEngine } from '../../src/engine/PaperTradingEngine.js';
import { SimVenue } from '../../src/engine/venues/SimVenue.js';
import { createLogger } from '../../src/logging/createLogger.js';
import { AlertPriority } from '../../src/notify/Notifier.js';
import { Outbox } from '../../src/notify/Outbox.js';
import { StaticNyseCalendar } from '../../src/risk/calendar/StaticNyseCalendar.js';
import { weeklyEdition } from '../../src/readiness/weeklyEdition.js';
import { strategyParamSchemas } from '../../src/strategies/builtInStrategies.js';

/** New York trading days from `first` on (the static NYSE calendar). */
export function tradingDays(first: string, count: number): string[] {
  const calendar = new StaticNyseCalendar();
  const out: string[] = [];
  for (let d = new Date(`${first}T12:00:00Z`); out.length < count; d.setUTCDate(d.getUTCDate() + 1)) {
    const date = d.toISOString().slice(0, 10);
    if (calendar.session(date) !== null) out.push(date);
  }
  return out;
}

/**
 * Daily bars of one symbol (`<SYMBOL>_daily.csv`, the sample data's layout) whose close moves by
 * `drift(i)` plus seeded normal noise of `vol` a day; each bar opens at the previous close.
 */
export function writeDailyBars(dir: string, symbol: string, dates: readonly string[], o: { readonly drift: (i: number) => number; readonly vol: number; readonly seed: number; readonly start?: number }): number[] {
  const random = seededRandom(o.seed);
  // Box–Muller: a standard normal draw from two uniforms.
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  let close = o.start ?? 100;
  const closes: number[] = [];
  const rows = dates.map((date, i) => {
    const open = close;
    close = Math.round(open * (1 + o.drift(i) + o.vol * normal()) * 100) / 100;
    closes.push(close);
    const high = Math.max(open, close) * 1.002;
    const low = Math.min(open, close) * 0.998;
    return `${date},${open.toFixed(2)},${high.toFixed(2)},${low.toFixed(2)},${close.toFixed(2)},1000000`;
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${symbol}_daily.csv`), `datetime,open,high,low,close,volume\n${rows.join('\n')}\n`);
  return closes;
}

export function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'readiness-'));
}

/** A configuration file in `dir` for one daily strategy over `dataDir` (state and logs inside `dir`), edited by `edit`. */
export function writeDailyConfig(dir: string, dataDir: string, edit: (c: Record<string, unknown> & { strategies: Array<Record<string, unknown>> }) => void = () => {}): string {
  const c = {
    strategies: [{ id: 'trend', type: 'sma_cross', symbols: ['TRND'], capital_allocation: 20_000, params: { fast: 5, slow: 20, fraction: 0.9 } }],
    data: { timeframe: '1D', history_days: 60 },
    risk: { max_position_pct: 1 },
    state: { dir: join(dir, 'state'), snapshot_interval_s: 86_400 },
    notifications: { telegram_on_all_trades: false, daily_summary: false },
    sim: { data_dir: dataDir, speed: 1_000_000, starting_cash: 100_000, start: null as string | null },
    logging: { dir: join(dir, 'logs'), level: 'info' },
  };
  edit(c);
  const file = join(dir, `config-${Math.random().toString(36).slice(2, 8)}.json`);
  writeFileSync(file, JSON.stringify(c, null, 2));
  return file;
}

export function readConfig(file: string): DaemonConfig {
  return loadConfig(file, { strategyParams: strategyParamSchemas() });
}

/**
 * Paper-trades a configuration with the offline daemon itself (PaperTradingEngine on SimVenue, the
 * real state files, run registry and breaker log), on a simulated wall clock driven as fast as the
 * CPU allows, until its replay ends; `restore` continues the record as `npm start -- --restore` does.
 * Returns the wall time at the stop (whole ms). `wallStart` must be whole ms too.
 */
export async function paperTrade(
  file: string,
  o: {
    readonly wallStart: number;
    readonly restore: boolean;
    /** A live start's readiness decision, as `npm start -- --live` hands it to the engine. */
    readonly live?: { readonly started: readonly string[]; readonly held: readonly string[]; readonly override: string | null };
    /** Send the daily summary's weekly edition (needs `notifications.daily_summary`). */
    readonly weekly?: boolean;
    /** Receives the daemon's log lines (its alerts too: no Telegram here). */
    readonly log?: string[];
  },
): Promise<number> {
  const config = readConfig(file);
  const wallClock = new SimClock(o.wallStart);
  const lines: string[] = o.log ?? [];
  const { logger: files, breakerLog, close } = createLogger({ dir: config.logging.dir, level: 'info', console: false });
  const logger = pino({ level: 'info' }, { write: (x: string) => void lines.push(x) });
  files.info('test run');
  const venue = new SimVenue({ config, wallClock, logger });
  const engine = new PaperTradingEngine({
    config,
    venue,
    logger,
    wallClock,
    breakerLog,
    restore: o.restore,
    telegram: null,
    configFile: file,
    ...(o.live === undefined ? {} : { live: o.live }),
    ...(o.weekly === true ? { weeklyEdition: weeklyEdition(config, { env: { alpaca: null, telegram: null }, calendar: new StaticNyseCalendar(), wallClock, logger }) } : {}),
  });
  await engine.start();
  const step = config.data.timeframe.ms / config.sim.speed;
  for (let i = 0; i < 100_000 && !lines.some((l) => l.includes('replay finished')); i++) {
    wallClock.advanceTo(wallClock.now() + step);
    await new Promise((r) => setImmediate(r));
  }
  if (!lines.some((l) => l.includes('replay finished'))) throw new Error('the replay did not finish');
  const stopping = engine.stop('test');
  for (let i = 0; i < 100; i++) {
    wallClock.advanceTo(wallClock.now() + 100);
    await new Promise((r) => setImmediate(r));
  }
  await stopping;
  await close();
  // Run ids are whole milliseconds in base 36, as the live clock gives them.
  return Math.ceil(wallClock.now());
}

/** The Telegram outbox beside a state directory, with one message delivered at `at` (wall time) through the outbox's own code. */
export async function deliverOneAlert(stateDir: string, at: number): Promise<void> {
  const clock = new SimClock(at);
  const outbox = new Outbox({ file: join(dirname(stateDir), 'telegram_outbox.json'), clock, log: pino({ level: 'silent' }), send: async () => {}, paceMs: 0 });
  outbox.enqueue(AlertPriority.Summary, '📅 Daily summary');
  clock.advanceTo(at);
  for (let i = 0; i < 10 && outbox.pending.length > 0; i++) await new Promise((r) => setImmediate(r));
  await outbox.stop();
  if (outbox.pending.length > 0) throw new Error('the alert was not delivered');
}


/**
 * Paper records of a daily trend-following strategy (sma_cross 5/20, 90 % of its capital), made by
 * the offline daemon itself over generated bars: 40 days of decline to warm up, then the period
 * traded. Each scenario changes one thing so that one item of the checklist fails.
 */
export interface Scenario {
  /** Trading days replayed after the 40 days of warm-up. */
  readonly days: number;
  readonly drift: number;
  readonly vol: number;
  readonly seed: number;
  /** A fall of `by` a day for `days` days from trading day `at` (counted from the first bar). */
  readonly fall?: { readonly at: number; readonly days: number; readonly by: number };
  /** The paper run's slippage (the backtests' model stays at none). */
  readonly slippageBps?: number;
  /** The paper configuration's `circuit_breakers` (default: the configuration's defaults). */
  readonly breakers?: Record<string, number | string>;
}

export interface Made {
  readonly dir: string;
  readonly data: string;
  readonly dates: readonly string[];
  readonly paper: string;
  readonly wallEnd: number;
}

export const WARM = 40;
const HOUR = 3_600_000;

export function bars(data: string, s: Scenario): string[] {
  const dates = tradingDays('2025-01-02', WARM + s.days);
  const falling = (i: number): boolean => s.fall !== undefined && i >= s.fall.at && i < s.fall.at + s.fall.days;
  writeDailyBars(data, 'TRND', dates, { drift: (i) => (i < WARM ? -0.004 : falling(i) ? s.fall!.by : s.drift), vol: s.vol, seed: s.seed });
  return dates;
}

export async function paperRecord(s: Scenario): Promise<Made> {
  const dir = scratch();
  const data = join(dir, 'data');
  const dates = bars(data, s);
  const paper = writeDailyConfig(dir, data, (c) => {
    (c.sim as Record<string, unknown>).start = dates[WARM];
    (c.sim as Record<string, unknown>).slippage_bps = s.slippageBps ?? 0;
    if (s.breakers !== undefined) c.circuit_breakers = s.breakers;
  });
  // The simulated wall clock starts a day ago: the breaker log's lines (real time) come after the record's first run.
  const wallEnd = await paperTrade(paper, { wallStart: Date.now() - 24 * HOUR, restore: false });
  await deliverOneAlert(join(dir, 'state'), Date.now() - HOUR);
  return { dir, data, dates, paper, wallEnd };
}

/** A live configuration judged on the paper record of `m`: 10 % of the capital, the default live caps, an exit plan; edited by `edit`. */
export function liveConfig(m: Made, edit: (c: Record<string, unknown> & { strategies: Array<Record<string, unknown>> }) => void = () => {}): string {
  return writeDailyConfig(m.dir, m.data, (c) => {
    c.strategies[0]!.capital_allocation = 2_000;
    c.state = { dir: join(m.dir, 'live') };
    c.live = { paper_state_dir: join(m.dir, 'state'), exit_plan: 'Stop if the live drawdown passes 5 % or a calendar month loses money; close everything.' };
    edit(c);
  });
}

