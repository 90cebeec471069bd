import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bar } from '../../core/Bar.js';
import { DataError } from '../../core/errors.js';
import { loadCsvBars } from '../../market-data/loadCsvBars.js';
import { NEW_YORK, nyMinuteOfDay, wallTimeToUtc } from '../../market-data/zonedTime.js';
import type { MarketSeries } from './MarketSeries.js';

/** How the intraday files label their bars: Alpaca labels a bar by its start; many exports by its end. */
export const BarLabel = { Auto: 'auto', Start: 'start', End: 'end' } as const;
export type BarLabel = (typeof BarLabel)[keyof typeof BarLabel];

const kinds = { '1min': 'minute', '1Min': 'minute', '15min': 'quarter', '15Min': 'quarter', daily: 'daily', '1Day': 'daily' } as const;
type Kind = (typeof kinds)[keyof typeof kinds];
const fileName = /^([A-Z][A-Z0-9.]{0,9})_(1min|1Min|15min|15Min|daily|1Day)\.csv$/;
const CLOSE_MINUTE = 16 * 60;

/**
 * Reads `<SYMBOL>_1min.csv`, `<SYMBOL>_15min.csv` and `<SYMBOL>_daily.csv` (or `_1Min`, `_15Min`,
 * `_1Day`) from `dir`. Intraday bars are relabelled by their start: with `auto`, a file with a bar
 * stamped 16:00 New York time (the close) labels bars by their end. Daily rows are stamped at New
 * York midnight. Every symbol needs a minute file: it is the market the emulator replays.
 */
export async function loadMarketSeries(dir: string, label: BarLabel = BarLabel.Auto): Promise<MarketSeries[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new DataError('cannot read the market-data folder', dir, undefined, { cause: error });
  }
  const found = new Map<string, Partial<Record<Kind, Bar[]>>>();
  for (const name of names.sort()) {
    const m = fileName.exec(name);
    if (m === null) continue;
    const symbol = m[1]!;
    const kind = kinds[m[2] as keyof typeof kinds];
    const file = join(dir, name);
    const bars = await loadCsvBars(file, { symbol, timeZone: NEW_YORK, dailyBarTime: nyMidnight });
    const entry = found.get(symbol) ?? {};
    entry[kind] = kind === 'daily' ? bars : relabel(bars, kind === 'minute' ? 60_000 : 900_000, label);
    found.set(symbol, entry);
  }
  const series: MarketSeries[] = [];
  for (const [symbol, e] of found) {
    if (e.minute === undefined) throw new DataError(`${symbol} has no ${symbol}_1min.csv: the emulator replays 1-minute bars`, dir);
    series.push({ symbol, minute: e.minute, quarter: e.quarter ?? [], daily: e.daily ?? [] });
  }
  if (series.length === 0) throw new DataError('no <SYMBOL>_1min.csv files: nothing to replay', dir);
  return series;
}

function nyMidnight(date: string): number {
  return wallTimeToUtc(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)), 0, 0, 0, 0, NEW_YORK);
}

function relabel(bars: Bar[], ms: number, label: BarLabel): Bar[] {
  const byEnd = label === BarLabel.End || (label === BarLabel.Auto && bars.some((b) => nyMinuteOfDay(b.time) === CLOSE_MINUTE));
  return byEnd ? bars.map((b) => ({ ...b, time: b.time - ms })) : bars;
}
