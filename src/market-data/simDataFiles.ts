import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../core/errors.js';
import type { Timeframe } from './Timeframe.js';

/** File-name suffixes of the shipped sample data (eqker): SPY_1min.csv, SPY_15min.csv, SPY_daily.csv. */
const sampleSuffix: Readonly<Record<string, string>> = { '1Min': '1min', '15Min': '15min', '1Day': 'daily' };

/**
 * The CSV file holding `symbol`'s bars at `timeframe` in `dir`: `<SYMBOL>_<suffix>.csv` with the
 * sample data's suffixes, else the timeframe's own label (`SPY_1hour.csv`).
 */
export function simDataFile(dir: string, symbol: string, timeframe: Timeframe): string {
  const candidates = [sampleSuffix[timeframe.label], timeframe.label.toLowerCase()].filter((s): s is string => s !== undefined);
  for (const suffix of candidates) {
    const file = join(dir, `${symbol}_${suffix}.csv`);
    if (existsSync(file)) return file;
  }
  const available = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.startsWith(`${symbol}_`) && f.endsWith('.csv'))
        .join(', ')
    : '';
  throw new DataError(
    `no ${timeframe.label} bars for ${symbol} (looked for ${candidates.map((s) => `${symbol}_${s}.csv`).join(' or ')}` +
      (available === '' ? ')' : `; found ${available})`),
    dir,
  );
}
