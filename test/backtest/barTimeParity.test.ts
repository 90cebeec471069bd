import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntheticBars } from '../../bench/syntheticBars.js';
import { NEW_YORK, zoneOffset } from '../../src/market-data/zonedTime.js';
import { backtraderRun, type RuleStrategy } from './backtraderRules.js';
import { backtestCommand, fillsOf, readNaiveNy, ruleBars, writeAlpaca, writeNaiveNy, type Row } from './restamp.js';

/**
 * Parity with backtrader on files stamped the other ways: bars stamped at their start (Alpaca and
 * most vendors), 15-minute bars, daily bars stamped at midnight New York, and files of 250,000
 * rows, each through the whole command (`npm run backtest`: streamed loading, labelling, market
 * hours on, output times as the file stamps them). backtrader cannot run here; the expected fills
 * come from
 * - the six real backtrader references, restamped: backtrader steps bar by bar and never reads what
 *   a stamp means, so a copy of a file whose every stamp is one minute earlier (a start-labelled
 *   copy) gives the same fills, each signal and fill time one minute earlier, the same final value;
 * - `backtraderRules.ts`: the reference README's rules written out plainly (checked first against
 *   the six real references), for the data no reference exists for;
 * - hand-worked small files, fills listed below.
 */
const fixtures = join(import.meta.dirname, '..', 'fixtures', 'backtrader');
const eqker = join(import.meta.dirname, '..', '..', 'data', 'eqker');
const MINUTE = 60_000;

interface Reference {
  strategy: 'sma_cross' | 'rsi_reversion';
  params: Record<string, number>;
  final_value: number;
  bars: number;
  fills: Array<{ signal_time: string; fill_time: string; side: string; qty: number; price: number }>;
}

const references = ['SPY', 'AAPL', 'TSLA'].flatMap((symbol) =>
  ['sma_cross_10_30', 'rsi_14_30_70'].map((name) => ({ symbol, ref: JSON.parse(readFileSync(join(fixtures, `${symbol}_1min_${name}.json`), 'utf8')) as Reference })),
);
const iso = (t: string, shift = 0): string => new Date(Date.parse(t) + shift).toISOString();
const ruleOf = (ref: Reference): RuleStrategy =>
  ref.strategy === 'sma_cross'
    ? { type: 'sma_cross', fast: ref.params.fast!, slow: ref.params.slow!, qty: ref.params.qty! }
    : { type: 'rsi_reversion', period: ref.params.period!, lower: ref.params.lower!, upper: ref.params.upper!, qty: ref.params.qty! };
const argsOf = (file: string, strategy: RuleStrategy, ...more: string[]): string[] => {
  const { type, ...params } = strategy;
  return ['--data', file, '--strategy', type, '--params', JSON.stringify(params), '--cash', '100000', ...more];
};
const scratch = (): string => mkdtempSync(join(tmpdir(), 'bar-time-'));
/** Minutes since New York midnight. */
const nyWallMinute = (ms: number): number => Math.round(((ms + zoneOffset(ms, NEW_YORK)) % 86_400_000) / MINUTE);

describe('the written-out rules', () => {
  for (const { symbol, ref } of references) {
    it(`reproduce backtrader's ${symbol} ${ref.strategy} reference`, () => {
      const run = backtraderRun(ruleBars(readNaiveNy(join(fixtures, `${symbol}_1min.csv`))), ruleOf(ref));
      expect(run.fills).toEqual(ref.fills.map((f) => ({ ...f, signal_time: iso(f.signal_time), fill_time: iso(f.fill_time) })));
      expect(Math.abs(run.final_value - ref.final_value)).toBeLessThanOrEqual(1e-6);
    });
  }
});

describe('start-labelled minute bars (the references restamped one minute earlier)', () => {
  for (const { symbol, ref } of references) {
    for (const layout of ['naive New York', 'Alpaca t,o,h,l,c,v'] as const) {
      it(`${symbol} ${ref.strategy}, ${layout}: every fill one minute earlier, the same final value`, async () => {
        const dir = scratch();
        const rows = readNaiveNy(join(fixtures, `${symbol}_1min.csv`));
        const earlier = (t: number): number => t - MINUTE;
        const file = layout === 'naive New York' ? writeNaiveNy(join(dir, `${symbol}_1min.csv`), rows, earlier) : writeAlpaca(join(dir, `${symbol}_1min.csv`), rows.toReversed(), earlier);
        const { result, summary } = await backtestCommand(dir, argsOf(file, ruleOf(ref)));
        expect(result.bars).toBe(ref.bars);
        expect(fillsOf(result)).toEqual(ref.fills.map((f) => ({ ...f, signal_time: iso(f.signal_time, -MINUTE), fill_time: iso(f.fill_time, -MINUTE) })));
        expect(Math.abs(result.finalValue - ref.final_value)).toBeLessThanOrEqual(1e-6);
        expect(result.rejections).toBe(0);
        expect(result.barTime).toEqual([expect.objectContaining({ symbol, stamps: 'start', barSeconds: 60 })]);
        expect(summary).toMatch(new RegExp(`bar times\\s+${symbol}: 1-minute bars stamped at their start`));
        // The report's times are the file's: its first and last stamps.
        expect(result.from).toBe(new Date(rows[0]!.time - MINUTE).toISOString());
        expect(result.to).toBe(new Date(rows.at(-1)!.time - MINUTE).toISOString());
      });
    }
  }

  it('the end-labelled originals through the command, market hours on: the references exactly', async () => {
    const dir = scratch();
    for (const { symbol, ref } of references) {
      const { result } = await backtestCommand(dir, argsOf(join(fixtures, `${symbol}_1min.csv`), ruleOf(ref)));
      expect(fillsOf(result)).toEqual(ref.fills.map((f) => ({ ...f, signal_time: iso(f.signal_time), fill_time: iso(f.fill_time) })));
      expect(Math.abs(result.finalValue - ref.final_value)).toBeLessThanOrEqual(1e-6);
      expect(result.barTime![0]!.stamps).toBe('end');
    }
  });
});

/** A bar of a hand-worked file: its New York wall time, open and close (high and low span them). */
type Hand = [string, number, number];
const handFile = (file: string, rows: readonly Hand[], header = 'datetime,open,high,low,close,volume'): string => {
  writeFileSync(file, `${header}\n${rows.map(([t, o, c]) => `${t},${o},${Math.max(o, c)},${Math.min(o, c)},${c},1000`).join('\n')}\n`);
  return file;
};
// sma_cross with fast 1 and slow 2: fast − slow = (close − previous close) / 2, so a cross up is a
// rise after the last move was a fall, a cross down a fall after a rise; an unchanged close is no
// move and keeps the sign. Orders fill at the next bar's open, 10 shares.
const oneTwo: RuleStrategy = { type: 'sma_cross', fast: 1, slow: 2, qty: 10 };

describe('15-minute bars stamped at their start (hand-worked)', () => {
  const flat: Hand[] = [];
  for (let m = 10 * 60 + 45; m <= 15 * 60 + 30; m += 15) flat.push([`2019-02-11 ${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`, 103, 103]);
  const rows: Hand[] = [
    ['2019-02-11 09:30:00', 100, 100],
    ['2019-02-11 09:45:00', 100, 99], // fall
    ['2019-02-11 10:00:00', 99, 101], // rise after a fall: buy, filled at the 10:15 open, 101.5
    ['2019-02-11 10:15:00', 101.5, 102],
    ['2019-02-11 10:30:00', 102, 103],
    ...flat, // 10:45 … 15:30 unchanged
    ['2019-02-11 15:45:00', 103, 102], // the day's last bar, a fall after a rise: sell, filled at the next session's first open, 101.25
    ['2019-02-12 09:30:00', 101.25, 103], // the session's first bar, a rise after a fall: buy, filled at the 09:45 open, 103.5
    ['2019-02-12 09:45:00', 103.5, 104],
    ['2019-02-12 10:00:00', 104, 102], // fall after a rise: sell, filled at the 10:15 open, 102.5
    ['2019-02-12 10:15:00', 102.5, 102.5], // last bar, flat
  ];
  const expected = [
    { signal_time: '2019-02-11T15:00:00.000Z', fill_time: '2019-02-11T15:15:00.000Z', side: 'buy', qty: 10, price: 101.5 },
    { signal_time: '2019-02-11T20:45:00.000Z', fill_time: '2019-02-12T14:30:00.000Z', side: 'sell', qty: 10, price: 101.25 },
    { signal_time: '2019-02-12T14:30:00.000Z', fill_time: '2019-02-12T14:45:00.000Z', side: 'buy', qty: 10, price: 103.5 },
    { signal_time: '2019-02-12T15:00:00.000Z', fill_time: '2019-02-12T15:15:00.000Z', side: 'sell', qty: 10, price: 102.5 },
  ];
  // 100,000 − 1,015 + 1,012.50 − 1,035 + 1,025, flat at the end
  const finalValue = 99_987.5;

  it('auto: the 09:30 bar says start; the fills listed, as the file stamps them', async () => {
    const dir = scratch();
    const file = handFile(join(dir, 'QQQ_15min.csv'), rows);
    const { result } = await backtestCommand(dir, argsOf(file, oneTwo));
    expect(fillsOf(result)).toEqual(expected);
    expect(result.finalValue).toBeCloseTo(finalValue, 9);
    expect(result.barTime).toEqual([expect.objectContaining({ stamps: 'start', barSeconds: 900 })]);
    // The rules say the same.
    const run = backtraderRun(rows.map(([t, o, c]) => ({ stamp: new Date(`${t.replace(' ', 'T')}-05:00`).toISOString(), open: o, close: c })), oneTwo);
    expect(run.fills).toEqual(expected);
    expect(run.final_value).toBeCloseTo(finalValue, 9);
  });

  it('read as end-labelled (--bar-time end) the same file diverges: the 09:30 bar would end at the open, its buy is refused', async () => {
    const dir = scratch();
    const file = handFile(join(dir, 'QQQ_15min.csv'), rows);
    const { result } = await backtestCommand(dir, argsOf(file, oneTwo, '--bar-time', 'end'));
    expect(result.barTime).toEqual([expect.objectContaining({ stamps: 'end', reason: '--bar-time end' })]);
    expect(result.strategies[0]!.denials).toEqual({ market_hours: 1 });
    expect(fillsOf(result)).toEqual(expected.slice(0, 2));
  });

  it('the same bars stamped at their end (09:45 … 16:00) give the same fills, one bar later', async () => {
    const dir = scratch();
    const later = rows.map(([t, o, c]): Hand => {
      const d = new Date(`${t.replace(' ', 'T')}Z`);
      d.setUTCMinutes(d.getUTCMinutes() + 15);
      return [d.toISOString().slice(0, 19).replace('T', ' '), o, c];
    });
    const { result } = await backtestCommand(dir, argsOf(handFile(join(dir, 'QQQ_15min.csv'), later), oneTwo));
    expect(result.barTime![0]!.stamps).toBe('end');
    expect(fillsOf(result)).toEqual(expected.map((f) => ({ ...f, signal_time: iso(f.signal_time, 15 * MINUTE), fill_time: iso(f.fill_time, 15 * MINUTE) })));
  });

  it('the shipped 15-minute files, end-labelled and restamped at their start: the rules exactly', async () => {
    const dir = scratch();
    for (const symbol of ['SPY', 'AAPL', 'TSLA']) {
      const rows15 = readNaiveNy(join(eqker, `${symbol}_15min.csv`));
      for (const strategy of [{ type: 'sma_cross', fast: 10, slow: 30, qty: 10 }, { type: 'rsi_reversion', period: 14, lower: 30, upper: 70, qty: 10 }] as const) {
        for (const shift of [0, -15 * MINUTE]) {
          const file = writeNaiveNy(join(dir, `${symbol}_15min.csv`), rows15, (t) => t + shift);
          const { result } = await backtestCommand(dir, argsOf(file, strategy));
          const run = backtraderRun(ruleBars(rows15, (t) => t + shift), strategy);
          expect(result.barTime![0]!.stamps).toBe(shift === 0 ? 'end' : 'start');
          expect(fillsOf(result)).toEqual(run.fills);
          expect(run.fills.length).toBeGreaterThan(4);
          expect(Math.abs(result.finalValue - run.final_value)).toBeLessThanOrEqual(1e-6);
          expect(result.rejections).toBe(0);
        }
      }
    }
  });
});

describe('hourly bars stamped at their start (09:30 … 15:30, the last one half an hour)', () => {
  it('the rules exactly; the 15:30 bar is the session’s last, its signals fill at the next open', async () => {
    const dir = scratch();
    // Minute bars of about 130 sessions grouped into hours from the open: 09:30-10:30 … 15:30-16:00.
    const hours: Row[] = [];
    for (const b of syntheticBars(50_000)) {
      const start = b.time - MINUTE;
      const wall = nyWallMinute(start);
      const hourStart = start - ((wall - 570) % 60) * MINUTE;
      const last = hours.at(-1);
      if (last !== undefined && last.time === hourStart) {
        hours[hours.length - 1] = { ...last, high: String(Math.max(Number(last.high), b.high)), low: String(Math.min(Number(last.low), b.low)), close: String(b.close) };
      } else hours.push({ time: hourStart, open: String(b.open), high: String(b.high), low: String(b.low), close: String(b.close), volume: String(b.volume) });
    }
    for (const strategy of [{ type: 'sma_cross', fast: 5, slow: 12, qty: 10 }, { type: 'rsi_reversion', period: 6, lower: 35, upper: 65, qty: 10 }] as const) {
      const file = writeNaiveNy(join(dir, 'SYN_1hour.csv'), hours);
      const { result } = await backtestCommand(dir, argsOf(file, strategy));
      const run = backtraderRun(ruleBars(hours), strategy);
      expect(result.barTime![0]).toMatchObject({ stamps: 'start', barSeconds: 3600 });
      expect(run.fills.filter((f) => f.signal_time.endsWith('20:30:00.000Z') || f.signal_time.endsWith('19:30:00.000Z')).length).toBeGreaterThan(0);
      expect(fillsOf(result)).toEqual(run.fills);
      expect(Math.abs(result.finalValue - run.final_value)).toBeLessThanOrEqual(1e-6);
      expect(result.rejections).toBe(0);
    }
  });
});

describe('daily bars stamped at midnight New York (how Alpaca stamps 1Day bars)', () => {
  // Midnight New York is 05:00 UTC in winter, 04:00 in summer. 2019-02-18 is a holiday (no bar).
  const rows: Array<[string, number, number]> = [
    ['2019-02-11T05:00:00Z', 100, 100],
    ['2019-02-12T05:00:00Z', 100, 99], // fall
    ['2019-02-13T05:00:00Z', 99, 101], // rise after a fall: buy at the next session's open, 101.5
    ['2019-02-14T05:00:00Z', 101.5, 102],
    ['2019-02-15T05:00:00Z', 102, 101], // fall after a rise: sell at the next session's open (Tuesday 19th), 100.5
    ['2019-02-19T05:00:00Z', 100.5, 103], // rise: buy at 103.5
    ['2019-02-20T05:00:00Z', 103.5, 104], // last bar: marked at 104
  ];
  const expected = [
    { signal_time: '2019-02-13T05:00:00.000Z', fill_time: '2019-02-14T05:00:00.000Z', side: 'buy', qty: 10, price: 101.5 },
    { signal_time: '2019-02-15T05:00:00.000Z', fill_time: '2019-02-19T05:00:00.000Z', side: 'sell', qty: 10, price: 100.5 },
    { signal_time: '2019-02-19T05:00:00.000Z', fill_time: '2019-02-20T05:00:00.000Z', side: 'buy', qty: 10, price: 103.5 },
  ];

  it('each bar is its date’s session: the fills listed, none refused, times as stamped', async () => {
    const dir = scratch();
    const file = handFile(join(dir, 'SPY_1Day.csv'), rows, 't,o,h,l,c,v');
    const { result, summary } = await backtestCommand(dir, argsOf(file, oneTwo));
    expect(fillsOf(result)).toEqual(expected);
    expect(result.rejections).toBe(0);
    // 100,000 − 1,015 + 1,005 − 1,035 + 10 × 104
    expect(result.finalValue).toBeCloseTo(99_995, 9);
    expect(result.barTime).toEqual([expect.objectContaining({ stamps: 'session', barSeconds: null })]);
    expect(summary).toContain('SPY: daily bars stamped 00:00 New York, each its date’s session');
  });

  it('the shipped daily files stamped at midnight (across daylight saving), at 00:00 UTC, and as dates alone: the rules exactly', async () => {
    const dir = scratch();
    for (const symbol of ['SPY', 'AAPL', 'TSLA']) {
      const days = readNaiveNy(join(eqker, `${symbol}_daily.csv`));
      const dateOf = (t: number): string => new Date(t).toISOString().slice(0, 10);
      const layouts: Array<[string, (r: Row) => string, (t: number) => string]> = [
        ['midnight New York', (r) => new Date(r.time).toISOString().replace('.000Z', 'Z'), (t) => new Date(t).toISOString()],
        ['00:00 UTC', (r) => `${dateOf(r.time)}T00:00:00Z`, (t) => `${dateOf(t)}T00:00:00.000Z`],
      ];
      for (const strategy of [{ type: 'sma_cross', fast: 10, slow: 30, qty: 10 }, { type: 'rsi_reversion', period: 14, lower: 30, upper: 70, qty: 10 }] as const) {
        const dateOnly = (await backtestCommand(dir, argsOf(join(eqker, `${symbol}_daily.csv`), strategy))).result;
        for (const [name, write, stampOf] of layouts) {
          const file = join(dir, `${symbol}_daily.csv`);
          writeFileSync(file, `timestamp,open,high,low,close,volume\n${days.map((r) => `${write(r)},${r.open},${r.high},${r.low},${r.close},${r.volume}`).join('\n')}\n`);
          const { result } = await backtestCommand(dir, argsOf(file, strategy));
          const run = backtraderRun(
            days.map((r) => ({ stamp: stampOf(r.time), open: Number(r.open), close: Number(r.close) })),
            strategy,
          );
          expect(run.fills.length, `${symbol} ${strategy.type} ${name}`).toBeGreaterThan(2);
          expect(fillsOf(result), `${symbol} ${strategy.type} ${name}`).toEqual(run.fills);
          expect(Math.abs(result.finalValue - run.final_value)).toBeLessThanOrEqual(1e-6);
          expect(result.rejections).toBe(0);
          // Dates alone: the same trades (their times are the sessions' closes).
          expect(dateOnly.fills.map((f) => [f.side, f.qty, f.price])).toEqual(run.fills.map((f) => [f.side, f.qty, f.price]));
        }
      }
    }
  });
});

describe('files of 250,000 rows', () => {
  // Two years of generated minute bars (a seeded random walk over the NYSE sessions, early closes
  // included), stamped at their start.
  const rows: Row[] = syntheticBars(250_000).map((b) => ({ time: b.time - MINUTE, open: String(b.open), high: String(b.high), low: String(b.low), close: String(b.close), volume: String(b.volume) }));

  for (const strategy of [{ type: 'sma_cross', fast: 10, slow: 30, qty: 10 }, { type: 'rsi_reversion', period: 14, lower: 30, upper: 70, qty: 10 }] as const) {
    it(`${strategy.type}: the rules exactly, naive New York and Alpaca layouts (no stack overflow)`, async () => {
      const dir = scratch();
      const run = backtraderRun(ruleBars(rows), strategy);
      expect(run.fills.length).toBeGreaterThan(1000);
      for (const file of [writeNaiveNy(join(dir, 'SYN_1min.csv'), rows), writeAlpaca(join(dir, 'SYNA_1min.csv'), rows)]) {
        const { result } = await backtestCommand(dir, argsOf(file, strategy));
        expect(result.bars).toBe(250_000);
        expect(result.rejections).toBe(0);
        expect(fillsOf(result)).toEqual(run.fills);
        expect(Math.abs(result.finalValue - run.final_value)).toBeLessThanOrEqual(1e-6);
      }
    }, 120_000);
  }
});
