import type { Alpaca } from '@alpacahq/alpaca-trade-api';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../src/core/Bar.js';
import { LiveClock } from '../../src/core/LiveClock.js';
import { AlpacaData } from '../../src/market-data/AlpacaData.js';
import { PriceGuard, type GuardEvent } from '../../src/market-data/PriceGuard.js';
import { StaticNyseCalendar } from '../../src/risk/calendar/StaticNyseCalendar.js';

const T = Date.parse('2019-02-11T15:00:00Z');
const bar = (minute: number, close: number, open = close, symbol = 'BAC'): Bar => ({ symbol, time: T + minute * 60_000, open, high: Math.max(open, close), low: Math.min(open, close), close, volume: 100 });

describe('bars from Alpaca that can never be bars', () => {
  it('are skipped with an error naming them; the other bars of the page flow on (no retry loop)', async () => {
    const at = (m: number): Date => new Date(T + m * 60_000);
    const page = {
      bars: {
        BAC: [
          { t: at(0), o: 30, h: 30.1, l: 29.9, c: 30, v: 10 },
          { t: at(1), o: 30, h: 29, l: 29.9, c: 30, v: 10 },
          { t: at(2), o: 30, h: 30, l: 30, c: -1, v: 10 },
          { t: at(3), o: 30, h: 30.2, l: 30, c: 30.1, v: 10 },
        ],
        JPM: [{ t: at(0), o: 100, h: 100, l: 100, c: 100, v: Number.NaN }],
      },
      nextPageToken: null,
    };
    const client = { marketData: { stocks: { stockBars: () => Promise.resolve(page) } } } as unknown as Alpaca;
    const errors: string[] = [];
    const log = pino({ level: 'error' }, { write: (s: string) => void errors.push((JSON.parse(s) as { msg: string }).msg) });
    const data = new AlpacaData({ client, streamUrl: 'ws://127.0.0.1:1', feed: 'iex', calendar: new StaticNyseCalendar(), clock: new LiveClock(), log, now: () => T + 3_600_000 });
    const bars = await data.history(['BAC', 'JPM'], '1Min', T, T + 10 * 60_000);
    expect(bars.map((b) => [b.symbol, b.close])).toEqual([
      ['BAC', 30],
      ['BAC', 30.1],
    ]);
    expect(errors).toEqual([
      `bar from Alpaca skipped: BAC ${at(1).toString()}: high 29 is below the open, close or low`,
      `bar from Alpaca skipped: BAC ${at(2).toString()}: close -1 is not a positive price`,
      `bar from Alpaca skipped: JPM ${at(0).toString()}: volume NaN is not a finite count ≥ 0`,
    ]);
  });
});

describe('the price jump check', () => {
  const run = (bars: readonly Bar[]): { passed: number[]; events: string[] } => {
    const events: string[] = [];
    const guard = new PriceGuard(0.25, (e: GuardEvent) => events.push(e.kind === 'quarantined' ? `quarantined ${e.symbol} at ${e.bar.close} (${(e.move * 100).toFixed(1)}% from ${e.reference})` : `released ${e.symbol} (${e.why}, ${e.dropped} dropped) at ${e.reference}`));
    const passed = bars.filter((b) => guard.accept(b)).map((b) => b.close);
    return { passed, events };
  };

  it('holds back a bad print and drops it when prices come back', () => {
    // A close at a thousandth of the open (the backfill seen sending a $4 M order), then normal again.
    const r = run([bar(0, 30), bar(1, 30.1), bar(2, 0.03, 30.1), bar(3, 0.03), bar(4, 30.2)]);
    expect(r.passed).toEqual([30, 30.1, 30.2]);
    expect(r.events).toEqual(['quarantined BAC at 0.03 (99.9% from 30.1)', 'released BAC (back, 2 dropped) at 30.1']);
  });

  it('lets a real move through once three bars in a row confirm the new level', () => {
    const r = run([bar(0, 30), bar(1, 40, 30), bar(2, 40.2), bar(3, 40.1), bar(4, 40.3)]);
    expect(r.passed).toEqual([30, 40.1, 40.3]);
    expect(r.events).toEqual(['quarantined BAC at 40 (33.3% from 30)', 'released BAC (confirmed, 2 dropped) at 40.1']);
  });

  it('judges each symbol alone: the others flow while one is quarantined', () => {
    const r = run([bar(0, 30), bar(0, 100, 100, 'JPM'), bar(1, 3, 30), bar(1, 101, 101, 'JPM'), bar(2, 102, 102, 'JPM')]);
    expect(r.passed).toEqual([30, 100, 101, 102]);
  });
});

describe('extended-hours minutes from Alpaca', () => {
  it('are not regular-session bars: skipped (pre-market, after the close, a weekend), the session’s first and last minutes kept', async () => {
    const at = (iso: string): Date => new Date(iso);
    const b = (iso: string, c: number) => ({ t: at(iso), o: c, h: c, l: c, c, v: 5 });
    const page = {
      bars: {
        SPY: [
          b('2019-02-11T14:29:00Z', 1), // 09:29 New York: pre-market
          b('2019-02-11T14:30:00Z', 2), // 09:30–09:31: the first regular minute
          b('2019-02-11T20:59:00Z', 3), // 15:59–16:00: the last
          b('2019-02-11T21:00:00Z', 4), // 16:00–16:01: after hours
          b('2019-02-16T15:00:00Z', 5), // a Saturday
        ],
      },
      nextPageToken: null,
    };
    const client = { marketData: { stocks: { stockBars: () => Promise.resolve(page) } } } as unknown as Alpaca;
    const data = new AlpacaData({ client, streamUrl: 'ws://127.0.0.1:1', feed: 'iex', calendar: new StaticNyseCalendar(), clock: new LiveClock(), log: pino({ level: 'silent' }), now: () => Date.parse('2019-02-17T00:00:00Z') });
    const bars = await data.history(['SPY'], '1Min', Date.parse('2019-02-11T00:00:00Z'), Date.parse('2019-02-16T23:00:00Z'));
    expect(bars.map((x) => [new Date(x.time).toISOString(), x.close])).toEqual([
      ['2019-02-11T14:31:00.000Z', 2],
      ['2019-02-11T21:00:00.000Z', 3],
    ]);
    expect(data.extendedHoursSkipped).toBe(3);
  });
});
