import type { BarTape } from '../market-data/BarTape.js';

/** One candle: [time (epoch ms, the file's stamp), open, high, low, close]. */
export type Candle = readonly [number, number, number, number, number];

/** A symbol's price chart: candles, and how many bars they stand for. */
export interface PriceSeries {
  readonly symbol: string;
  readonly bars: number;
  readonly candles: readonly Candle[];
}

/**
 * Each symbol's bars as at most about `maxCandles` candles (plus the bars with fills): consecutive
 * bars are merged into one candle (first open, highest high, lowest low, last close, stamped at the
 * first bar) so a run of 200,000 bars still makes a small page, while every bar that has a fill
 * stays a candle of its own at its exact time, so the fill markers sit on their own bar.
 */
export function priceSeries(tape: BarTape, stampOf: (time: number, symbol: string) => number, fillTimes: ReadonlyMap<string, ReadonlySet<number>>, maxCandles: number): PriceSeries[] {
  const counts = new Array<number>(tape.symbols.length).fill(0);
  for (let i = 0; i < tape.length; i++) counts[tape.symbolIndex?.[i] ?? 0]!++;
  const out = tape.symbols.map((symbol, k) => ({ symbol, bars: counts[k]!, stride: Math.max(1, Math.ceil(counts[k]! / maxCandles)), candles: [] as Candle[], open: null as [number, number, number, number, number] | null, inBucket: 0 }));
  const flush = (s: (typeof out)[number]): void => {
    if (s.open !== null) s.candles.push(s.open);
    s.open = null;
    s.inBucket = 0;
  };
  for (let i = 0; i < tape.length; i++) {
    const s = out[tape.symbolIndex?.[i] ?? 0]!;
    const t = stampOf(tape.time[i]!, s.symbol);
    const o = tape.open[i]!;
    const h = tape.high[i]!;
    const l = tape.low[i]!;
    const c = tape.close[i]!;
    if (fillTimes.get(s.symbol)?.has(t) === true) {
      flush(s);
      s.candles.push([t, o, h, l, c]);
      continue;
    }
    if (s.open === null) s.open = [t, o, h, l, c];
    else {
      s.open[2] = Math.max(s.open[2], h);
      s.open[3] = Math.min(s.open[3], l);
      s.open[4] = c;
    }
    if (++s.inBucket === s.stride) flush(s);
  }
  return out.map((s) => {
    flush(s);
    return { symbol: s.symbol, bars: s.bars, candles: s.candles };
  });
}
