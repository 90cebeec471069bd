import { dirname, join } from 'node:path';
import type { DaemonConfig } from '../config/configSchema.js';
import type { Bar } from '../core/Bar.js';
import { UserError } from '../core/errors.js';
import { BarAggregator } from '../market-data/BarAggregator.js';
import { HistoryCache } from '../market-data/HistoryCache.js';
import { loadLabelledBars } from '../market-data/loadCsvBars.js';
import { simDataFile } from '../market-data/simDataFiles.js';
import { toIso } from '../core/toIso.js';
import type { MarketCalendar } from '../risk/calendar/MarketCalendar.js';

/** The bars a strategy traded on, as the daemon's strategies saw them (each at its end, at the configured timeframe), time-ordered. */
export interface DriftBars {
  readonly bars: readonly Bar[];
  /** Where they came from, for the report. */
  readonly source: string;
  /** Symbols that could not be loaded, one line each. */
  readonly problems: readonly string[];
}

/** Where the bars of a paper record are found again. */
export type DriftBarSource = (symbols: readonly string[]) => Promise<DriftBars>;

const byTime = (a: Bar, b: Bar): number => a.time - b.time || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0);

/** Offline paper trading: the replayed CSV files (`sim.data_dir`), read exactly as the offline venue reads them. */
export function simDriftBars(config: DaemonConfig, calendar: MarketCalendar): DriftBarSource {
  return async (symbols) => {
    const bars: Bar[] = [];
    const problems: string[] = [];
    for (const symbol of symbols) {
      try {
        const file = simDataFile(config.sim.data_dir, symbol, config.data.timeframe);
        for (const bar of await loadLabelledBars(file, { symbol, calendar, barTime: config.sim.bar_time, flag: 'sim.bar_time' })) bars.push(bar);
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        problems.push(error.message);
      }
    }
    return { bars: bars.sort(byTime), source: `the replayed files in ${config.sim.data_dir}`, problems };
  };
}

/**
 * Paper trading on Alpaca: the warm-up history the daemon keeps (`data_cache/history/<feed>/`,
 * refreshed at each start over `data.history_days`), minute bars aggregated to the configured
 * timeframe as the daemon aggregates them (daily bars as they are).
 */
export function cachedDriftBars(config: DaemonConfig, stateDir: string, feed: string, calendar: MarketCalendar): DriftBarSource {
  const dir = join(dirname(stateDir), 'history', feed);
  const daily = config.data.timeframe.unit === 'Day';
  const raw = daily ? '1Day' : '1Min';
  return async (symbols) => {
    const cache = new HistoryCache(dir);
    const minutes: Bar[] = [];
    const problems: string[] = [];
    for (const symbol of symbols) {
      const kept = cache.readAll(symbol, raw);
      if (kept === null) problems.push(`no ${raw} bars of ${symbol} in ${join(dir, raw)} (the daemon keeps them at each start)`);
      else {
        for (const b of kept.bars) minutes.push(b);
        if (kept.bars.length === 0) problems.push(`no ${raw} bars of ${symbol} kept between ${toIso(kept.from)} and ${toIso(kept.until)}`);
      }
    }
    minutes.sort(byTime);
    const aggregator = new BarAggregator(config.data.timeframe, calendar);
    // The last bucket of each symbol is kept even when its last minute had no trade (the daemon emits it once its end has passed).
    const bars = daily ? minutes : [...minutes.flatMap((b) => aggregator.push(b)), ...aggregator.flush(Number.POSITIVE_INFINITY)].sort(byTime);
    return { bars, source: `the daemon's history cache ${dir}`, problems };
  };
}
