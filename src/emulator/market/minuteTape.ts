import type { Bar } from '../../core/Bar.js';
import type { Quote } from '../../core/Quote.js';
import { seededRandom } from '../../core/seededRandom.js';
import type { StreamBar, Trade } from './MarketEvent.js';
import { pricePath } from './pricePath.js';

/** What the tape of one minute is drawn from: the emulator's seed and its share of revised bars. */
export interface TapeOptions {
  readonly seed: number;
  /** Share of minutes with a late print, re-sent as an updated bar (`u`) 30 s after the minute. */
  readonly updatedBarRate: number;
}

/**
 * Everything one replayed minute puts on the tape, drawn only from the bar, the symbol and the seed
 * (never from the order of replay), so the live streams and the REST history tell the same story:
 * - four quotes, at 0, 15, 30 and 45 s, around the path open → nearer extreme → other extreme → close;
 * - the prints: each path price is printed at its quote and a few more times before the next one (so
 *   every print is inside the NBBO of its moment), the count growing with the volume;
 * - sometimes a late print at the close, reported 4 s after the minute (Alpaca's late trades): the bar
 *   published at the minute's end leaves it out, the revision 30 s later (`u`) and the history count it.
 * The prints' sizes add up to the bar's volume, their first/extremes/last are its OHLC, and the bar's
 * `n` and `vw` are their count and volume-weighted price.
 */
export interface MinuteTape {
  readonly quotes: readonly Quote[];
  readonly prints: readonly Trade[];
  readonly late: Trade | null;
  /** The bar as published when the minute ends (without the late print). */
  readonly first: StreamBar;
  /** The bar with every print: the revision (`u`) when there is a late print, the history's bar. */
  readonly final: StreamBar;
}

const MINUTE = 60_000;
const SEGMENT = 15_000;
/** Offset of the late print: the minute's last millisecond. */
const LATE_AT = MINUTE - 1;
/** How long after the minute a late print is reported (Alpaca: exchanges have 10 s). */
export const LATE_REPORT_DELAY = 4_000;
/** When the revised bar (`u`) follows the minute's end (Alpaca: about 30 s). */
export const UPDATED_BAR_DELAY = 30_000;

/** Prints a minute gets for its volume: 4 (one per path point) to 24; none without volume. */
export function printCount(volume: number): number {
  if (!(volume > 0)) return 0;
  return Math.min(Math.floor(volume), Math.max(4, Math.min(24, Math.round(Math.sqrt(volume) / 40))));
}

/** A 32-bit hash of a symbol (FNV-1a), to seed its minutes. */
function symbolHash(symbol: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < symbol.length; i++) {
    h ^= symbol.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const hashes = new Map<string, number>();

/** A random source for one (symbol, minute, purpose), the same every run with the same seed. */
export function minuteRandom(seed: number, symbol: string, time: number, salt: number): () => number {
  let s = hashes.get(symbol);
  if (s === undefined) {
    s = symbolHash(symbol);
    hashes.set(symbol, s);
  }
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ s;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) ^ Math.floor(time / 1000);
  h = Math.imul(h ^ (h >>> 16), 0x27d4eb2f) ^ salt;
  return seededRandom(h >>> 0);
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

export function minuteTape(bar: Bar, o: TapeOptions): MinuteTape {
  const path = pricePath(bar);
  const random = minuteRandom(o.seed, bar.symbol, bar.time, 1);
  const quotes = path.map((price, i) => quoteAround(bar.symbol, bar.time + i * SEGMENT, price, random));
  const volume = Math.max(0, Math.floor(bar.volume));
  const lateDraw = minuteRandom(o.seed, bar.symbol, bar.time, 2)();
  const lateSize = volume >= 2 && lateDraw < o.updatedBarRate ? Math.max(1, Math.min(100, Math.floor(volume * 0.01))) : 0;
  const regular = volume - lateSize;
  const count = printCount(regular);
  // Which path point each print belongs to: every point once (the last ones when there are fewer
  // than four prints), the rest spread at random.
  const segmentOf: number[] = [];
  for (let i = Math.max(0, 4 - count); i < 4; i++) segmentOf.push(i);
  while (segmentOf.length < count) segmentOf.push(Math.floor(random() * 4));
  const times = segmentOf.map((seg, j) => bar.time + seg * SEGMENT + 1 + (j < Math.min(count, 4) ? 0 : 1 + Math.floor(random() * (SEGMENT - 3))));
  const sizes = splitVolume(regular, count, random);
  const order = segmentOf.map((_, j) => j).sort((a, b) => times[a]! - times[b]! || a - b);
  const minuteIndex = Math.floor(bar.time / MINUTE);
  const prints: Trade[] = [];
  for (const j of order) {
    if (sizes[j]! <= 0) continue;
    prints.push({ symbol: bar.symbol, time: times[j]!, id: minuteIndex * 100 + prints.length, price: path[segmentOf[j]!]!, size: sizes[j]! });
  }
  const late: Trade | null = lateSize > 0 ? { symbol: bar.symbol, time: bar.time + LATE_AT, id: minuteIndex * 100 + 99, price: bar.close, size: lateSize } : null;
  const first = summarize(bar, prints, regular);
  const final = late === null ? first : summarize(bar, [...prints, late], volume);
  return { quotes, prints, late, first, final };
}

/** The bar of a set of prints: the file's OHLC, their volume, count and VWAP. */
function summarize(bar: Bar, prints: readonly Trade[], volume: number): StreamBar {
  let notional = 0;
  for (const p of prints) notional += p.price * p.size;
  return { symbol: bar.symbol, time: bar.time, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume, tradeCount: prints.length, vwap: volume > 0 ? round4(notional / volume) : bar.close };
}

/** `volume` shares over `count` prints of random sizes (each at least one share when there are enough). */
function splitVolume(volume: number, count: number, random: () => number): number[] {
  if (count === 0) return [];
  if (volume < 6 * count) {
    const base = Math.floor(volume / count);
    const sizes = new Array<number>(count).fill(base);
    sizes[count - 1]! += volume - base * count;
    return sizes;
  }
  const weights = Array.from({ length: count }, () => 0.2 + random());
  const total = weights.reduce((s, w) => s + w, 0);
  const sizes = weights.map((w) => Math.floor((volume * w) / total));
  // The rest (rounding) goes to the last print, so the sizes add up to the volume exactly.
  sizes[count - 1]! += volume - sizes.reduce((s, x) => s + x, 0);
  return sizes;
}

/**
 * An NBBO around `price`: half a basis point each side (half a cent at least), in whole cents; a tie
 * rounds away from the price, so the spread is never under a cent. Sizes: 100–900 shares.
 */
function quoteAround(symbol: string, time: number, price: number, random: () => number): Quote {
  const cents = price * 100;
  const half = Math.max(0.5, cents * 0.00005);
  const bid = Math.round(cents - half - 1e-7);
  const ask = Math.max(Math.round(cents + half + 1e-7), bid + 1);
  return { symbol, time, bid: bid / 100, ask: ask / 100, bidSize: 100 * (1 + Math.floor(random() * 9)), askSize: 100 * (1 + Math.floor(random() * 9)) };
}
