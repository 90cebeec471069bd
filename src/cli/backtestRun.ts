import type { CostSettings } from '../broker/sim/costModels.js';
import { breakerLimits } from '../config/breakerLimits.js';
import { checkAllocations } from '../config/loadConfig.js';
import { CliError } from '../core/errors.js';
import type { StrategySpec } from '../engine/StrategySpec.js';
import { BarStamps, type BarTime, type Labelling } from '../market-data/barLabelling.js';
import { BarTape } from '../market-data/BarTape.js';
import { loadLabelledTape } from '../market-data/loadCsvBars.js';
import { simDataFile } from '../market-data/simDataFiles.js';
import type { MarketCalendar } from '../risk/calendar/MarketCalendar.js';
import type { StrategyCatalog } from '../strategies/StrategyCatalog.js';
import { loadConfigWithStrategies } from './loadConfigWithStrategies.js';

/** What the loaded files give a run: every bar on the daemon's time, and the way back to the files' stamps. */
export interface LoadedBars {
  readonly tape: BarTape;
  readonly stamps: BarStamps;
  readonly labelling: Labelling[];
}

/** Which bars to load: the New York dates kept, how the files stamp bars, the zone of naive times. */
export interface LoadSettings {
  readonly from: string | null;
  readonly to: string | null;
  readonly barTime: BarTime | undefined;
  readonly calendar: MarketCalendar;
}

/** Loads each `[symbol, file]` (streamed into columns, labelled, filtered) and merges them in time order, ties in symbol order. */
export async function loadFiles(files: ReadonlyArray<readonly [string, string]>, s: LoadSettings, barTime: BarTime, timeZone: string): Promise<LoadedBars> {
  const tapes: BarTape[] = [];
  const stamps = new BarStamps();
  const labelling: Labelling[] = [];
  for (const [symbol, file] of files) {
    const loaded = await loadLabelledTape(file, { symbol, timeZone, calendar: s.calendar, barTime, flag: '--bar-time', from: s.from, to: s.to });
    labelling.push(loaded.labelling);
    stamps.add(symbol, loaded.stamps);
    if (loaded.tape.length > 0) tapes.push(loaded.tape);
  }
  if (tapes.length === 0) throw new CliError(`no bars between ${s.from ?? 'the start'} and ${s.to ?? 'the end'} of the data`);
  return { tape: BarTape.merge(tapes), stamps, labelling };
}

/** Everything a backtest needs besides the command line's overrides. */
export interface BacktestRun {
  readonly strategies: StrategySpec[];
  /** The types the strategies name: built-ins and the user's modules. */
  readonly catalog: StrategyCatalog;
  readonly bars: LoadedBars;
  readonly cash: number;
  readonly maxPositionPct: number;
  readonly costs: CostSettings;
  readonly checkCash?: (cash: number) => void;
  /** The config's circuit breakers (the `--data` form has none). */
  readonly breakers?: ReturnType<typeof breakerLimits>;
}

export const noCosts: CostSettings = { slippage_bps: 0, slippage_range: 0, commission_per_share: 0, commission_per_order: 0, commission_min_per_order: 0 };

/**
 * Every enabled strategy of a config, over the config's timeframe files in `dataDir`. With `only`,
 * the config as if that strategy (enabled or not) were its only enabled one: its symbols, and
 * breakers whose account limits count one strategy, exactly as a backtest of such a config.
 */
export async function fromConfig(file: string, dataDir: string | undefined, load: LoadSettings, only?: string): Promise<BacktestRun> {
  const { config: loaded, strategies: catalog } = await loadConfigWithStrategies(file);
  if (only !== undefined && !loaded.strategies.some((s) => s.id === only)) {
    throw new CliError(`--strategy: ${file} has no strategy "${only}" (its strategies: ${loaded.strategies.map((s) => s.id).join(', ')})`);
  }
  const config = only === undefined ? loaded : { ...loaded, strategies: loaded.strategies.map((s) => ({ ...s, enabled: s.id === only })) };
  const strategies = config.strategies
    .filter((s) => s.enabled)
    .map((s) => ({ id: s.id, type: s.type, symbols: s.symbols, capital: s.capital_allocation, params: s.params }));
  if (strategies.length === 0) throw new CliError(`${file}: no strategy is enabled`);
  const dir = dataDir ?? config.sim.data_dir;
  const symbols = [...new Set(strategies.flatMap((s) => s.symbols))].sort();
  const files = symbols.map((symbol) => [symbol, simDataFile(dir, symbol, config.data.timeframe)] as const);
  const bars = await loadFiles(files, load, load.barTime ?? config.sim.bar_time, 'America/New_York');
  return {
    strategies,
    catalog,
    bars,
    cash: config.sim.starting_cash,
    maxPositionPct: config.risk.max_position_pct,
    costs: config.sim,
    checkCash: (cash) => checkAllocations(config, cash, '--cash or sim.starting_cash', file),
    breakers: breakerLimits(config),
  };
}
