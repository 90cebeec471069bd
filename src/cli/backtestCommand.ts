import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { costModels, type CostSettings } from '../broker/sim/costModels.js';
import { runBacktest } from '../backtest/runBacktest.js';
import { formatBacktestSummary } from '../backtest/formatBacktestSummary.js';
import { splitWarmUp } from '../backtest/splitWarmUp.js';
import { renderHtmlReport } from '../backtest/renderHtmlReport.js';
import { priceSeries } from '../backtest/priceSeries.js';
import { CliError } from '../core/errors.js';
import { BAR_TIMES, type BarTime } from '../market-data/barLabelling.js';
import { symbolFromFileName } from '../market-data/loadCsvBars.js';
import { assertTimeZone } from '../market-data/zonedTime.js';
import { StaticNyseCalendar } from '../risk/calendar/StaticNyseCalendar.js';
import { DEFAULT_STRATEGIES_DIR, loadStrategyCatalog } from '../strategies/loadStrategyCatalog.js';
import { fromConfig, loadFiles, noCosts, type BacktestRun, type LoadSettings } from './backtestRun.js';
import { commandSpecs } from './commandSpecs.js';
import { numberFlag, parseArgs } from './parseArgs.js';

/**
 * `npm run backtest` (options: commandSpecs.backtest), in two forms: one built-in strategy over the
 * `--data` files, or every enabled strategy of a `--config` over its timeframe files.
 */
export async function runBacktestCommand(args: string[]): Promise<number> {
  const v = parseArgs(args, commandSpecs.backtest);
  const dateFlag = (name: 'from' | 'to'): string | null => {
    const d = v[name];
    if (d === undefined) return null;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(d))) throw new CliError(`--${name}: must be a date YYYY-MM-DD, got "${d}"`);
    return d;
  };
  const from = dateFlag('from');
  const to = dateFlag('to');
  if (from !== null && to !== null && from > to) throw new CliError(`--from ${from} is after --to ${to}`);

  if (v.config !== undefined && (v.data !== undefined || v.strategy !== undefined || v.params !== undefined)) {
    throw new CliError('--config runs the strategies of the config: leave out --data, --strategy and --params');
  }
  if (v.config === undefined && v['data-dir'] !== undefined) throw new CliError('--data-dir goes with --config; give CSV files with --data');
  if (v.config !== undefined && v['strategies-dir'] !== undefined) throw new CliError('--strategies-dir goes with --strategy; with --config, the configuration\'s strategies_dir says where your strategies are');
  const barTime = v['bar-time'];
  if (barTime !== undefined && !(BAR_TIMES as readonly string[]).includes(barTime)) {
    throw new CliError(`--bar-time: must be start (bars stamped at their start, as Alpaca does), end (at their end) or auto (told from each file), got "${barTime}"`);
  }
  const warmDays = numberFlag(v['warm-up-days'], 'warm-up-days', 0, (n) => Number.isInteger(n) && n >= 1);
  if (warmDays > 0 && from === null) throw new CliError('--warm-up-days counts trading days before --from: give --from too');
  // With a warm-up, the days before --from are loaded too, then cut off as the warm-up.
  const load: LoadSettings = { from: warmDays > 0 ? null : from, to, barTime: barTime as BarTime | undefined, calendar: new StaticNyseCalendar() };
  const calendar = load.calendar;
  const run = v.config !== undefined ? await fromConfig(v.config, v['data-dir'], load) : await fromFiles(v, load);
  const warmUp = warmDays > 0 ? splitWarmUp(run.bars.tape, from!, warmDays) : null;
  const flag = (name: string, fallback: number, check: (n: number) => boolean): number => numberFlag(v[name as keyof typeof v] as string | undefined, name, fallback, check);
  const costs: CostSettings = {
    slippage_bps: flag('slippage-bps', run.costs.slippage_bps, (n) => n >= 0 && n <= 1000),
    slippage_range: flag('slippage-range', run.costs.slippage_range, (n) => n >= 0 && n <= 1),
    commission_per_share: flag('commission-per-share', run.costs.commission_per_share, (n) => n >= 0),
    commission_per_order: flag('commission-per-order', run.costs.commission_per_order, (n) => n >= 0),
    commission_min_per_order: flag('commission-min', run.costs.commission_min_per_order, (n) => n >= 0),
  };
  if (costs.slippage_bps > 0 && costs.slippage_range > 0) throw new CliError('--slippage-bps and --slippage-range: give one of them, not both');
  const cash = flag('cash', run.cash, (n) => n > 0);
  const maxPositionPct = flag('max-position-pct', run.maxPositionPct, (n) => n > 0 && n <= 1);
  const riskFreeRate = flag('risk-free', 0, (n) => n >= 0 && n < 1);
  run.checkCash?.(cash);

  const { stamps } = run.bars;
  const result = runBacktest({
    strategies: run.strategies.map((s) => (run.strategies.length === 1 && v.config === undefined ? { ...s, capital: cash } : s)),
    bars: run.bars.tape,
    ...(warmUp === null ? {} : { warmUp: warmUp.bars }),
    ...(stamps.identity ? {} : { stampOf: (time: number, symbol?: string) => stamps.stampOf(time, symbol) }),
    labelling: run.bars.labelling,
    startingCash: cash,
    ...costModels(costs),
    maxPositionPct,
    riskFreeRate,
    calendar,
    ...(run.breakers === undefined ? {} : { breakers: run.breakers }),
    logger: pino({ level: v.verbose === true ? 'debug' : 'warn', base: { component: 'backtest' } }, pino.destination(2)),
    stopwatch: () => performance.now(),
    createStrategy: (spec) => run.catalog.create(spec),
    // In the JSON whether or not a report is asked for: the same input gives the same file.
    strategyEquity: true,
  });
  if (warmUp !== null) process.stdout.write(`warm-up: ${warmUp.days} trading days before ${from} (${warmUp.from} … ${warmUp.to}, ${warmUp.bars.length.toLocaleString('en-US')} bars): indicators only, no orders\n`);
  process.stdout.write(formatBacktestSummary(result));
  if (v.out !== undefined) {
    writeFileSync(v.out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`wrote ${v.out}\n`);
  }
  if (v.report !== undefined) {
    mkdirSync(v.report, { recursive: true });
    const file = join(v.report, 'backtest.html');
    // Each symbol's chart: at most about 1,500 candles (a long run's bars merged), a fill's bar kept as it was.
    const fillTimes = new Map<string, Set<number>>();
    for (const f of result.fills) fillTimes.set(f.symbol, (fillTimes.get(f.symbol) ?? new Set()).add(Date.parse(f.fillTime)));
    const prices = priceSeries(run.bars.tape, (time, symbol) => stamps.stampOf(time, symbol), fillTimes, 1_500);
    writeFileSync(file, renderHtmlReport(result, { prices }));
    process.stdout.write(`wrote ${file}\n`);
  }
  return 0;
}

/** One strategy (a built-in, or a module of the strategies folder) over the given CSV files (the design.md contract). */
async function fromFiles(
  v: { data?: string[] | undefined; strategy?: string | undefined; params?: string | undefined; tz?: string | undefined; 'strategies-dir'?: string | undefined },
  load: LoadSettings,
): Promise<BacktestRun> {
  const folder = { folder: v['strategies-dir'] ?? DEFAULT_STRATEGIES_DIR, required: v['strategies-dir'] !== undefined, namedBy: '--strategies-dir' };
  const known = async (): Promise<string> => (await loadStrategyCatalog({ ...folder, modules: 'names' })).names().join(', ');
  if (v.strategy === undefined) throw new CliError(`--strategy is required (one of: ${await known()}), or --config FILE for a portfolio`);
  // Only the module named is compiled: another module being written does not stop this backtest.
  const catalog = await loadStrategyCatalog({ ...folder, only: [v.strategy] });
  const factory = catalog.get(v.strategy);
  if (factory === undefined) throw new CliError(`--strategy: unknown strategy "${v.strategy}" (known: ${await known()}; your own: a module ${folder.folder}/${v.strategy}.ts)`);
  const files = v.data ?? [];
  if (files.length === 0) throw new CliError('--data FILE is required (a CSV of bars; repeat for several symbols)');
  const timeZone = v.tz ?? 'America/New_York';
  try {
    assertTimeZone(timeZone);
  } catch {
    throw new CliError(`--tz: unknown time zone "${timeZone}"`);
  }
  let rawParams: unknown = {};
  if (v.params !== undefined) {
    try {
      rawParams = JSON.parse(v.params);
    } catch (error) {
      throw new CliError(`--params: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  const parsed = factory.params.safeParse(rawParams);
  if (!parsed.success) {
    throw new CliError(parsed.error.issues.map((i) => `--params: ${['params', ...i.path.map(String)].join('.')}: ${i.message}`).join('\n'));
  }
  const bySymbol = new Map<string, string>();
  for (const file of files) {
    const symbol = symbolFromFileName(file);
    const other = bySymbol.get(symbol);
    if (other !== undefined) throw new CliError(`--data: ${file} and ${other} are both ${symbol}`);
    bySymbol.set(symbol, file);
  }
  const bars = await loadFiles([...bySymbol], load, load.barTime ?? 'auto', timeZone);
  return {
    strategies: [{ id: v.strategy, type: v.strategy, symbols: [...bySymbol.keys()].sort(), capital: 0, params: parsed.data }],
    catalog,
    bars,
    cash: 100_000,
    maxPositionPct: 0.25,
    costs: noCosts,
  };
}
