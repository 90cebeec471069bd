import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bar } from '../core/Bar.js';
import { writeFileAtomic } from '../persistence/writeFileAtomic.js';

/**
 * The corporate-action adjustment of the history asked of Alpaca and kept: split-adjusted, the bars
 * before a split restated on today's share basis, the basis of the live (unadjusted) bars.
 */
export const HISTORY_ADJUSTMENT = 'split';

/** What is kept per symbol: bars known final from `from` to `until` (epoch ms, bar end times), as rows. */
interface Stored {
  /** A file of another adjustment (or of none: kept raw, before it had one) is not this history. */
  readonly adjustment: string;
  readonly from: number;
  readonly until: number;
  readonly bars: ReadonlyArray<readonly [number, number, number, number, number, number]>;
}

/**
 * Warm-up history kept on disk (`data_cache/history/<feed>/<timeframe>/<SYMBOL>.json`), so a restart
 * asks Alpaca only for what came since. A file that cannot be read is ignored (fetched again), never
 * trusted half-way.
 */
export class HistoryCache {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The bars of `symbol` known for [from, …], and up to when they are known; null when the cache does not reach back to `from`. */
  read(symbol: string, timeframe: string, from: number): { bars: Bar[]; until: number } | null {
    const all = this.readAll(symbol, timeframe);
    if (all === null || all.from > from) return null;
    return { bars: all.bars.filter((b) => b.time >= from), until: all.until };
  }

  /** Every bar kept of `symbol`, and the span they are known final for; null when there is no readable file. */
  readAll(symbol: string, timeframe: string): { bars: Bar[]; from: number; until: number } | null {
    const file = this.#file(symbol, timeframe);
    if (!existsSync(file)) return null;
    try {
      const s = JSON.parse(readFileSync(file, 'utf8')) as Stored;
      if (!(s.adjustment === HISTORY_ADJUSTMENT && Number.isFinite(s.from) && Number.isFinite(s.until) && Array.isArray(s.bars))) return null;
      return { from: s.from, until: s.until, bars: s.bars.map(([time, open, high, low, close, volume]) => ({ symbol, time, open, high, low, close, volume })) };
    } catch {
      return null;
    }
  }

  /** Keeps `bars` (time-ordered, one symbol) as known final from `from` to `until`. */
  write(symbol: string, timeframe: string, from: number, until: number, bars: readonly Bar[]): void {
    const file = this.#file(symbol, timeframe);
    const stored: Stored = { adjustment: HISTORY_ADJUSTMENT, from, until, bars: bars.filter((b) => b.time <= until).map((b) => [b.time, b.open, b.high, b.low, b.close, b.volume] as const) };
    writeFileAtomic(file, JSON.stringify(stored));
  }

  #file(symbol: string, timeframe: string): string {
    return join(this.#dir, timeframe, `${symbol}.json`);
  }
}
