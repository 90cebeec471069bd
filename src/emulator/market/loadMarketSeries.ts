import { readdir, readFile } from 'node:fs/promises';
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
/** Alpaca's listing exchanges (the Asset schema's `exchange`). */
export const EXCHANGES = ['AMEX', 'ARCA', 'BATS', 'NYSE', 'NASDAQ', 'NYSEARCA', 'OTC'] as const;

/**
 * Reads `<SYMBOL>_1min.csv`, `<SYMBOL>_15min.csv` and `<SYMBOL>_daily.csv` (or `_1Min`, `_15Min`,
 * `_1Day`) from `dir`, and `assets.csv` when there is one (`symbol,exchange[,name]`: where each symbol
 * is listed). Intraday bars are relabelled by their start (see endLabelled). Daily rows are stamped
 * at New York midnight. Every symbol needs a minute file: it is the market the emulator replays;
 * minutes outside the regular session are replayed as extended hours.
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
  const listings = names.includes('assets.csv') ? await readAssets(join(dir, 'assets.csv')) : new Map<string, Listing>();
  const series: MarketSeries[] = [];
  for (const [symbol, e] of found) {
    if (e.minute === undefined) throw new DataError(`${symbol} has no ${symbol}_1min.csv: the emulator replays 1-minute bars`, dir);
    const listing = listings.get(symbol);
    series.push({ symbol, minute: e.minute, quarter: e.quarter ?? [], daily: e.daily ?? [], ...(listing === undefined ? {} : { listing }) });
  }
  if (series.length === 0) throw new DataError('no <SYMBOL>_1min.csv files: nothing to replay', dir);
  return series;
}

function nyMidnight(date: string): number {
  return wallTimeToUtc(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)), 0, 0, 0, 0, NEW_YORK);
}

function relabel(bars: Bar[], ms: number, label: BarLabel): Bar[] {
  const byEnd = label === BarLabel.End || (label === BarLabel.Auto && endLabelled(bars));
  return byEnd ? bars.map((b) => ({ ...b, time: b.time - ms })) : bars;
}

/**
 * Whether a file stamps its bars by their end, told from the stamps: regular hours labelled by their
 * end run 09:31 (09:45) to 16:00, by their start 09:30 to 15:59 (15:45); extended hours by their end
 * reach 20:00 but not 04:00. A file that cannot be told (extended hours, neither 04:00 nor 20:00) is
 * read as Alpaca labels bars, by their start: `--bar-label end` says otherwise.
 */
export function endLabelled(bars: readonly Bar[]): boolean {
  const stamps = new Set(bars.map((b) => nyMinuteOfDay(b.time)));
  if (stamps.has(16 * 60) && !stamps.has(9 * 60 + 30)) return true;
  return stamps.has(20 * 60) && !stamps.has(4 * 60);
}

type Listing = NonNullable<MarketSeries['listing']>;

/** `assets.csv`: a header naming `symbol` and `exchange` (and optionally `name`), one row a symbol. */
async function readAssets(file: string): Promise<Map<string, Listing>> {
  const lines = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const at = { symbol: header.indexOf('symbol'), exchange: header.indexOf('exchange'), name: header.indexOf('name') };
  if (at.symbol < 0 || at.exchange < 0) throw new DataError('the header must name symbol and exchange (and optionally name)', file, 1);
  const out = new Map<string, Listing>();
  for (let i = 1; i < lines.length; i++) {
    if (lines[i]!.trim() === '') continue;
    const cells = lines[i]!.split(',').map((c) => c.trim());
    const symbol = cells[at.symbol] ?? '';
    const exchange = (cells[at.exchange] ?? '').toUpperCase();
    if (!(EXCHANGES as readonly string[]).includes(exchange)) throw new DataError(`exchange "${exchange}" is not one of Alpaca's: ${EXCHANGES.join(', ')}`, file, i + 1);
    const name = at.name >= 0 ? cells[at.name] : undefined;
    out.set(symbol, { exchange: exchange as Listing['exchange'], ...(name === undefined || name === '' ? {} : { name }) });
  }
  return out;
}
