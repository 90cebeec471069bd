import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';
import type { BacktestResult } from '../../src/backtest/BacktestResult.js';
import { runBacktestCommand } from '../../src/cli/backtestCommand.js';
import { NEW_YORK, wallTimeToUtc, zoneOffset } from '../../src/market-data/zonedTime.js';
import type { RuleBar } from './backtraderRules.js';

/** A row of bars: the instant it is stamped with (UTC ms) and its prices. */
export interface Row {
  readonly time: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
}

/** Rows of a `datetime,open,high,low,close,volume` file with naive New York stamps (the eqker files), oldest first. */
export function readNaiveNy(file: string): Row[] {
  const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);
  return lines
    .map((line) => {
      const [stamp, open, high, low, close, volume] = line.split(',') as [string, string, string, string, string, string];
      const [d, t = '00:00:00'] = stamp.split(' ') as [string, string?];
      const [y, mo, da] = d.split('-').map(Number) as [number, number, number];
      const [h, mi, s] = t.split(':').map(Number) as [number, number, number];
      return { time: wallTimeToUtc(y, mo, da, h, mi, s, 0, NEW_YORK), open, high, low, close, volume };
    })
    .sort((a, b) => a.time - b.time);
}

/** `YYYY-MM-DD HH:MM:SS`, New York wall time. */
export function nyWall(ms: number): string {
  return new Date(ms + zoneOffset(ms, NEW_YORK)).toISOString().slice(0, 19).replace('T', ' ');
}

export const isoZ = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Writes rows as `datetime,…` with naive New York stamps (`stamp` moves each row's instant). */
export function writeNaiveNy(file: string, rows: readonly Row[], stamp: (time: number) => number = (t) => t): string {
  writeFileSync(file, `datetime,open,high,low,close,volume\n${rows.map((r) => `${nyWall(stamp(r.time))},${r.open},${r.high},${r.low},${r.close},${r.volume}`).join('\n')}\n`);
  return file;
}

/** Writes rows in Alpaca's `t,o,h,l,c,v` layout, ISO-8601 UTC. */
export function writeAlpaca(file: string, rows: readonly Row[], stamp: (time: number) => number = (t) => t): string {
  writeFileSync(file, `t,o,h,l,c,v\n${rows.map((r) => `${isoZ(stamp(r.time))},${r.open},${r.high},${r.low},${r.close},${r.volume}`).join('\n')}\n`);
  return file;
}

/** The rows as backtrader steps them, each named by `stamp(time)`. */
export function ruleBars(rows: readonly Row[], stamp: (time: number) => number = (t) => t): RuleBar[] {
  return rows.map((r) => ({ stamp: new Date(stamp(r.time)).toISOString(), open: Number(r.open), close: Number(r.close) }));
}

/** `npm run backtest -- ARGS --out FILE` in this process (its summary is swallowed): the JSON it writes, and the summary. */
export async function backtestCommand(dir: string, args: readonly string[]): Promise<{ result: BacktestResult; summary: string }> {
  const out = join(dir, `r${Math.random().toString(36).slice(2)}.json`);
  let summary = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    summary += String(chunk);
    return true;
  });
  try {
    await runBacktestCommand([...args, '--out', out]);
  } finally {
    spy.mockRestore();
  }
  return { result: JSON.parse(readFileSync(out, 'utf8')) as BacktestResult, summary };
}

/** The fills of a result in the references' shape. */
export function fillsOf(r: BacktestResult): Array<{ signal_time: string; fill_time: string; side: string; qty: number; price: number }> {
  return r.fills.map((f) => ({ signal_time: f.signalTime, fill_time: f.fillTime, side: f.side, qty: f.qty, price: f.price }));
}
