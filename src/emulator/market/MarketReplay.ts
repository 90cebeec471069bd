import type { Bar } from '../../core/Bar.js';
import type { Quote } from '../../core/Quote.js';
import { NEW_YORK, nyDateOf, wallTimeToUtc } from '../../market-data/zonedTime.js';
import type { MarketCalendar } from '../../risk/calendar/MarketCalendar.js';
import type { MarketEvent, StreamBar, Trade } from './MarketEvent.js';
import type { MarketSeries } from './MarketSeries.js';
import { LATE_REPORT_DELAY, minuteTape, UPDATED_BAR_DELAY, type TapeOptions } from './minuteTape.js';

export interface MarketReplayOptions extends TapeOptions {
  /** Tells regular minutes (which make the daily bar and the auctions) from extended-hours ones. */
  readonly calendar: MarketCalendar;
}

const MINUTE = 60_000;

/**
 * The market the emulator replays from minute bars, regular and extended hours alike. Each minute's
 * tape (minuteTape: quotes, prints, a late print now and then) goes out in time order; the bar is
 * published when its minute ends, with the day's running daily bar (regular minutes only, as Alpaca's
 * daily bars), and revised 30 s later (`u`) when a late print came in. The first regular minute of a
 * symbol's session also holds its opening auction (at its open), the last one its closing auction (at
 * its close, just before the session closes). Quotes are the NBBO paper orders fill against.
 */
export class MarketReplay {
  readonly #bars: readonly Bar[];
  readonly #o: MarketReplayOptions;
  /** Expanded events not yet published, by time then order of creation (a binary heap). */
  readonly #heap: Array<{ readonly seq: number; readonly event: MarketEvent }> = [];
  #cursor = 0;
  #seq = 0;
  readonly #lastQuote = new Map<string, Quote>();
  readonly #lastTrade = new Map<string, Trade>();
  readonly #lastBar = new Map<string, StreamBar>();
  readonly #daily = new Map<string, { date: string; bar: StreamBar }>();
  /** Regular minutes that open / close their symbol's session (auctions). */
  readonly #opens = new Set<Bar>();
  readonly #closes = new Map<Bar, number>();
  readonly #regular = new Set<Bar>();

  constructor(series: readonly MarketSeries[], o: MarketReplayOptions) {
    this.#o = o;
    this.#bars = series.flatMap((s) => s.minute).sort((a, b) => a.time - b.time || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
    for (const s of series) {
      let date = '';
      let last: Bar | null = null;
      let lastClose = 0;
      for (const b of s.minute) {
        const session = o.calendar.session(nyDateOf(b.time));
        if (session === null || b.time < session.open || b.time >= session.close) continue;
        this.#regular.add(b);
        if (session.date !== date) {
          if (last !== null) this.#closes.set(last, lastClose);
          this.#opens.add(b);
          date = session.date;
        }
        last = b;
        lastClose = session.close;
      }
      if (last !== null) this.#closes.set(last, lastClose);
    }
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
   * Skips every bar that ended by `time` (the emulator starts later than the data), keeping what they
   * leave behind: each symbol's latest quote, trade and bar, and the day's bar so far. The minute under
   * way is kept: its first quotes, already in the past, set the current NBBO at the first tick.
   */
  skipTo(time: number): void {
    const last = new Map<string, Bar>();
    const today = nyDateOf(time);
    while (this.#cursor < this.#bars.length && this.#bars[this.#cursor]!.time + MINUTE <= time) {
      const bar = this.#bars[this.#cursor++]!;
      last.set(bar.symbol, bar);
      if (this.#regular.has(bar) && nyDateOf(bar.time) === today) this.#dailyWith(minuteTape(bar, this.#o).first);
    }
    for (const bar of last.values()) {
      const tape = minuteTape(bar, this.#o);
      const revised = bar.time + MINUTE + UPDATED_BAR_DELAY <= time;
      this.#lastQuote.set(bar.symbol, tape.quotes[tape.quotes.length - 1]!);
      const trade = tape.late !== null && bar.time + MINUTE + LATE_REPORT_DELAY <= time ? tape.late : tape.prints[tape.prints.length - 1];
      if (trade !== undefined) this.#lastTrade.set(bar.symbol, trade);
      this.#lastBar.set(bar.symbol, revised ? tape.final : tape.first);
    }
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
    const tape = minuteTape(bar, this.#o);
    if (this.#opens.has(bar)) this.#push({ kind: 'auction', time: bar.time, auction: { symbol: bar.symbol, phase: 'open', time: bar.time, price: bar.open } });
    // Each quote, then the prints made at it (they come 1 ms or more after it).
    for (const q of tape.quotes) this.#push({ kind: 'quote', time: q.time, quote: q });
    for (const t of tape.prints) this.#push({ kind: 'trade', time: t.time, trade: t });
    const close = this.#closes.get(bar);
    if (close !== undefined) this.#push({ kind: 'auction', time: close - 1, auction: { symbol: bar.symbol, phase: 'close', time: close - 1, price: bar.close } });
    const end = bar.time + MINUTE;
    this.#push({ kind: 'bar', time: end, bar: tape.first });
    if (this.#regular.has(bar)) this.#push({ kind: 'dailyBar', time: end, bar: this.#dailyWith(tape.first) });
    if (tape.late !== null) {
      this.#push({ kind: 'trade', time: end + LATE_REPORT_DELAY, trade: tape.late });
      this.#push({ kind: 'updatedBar', time: end + UPDATED_BAR_DELAY, bar: tape.final });
    }
  }

  /** The day's bar so far (Alpaca's `d`), stamped at New York midnight. */
  #dailyWith(b: StreamBar): StreamBar {
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
