import { appendFileSync, copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readClosedTrades } from '../../src/persistence/readClosedTrades.js';
import { SnapshotStore } from '../../src/persistence/SnapshotStore.js';
import { curve, retention, savable, trade } from './savableState.js';

const T = Date.parse('2026-11-25T12:00:00Z');
const DAY = 86_400_000;
const scratch = (): string => mkdtempSync(join(tmpdir(), 'state-history-'));
const lines = (file: string): string[] => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
const latest = (dir: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, 'latest_state.json'), 'utf8')) as Record<string, unknown>;
const logs = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();

const a1 = trade('AAPL', T - 3 * DAY, 12.5);
const a2 = trade('MSFT', T - 2 * DAY, -4.25);
const a3 = trade('AAPL', T - DAY, 7);
const b1 = trade('SPY', T - 2 * DAY, 1.5);
/** Two trade lines a segment: every trade line of `six` is as long as the first. */
const six = Array.from({ length: 6 }, (_, i) => trade('AAPL', T + i * 1000, i + 1));
const twoLines = 2 * (JSON.stringify({ strategy: 's1', n: 0, ...six[0]! }).length + 1);
const c1 = curve([0.01, -0.005], [
  [T - 2 * DAY, 1010],
  [T - DAY, 1004.95],
]);
const c2 = curve([0.01, -0.005, 0.002], [
  [T - 2 * DAY, 1010],
  [T - DAY, 1004.95],
  [T, 1006.9599],
]);

describe('closed trades and equity history in append-only logs', () => {
  it('a save appends only what changed, the state file counts it, and a load reads it back exactly', () => {
    const dir = scratch();
    const store = new SnapshotStore(dir, retention());
    store.save(savable('r', { s1: [a1, a2], s2: [b1] }, { s1: c1 }), T);
    expect(lines(join(dir, 'closed_trades_000001.jsonl'))).toEqual([
      JSON.stringify({ strategy: 's1', n: 0, ...a1 }),
      JSON.stringify({ strategy: 's1', n: 1, ...a2 }),
      JSON.stringify({ strategy: 's2', n: 0, ...b1 }),
    ]);
    expect(lines(join(dir, 'equity_history_000001.jsonl'))).toEqual([
      '{"curve":"s1","n":0,"return":0.01}',
      '{"curve":"s1","n":1,"return":-0.005}',
      `{"curve":"s1","n":0,"time":${T - 2 * DAY},"close":1010}`,
      `{"curve":"s1","n":1,"time":${T - DAY},"close":1004.95}`,
    ]);
    const tradesBytes = statSync(join(dir, 'closed_trades_000001.jsonl')).size;
    const equityBytes = statSync(join(dir, 'equity_history_000001.jsonl')).size;
    const saved = latest(dir) as { engine: { runners: Record<string, { ledger: Record<string, unknown> }>; curves: { strategies: Record<string, Record<string, unknown>> } }; history: unknown };
    expect(saved.history).toEqual({ trades: { segment: 1, offset: tradesBytes }, equity: { segment: 1, offset: equityBytes } });
    expect(saved.engine.runners['s1']!.ledger).toEqual({ capital: 1000, cash: 1008.25, realized: 0, commissions: 0, lots: [], tradeCount: 2 });
    expect(saved.engine.curves.strategies['s1']).toMatchObject({ returnCount: 2, closeCount: 2 });
    expect('returns' in saved.engine.curves.strategies['s1']!).toBe(false);

    // The next save appends one trade and one day, nothing else.
    store.save(savable('r', { s1: [a1, a2, a3], s2: [b1] }, { s1: c2 }), null);
    expect(lines(join(dir, 'closed_trades_000001.jsonl'))).toHaveLength(4);
    expect(lines(join(dir, 'closed_trades_000001.jsonl'))[3]).toBe(JSON.stringify({ strategy: 's1', n: 2, ...a3 }));
    expect(lines(join(dir, 'equity_history_000001.jsonl')).slice(4)).toEqual(['{"curve":"s1","n":2,"return":0.002}', `{"curve":"s1","n":2,"time":${T},"close":1006.9599}`]);

    const warnings: string[] = [];
    const loaded = new SnapshotStore(dir, retention()).loadNewest((w) => warnings.push(w))!;
    expect(warnings).toEqual([]);
    expect(loaded.snapshot.engine).toEqual(savable('r', { s1: [a1, a2, a3], s2: [b1] }, { s1: c2 }).engine);
    expect(readClosedTrades(dir, () => {})).toEqual({ file: join(dir, 'latest_state.json'), savedAt: '2026-11-25T12:00:00.000Z', strategies: { s1: [a1, a2, a3], s2: [b1] } });
  });

  it('open lots are written as a table (names once) and read back as they were', () => {
    const dir = scratch();
    const base = savable('r', { s1: [a1] });
    const lot = (symbol: string, qty: number) => ({ symbol, mark: 101.5, direction: 'long' as const, qty, avgPrice: 100, entryTime: T, maxQty: qty, entryValue: 100 * qty, entryQty: qty, exitValue: 0, exitQty: 0, grossPnl: 0, commission: 1, pendingEntryCommission: 0 });
    const ledger = { ...base.engine.runners['s1']!.ledger, lots: [lot('AAPL', 10), lot('MSFT', 3)] };
    const state = { ...base, engine: { ...base.engine, runners: { s1: { ...base.engine.runners['s1']!, ledger } } } };
    new SnapshotStore(dir, retention()).save(state, null);
    const saved = latest(dir) as { engine: { runners: Record<string, { ledger: { lots: unknown } }> } };
    expect(saved.engine.runners['s1']!.ledger.lots).toEqual({
      fields: ['symbol', 'mark', 'direction', 'qty', 'avgPrice', 'entryTime', 'maxQty', 'entryValue', 'entryQty', 'exitValue', 'exitQty', 'grossPnl', 'commission', 'pendingEntryCommission'],
      rows: [
        ['AAPL', 101.5, 'long', 10, 100, T, 10, 1000, 10, 0, 0, 0, 1, 0],
        ['MSFT', 101.5, 'long', 3, 100, T, 3, 300, 3, 0, 0, 0, 1, 0],
      ],
    });
    expect(new SnapshotStore(dir, retention()).loadNewest(() => {})!.snapshot.engine.runners['s1']!.ledger).toEqual(ledger);
  });

  it('a state of version 3 (trades inline) restores, and its first save moves them to the logs', () => {
    const dir = scratch();
    copyFileSync(fileURLToPath(new URL('../fixtures/state/v3-3263fd4-trades-inline.json', import.meta.url)), join(dir, 'latest_state.json'));
    const v3 = JSON.parse(readFileSync(join(dir, 'latest_state.json'), 'utf8')) as { engine: { runners: Record<string, { ledger: { trades: unknown[] } }> } };
    const store = new SnapshotStore(dir, retention());
    const loaded = store.loadNewest(() => {})!;
    expect(loaded.snapshot.version).toBe(4);
    expect(Object.fromEntries(Object.entries(loaded.snapshot.engine.runners).map(([id, r]) => [id, r.ledger.trades.length]))).toEqual({ sma_fast_index: 14, sma_slow_tech: 5, sma_momentum: 25, rsi_banks: 8, rsi_fast_etf: 17 });
    for (const [id, r] of Object.entries(loaded.snapshot.engine.runners)) expect(r.ledger.trades).toEqual(v3.engine.runners[id]!.ledger.trades);

    store.save(loaded.snapshot, T);
    expect(lines(join(dir, 'closed_trades_000001.jsonl'))).toHaveLength(69);
    const saved = latest(dir) as { version: number; engine: { runners: Record<string, { ledger: Record<string, unknown> }> } };
    expect(saved.version).toBe(4);
    expect(saved.engine.runners['sma_momentum']!.ledger['tradeCount']).toBe(25);
    expect('trades' in saved.engine.runners['sma_momentum']!.ledger).toBe(false);
    expect(new SnapshotStore(dir, retention()).loadNewest(() => {})!.snapshot.engine).toEqual(loaded.snapshot.engine);
  });

  it('lines written after the state (a crash before the state file was replaced, a torn last line) are ignored with a warning, then cut', () => {
    const dir = scratch();
    const store = new SnapshotStore(dir, retention());
    store.save(savable('r', { s1: [a1] }), T);
    const file = join(dir, 'closed_trades_000001.jsonl');
    const offset = statSync(file).size;
    // The save after it appended a whole line and died writing the next one.
    appendFileSync(file, `${JSON.stringify({ strategy: 's1', n: 1, ...a2 })}\n{"strategy":"s1","n":2,"sym`);
    const extra = statSync(file).size - offset;
    // A reader (status, readiness) does not warn: a running daemon appends just before it writes its next state.
    const readerWarnings: string[] = [];
    expect(readClosedTrades(dir, (w) => readerWarnings.push(w))!.strategies).toEqual({ s1: [a1] });
    expect(readerWarnings).toEqual([]);
    const warnings: string[] = [];
    const restarted = new SnapshotStore(dir, retention());
    const loaded = restarted.loadNewest((w) => warnings.push(w))!;
    expect(warnings).toEqual([`${join(dir, 'latest_state.json')}: closed_trades_000001.jsonl: ${extra} bytes after byte ${offset} ignored (written by a save whose state was not written, or a torn last line)`]);
    expect(loaded.snapshot.engine.runners['s1']!.ledger.trades).toEqual([a1]);
    // Loading changes nothing on disk (a failed start must not); the first save cuts, then appends.
    expect(statSync(file).size).toBe(offset + extra);
    restarted.save(savable('r', { s1: [a1, a3] }), null);
    expect(lines(file)).toEqual([JSON.stringify({ strategy: 's1', n: 0, ...a1 }), JSON.stringify({ strategy: 's1', n: 1, ...a3 })]);
    const again: string[] = [];
    expect(new SnapshotStore(dir, retention()).loadNewest((w) => again.push(w))!.snapshot.engine.runners['s1']!.ledger.trades).toEqual([a1, a3]);
    expect(again).toEqual([]);
  });

  it('a backup restores on its own: it names how far into the logs it goes', () => {
    const dir = scratch();
    const store = new SnapshotStore(dir, retention());
    store.save(savable('first', { s1: [a1] }, { s1: c1 }), T);
    store.save(savable('second', { s1: [a1, a2, a3] }, { s1: c2 }), null);
    rmSync(join(dir, 'latest_state.json'));
    const warnings: string[] = [];
    const restarted = new SnapshotStore(dir, retention());
    const loaded = restarted.loadNewest((w) => warnings.push(w))!;
    expect(loaded.file).toBe(join(dir, store.backups()[0]!));
    expect(loaded.snapshot.runId).toBe('first');
    expect(loaded.snapshot.engine.runners['s1']!.ledger.trades).toEqual([a1]);
    expect(loaded.snapshot.engine.curves.strategies['s1']).toEqual(c1);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/closed_trades_000001\.jsonl: \d+ bytes after byte \d+ ignored/);
    expect(warnings[1]).toMatch(/equity_history_000001\.jsonl: \d+ bytes after byte \d+ ignored/);
    // Going on from the backup: what the lost latest state had added is cut, the run appends after the backup.
    restarted.save(savable('third', { s1: [a1, b1] }, { s1: c1 }), null);
    expect(restarted.loadNewest(() => {})!.snapshot.engine.runners['s1']!.ledger.trades).toEqual([a1, b1]);
    expect(lines(join(dir, 'closed_trades_000001.jsonl'))).toHaveLength(2);
  });

  it('closed trades rotate into segments, old segments are pruned, and a restore keeps the trades that remain, numbered on', () => {
    const dir = scratch();
    const r = retention(100, { tradesSegmentBytes: twoLines, tradesKeepDays: 30 });
    const store = new SnapshotStore(dir, r);
    const all = six;
    for (let i = 1; i <= 6; i++) store.save(savable('r', { s1: all.slice(0, i) }), null);
    expect(logs(dir).filter((f) => f.startsWith('closed_trades'))).toEqual(['closed_trades_000001.jsonl', 'closed_trades_000002.jsonl', 'closed_trades_000003.jsonl']);
    expect(readClosedTrades(dir, () => {})!.strategies).toEqual({ s1: all });

    // The first segment was last written 40 days ago, the second 10 days ago: the first goes at the next backup.
    const now = Date.now();
    utimesSync(join(dir, 'closed_trades_000001.jsonl'), new Date(now - 40 * DAY), new Date(now - 40 * DAY));
    utimesSync(join(dir, 'closed_trades_000002.jsonl'), new Date(now - 10 * DAY), new Date(now - 10 * DAY));
    store.save(savable('r', { s1: all }), now);
    expect(logs(dir).filter((f) => f.startsWith('closed_trades'))).toEqual(['closed_trades_000002.jsonl', 'closed_trades_000003.jsonl']);

    const restarted = new SnapshotStore(dir, r);
    const kept = restarted.loadNewest(() => {})!.snapshot.engine.runners['s1']!.ledger.trades;
    expect(kept).toEqual(all.slice(2));
    // The next trade is number 6 (the seventh), though the ledger holds four.
    const next = trade('MSFT', T + DAY, 2);
    restarted.save(savable('r', { s1: [...kept, next] }), null);
    expect(lines(join(dir, 'closed_trades_000004.jsonl'))).toEqual([JSON.stringify({ strategy: 's1', n: 6, ...next })]);
    expect((latest(dir) as { engine: { runners: Record<string, { ledger: { tradeCount: number } }> } }).engine.runners['s1']!.ledger.tradeCount).toBe(7);
    expect(readClosedTrades(dir, () => {})!.strategies).toEqual({ s1: [...all.slice(2), next] });
  });

  it('a strategy removed and added again starts its numbers again; the newer lines win', () => {
    const dir = scratch();
    const store = new SnapshotStore(dir, retention());
    store.save(savable('r', { s1: [a1, a2, a3] }), null);
    store.save(savable('r', {}), null);
    store.save(savable('r', { s1: [b1] }), null);
    expect(new SnapshotStore(dir, retention()).loadNewest(() => {})!.snapshot.engine.runners['s1']!.ledger.trades).toEqual([b1]);
  });

  it('a log that lost lines the state counts makes that state unusable, with the reason', () => {
    const dir = scratch();
    const store = new SnapshotStore(dir, retention(100, { tradesSegmentBytes: twoLines }));
    const all = six;
    for (let i = 1; i <= 6; i++) store.save(savable('r', { s1: all.slice(0, i) }, { s1: c1 }), null);
    rmSync(join(dir, 'closed_trades_000002.jsonl'));
    const warnings: string[] = [];
    expect(new SnapshotStore(dir, retention()).loadNewest((w) => warnings.push(w))).toBeNull();
    expect(warnings).toEqual([`${join(dir, 'latest_state.json')}: its closed trades or equity history cannot be read: closed_trades_000002.jsonl is missing (the state names closed_trades_000003.jsonl at byte ${statSync(join(dir, 'closed_trades_000003.jsonl')).size})`]);

    const other = scratch();
    const s2 = new SnapshotStore(other, retention());
    s2.save(savable('r', {}, { s1: c1 }), null);
    const eq = join(other, 'equity_history_000001.jsonl');
    const kept = lines(eq).filter((l) => !l.includes('"return":-0.005'));
    rmSync(eq);
    appendFileSync(eq, `${kept.join('\n')}\n`);
    const w2: string[] = [];
    expect(new SnapshotStore(other, retention()).loadNewest((w) => w2.push(w))).toBeNull();
    expect(w2[0]).toMatch(/its closed trades or equity history cannot be read: equity_history_000001\.jsonl has \d+ bytes, the state was saved after byte \d+$/);
  });
});
