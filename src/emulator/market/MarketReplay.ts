import type { Bar } from '../../core/Bar.js';
import type { Quote } from '../../core/Quote.js';
import { NEW_YORK, nyDateOf, wallTimeToUtc } from '../../market-data/zonedTime.js';
import type { MarketEvent, StreamBar, Trade } from './MarketEvent.js';
import type { MarketSeries } from './MarketSeries.js';
import { pathSizes, pathVwap, pricePath } from './pricePath.js';

export interface MarketReplayOptions {
  /** Share of minute bars revised by late trades and re-sent as `u` 30 s after the bar (Alpaca: about +30 s). */
  readonly updatedBarRate: number;
  readonly random: () => number;
}

const MINUTE = 60_000;
/** The moments inside a minute at which the path open → first extreme → second extreme → close is quoted. */
const PATH_OFFSETS = [0, 15_000, 30_000, 45_000] as const;

/**
 * The market the emulator replays from minute bars. Each bar becomes a price path (open, then the
 * extreme nearer the open, the other extreme, the close: the path backtrader assumes), quoted and
 * traded at 0, 15, 30 and 45 s into the minute; the bar itself is published when its minute ends,
 * with the day's running daily bar, and sometimes revised 30 s later (`u`). Quotes are the NBBO paper
 * orders fill against: a spread of about a basis point (one cent at least) around the path price.
 */
export class MarketReplay {
  readonly #bars: readonly Bar[];
  readonly #updatedBarRate: number;
  readonly #random: () => number;
  /** Expanded events not yet published, by time then order of creation (a binary heap). */
  readonly #heap: Array<{ readonly seq: number; readonly event: MarketEvent }> = [];
  #cursor = 0;
  #seq = 0;
  #tradeId = 0;
  readonly #lastQuote = new Map<string, Quote>();
  readonly #lastTrade = new Map<string, Trade>();
  readonly #lastBar = new Map<string, StreamBar>();
  readonly #daily = new Map<string, { date: string; bar: StreamBar }>();

  constructor(series: readonly MarketSeries[], o: MarketReplayOptions) {
    this.#bars = series.flatMap((s) => s.minute).sort((a, b) => a.time - b.time || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
    this.#updatedBarRate = o.updatedBarRate;
    this.#random = o.random;
  }

  /** Start of the first replayed minute (Infinity when there is none). */
  get firstBarTime(): number {
    return this.#bars[0]?.time ?? Number.POSITIVE_INFINITY;
  }

  /** End of the last replayed minute. */
  get lastBarEnd(): number {
    const last = this.#bars[this.#bars.length - 1];
    return last === undefined ? Number.NEGATIVE_INFINITY : last.time + MINUTE;
  }

  /**
   * Skips every bar that ended by `time` (the emulator starts later than the data). The minute under
   * way is kept: its first quotes, already in the past, set the current NBBO at the first tick.
   */
  skipTo(time: number): void {
    while (this.#cursor < this.#bars.length && this.#bars[this.#cursor]!.time + MINUTE <= time) this.#cursor++;
  }

  /** Time of the next event, Infinity when the replay is over. */
  peekTime(): number {
    this.#expand();
    return this.#heap[0]?.event.time ?? Number.POSITIVE_INFINITY;
  }

  /** Takes the next event off the timeline and records it as the latest quote, trade or bar. */
  next(): MarketEvent | undefined {
    this.#expand();
    const top = this.#pop();
    if (top === undefined) return undefined;
    const e = top.event;
    if (e.kind === 'quote') this.#lastQuote.set(e.quote.symbol, e.quote);
    else if (e.kind === 'trade') this.#lastTrade.set(e.trade.symbol, e.trade);
    else if (e.kind === 'bar' || e.kind === 'updatedBar') this.#lastBar.set(e.bar.symbol, e.bar);
    return e;
  }

  latestQuote(symbol: string): Quote | undefined {
    return this.#lastQuote.get(symbol);
  }

  latestTrade(symbol: string): Trade | undefined {
    return this.#lastTrade.get(symbol);
  }

  latestBar(symbol: string): StreamBar | undefined {
    return this.#lastBar.get(symbol);
  }

  /** Expands bars into events until the heap's first event is earlier than any bar not yet expanded. */
  #expand(): void {
    while (this.#cursor < this.#bars.length) {
      const bar = this.#bars[this.#cursor]!;
      const top = this.#heap[0];
      if (top !== undefined && top.event.time < bar.time) return;
      this.#cursor++;
      this.#expandBar(bar);
    }
  }

  #expandBar(bar: Bar): void {
    const path = pricePath(bar);
    const sizes = pathSizes(bar.volume);
    for (let i = 0; i < path.length; i++) {
      const time = bar.time + PATH_OFFSETS[i]!;
      const price = path[i]!;
      this.#push({ kind: 'quote', time, quote: quoteAround(bar.symbol, time, price, this.#random) });
      if (sizes[i]! > 0) this.#push({ kind: 'trade', time: time + 1, trade: { symbol: bar.symbol, time: time + 1, id: ++this.#tradeId, price, size: sizes[i]! } });
    }
    const end = bar.time + MINUTE;
    const published: StreamBar = { ...bar, tradeCount: path.length, vwap: pathVwap(bar) };
    this.#push({ kind: 'bar', time: end, bar: published });
    this.#push({ kind: 'dailyBar', time: end, bar: this.#daily_(published) });
    if (this.#random() < this.#updatedBarRate) {
      // A late trade at the close: one more share and one more trade, prices unchanged.
      const late = published.volume + 1;
      const revised: StreamBar = { ...published, volume: late, tradeCount: published.tradeCount + 1, vwap: round4((published.vwap * published.volume + published.close) / late) };
      this.#push({ kind: 'updatedBar', time: end + 30_000, bar: revised });
    }
  }

  /** The day's bar so far (Alpaca's `d`), stamped at New York midnight. */
  #daily_(b: StreamBar): StreamBar {
    const date = nyDateOf(b.time);
    const prev = this.#daily.get(b.symbol);
    let bar: StreamBar;
    if (prev === undefined || prev.date !== date) {
      const midnight = wallTimeToUtc(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)), 0, 0, 0, 0, NEW_YORK);
      bar = { ...b, time: midnight };
    } else {
      const p = prev.bar;
      const volume = p.volume + b.volume;
      bar = {
        symbol: b.symbol,
        time: p.time,
        open: p.open,
        high: Math.max(p.high, b.high),
        low: Math.min(p.low, b.low),
        close: b.close,
        volume,
        tradeCount: p.tradeCount + b.tradeCount,
        vwap: volume > 0 ? round4((p.vwap * p.volume + b.vwap * b.volume) / volume) : b.close,
      };
    }
    this.#daily.set(b.symbol, { date, bar });
    return bar;
  }

  #push(event: MarketEvent): void {
    const h = this.#heap;
    h.push({ seq: this.#seq++, event });
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  #pop(): { readonly seq: number; readonly event: MarketEvent } | undefined {
    const h = this.#heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l]!, h[m]!)) m = l;
      if (r < h.length && before(h[r]!, h[m]!)) m = r;
      if (m === i) return top;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

function before(a: { seq: number; event: MarketEvent }, b: { seq: number; event: MarketEvent }): boolean {
  return a.event.time < b.event.time || (a.event.time === b.event.time && a.seq < b.seq);
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

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
