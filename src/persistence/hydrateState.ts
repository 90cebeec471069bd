import { z } from 'zod';
import { formatIssuePath } from '../config/formatIssuePath.js';
import { fromColumns } from './columns.js';
import { readLog, type LogLine } from './readLog.js';
import { EQUITY_LOG, TRADES_LOG, type HistoryMark } from './StateHistory.js';

type Json = Record<string, unknown>;
/** A kind of line and its owner (null: the total curve; no strategy id holds a control character). */
const ownerKey = (kind: string, id: string | null): string => `${kind}\u0000${id ?? '\u0001'}`;
const obj = (x: unknown): Json => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Json) : {});
const count = z.number().int().nonnegative();
const position = z.strictObject({ segment: z.number().int().positive(), offset: count });
const historySchema = z.strictObject({ trades: position, equity: position });
const isCount = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;

/**
 * Numbered lines by kind and owner (`owner` names the field: `strategy`, or `curve` where null is
 * the total); a later line of the same number supersedes an earlier one. A line without its owner
 * or number cannot be placed: throws, naming it. (Checked by hand: a zod parse per line would cost
 * more than the restore's whole budget at tens of thousands of trades; the fields are validated
 * with the state.)
 */
function byOwner(lines: readonly LogLine[], owner: 'strategy' | 'curve', kind: (l: Json) => string): Map<string, Map<number, Json>> {
  const out = new Map<string, Map<number, Json>>();
  for (const { value, segment, line: number } of lines) {
    const line = obj(value);
    const id = line[owner];
    if (!(typeof id === 'string' || (owner === 'curve' && id === null))) throw new Error(`${segment}:${number}: ${owner}: expected ${owner === 'curve' ? 'a strategy id or null' : 'a strategy id'}`);
    if (!isCount(line['n'])) throw new Error(`${segment}:${number}: n: expected a whole number ≥ 0`);
    const key = ownerKey(kind(line), id);
    let m = out.get(key);
    if (m === undefined) out.set(key, (m = new Map()));
    m.set(line['n'], line);
  }
  return out;
}

/** A trade line without its owner and number: the trade (a line with other fields keeps them, for validation to name). */
function tradeOf(l: Json): Json {
  if (Object.keys(l).length !== 12) {
    const { strategy: _s, n: _n, ...rest } = l;
    return rest;
  }
  const { symbol, direction, qty, entryTime, exitTime, entryPrice, exitPrice, grossPnl, commission, netPnl } = l;
  return { symbol, direction, qty, entryTime, exitTime, entryPrice, exitPrice, grossPnl, commission, netPnl };
}

/**
 * A state file of version 4 with its closed trades and equity history read back from the logs
 * beside it (up to the positions it names), in the shape the engine restores: each ledger's
 * `trades` (and its `lots` from their table), each curve's `returns`, `closeTimes` and `closeValues`. A ledger gets the trades the
 * logs still hold (the oldest may have been removed by retention: its trades then start later);
 * the equity history is never removed and must be complete. Throws, with the reason, when the logs
 * do not hold what the state counts. Also returns where the logs stood, for the next save.
 */
export function hydrateState(raw: Json, dir: string, warn: (warning: string) => void): { state: Json; mark: HistoryMark } {
  const h = historySchema.safeParse(raw['history']);
  if (!h.success) throw new Error(`${formatIssuePath(['history', ...h.error.issues[0]!.path])}: ${h.error.issues[0]!.message}`);
  const positions = h.data;
  const engine = obj(raw['engine']);

  const trades = byOwner(readLog(dir, TRADES_LOG, positions.trades, warn), 'strategy', () => 'trade');
  const tradeMark = new Map<string, { base: number; count: number }>();
  const runners = Object.fromEntries(
    Object.entries(obj(engine['runners'])).map(([id, r]) => {
      const { tradeCount, lots, ...ledger } = obj(obj(r)['ledger']);
      const n = count.safeParse(tradeCount);
      if (!n.success) throw new Error(`engine.runners.${id}.ledger.tradeCount: ${n.error.issues[0]!.message}`);
      const lines = trades.get(ownerKey('trade', id)) ?? new Map<number, Json>();
      // The trades kept: the run of numbers up to the newest (older segments may have been pruned).
      let base = n.data;
      while (base > 0 && lines.has(base - 1)) base--;
      if (n.data > 0 && base === n.data) throw new Error(`${TRADES_LOG}: strategy ${id} has had ${n.data} closed trades, the newest is not in the log`);
      const kept: Json[] = [];
      for (let i = base; i < n.data; i++) kept.push(tradeOf(lines.get(i)!));
      tradeMark.set(id, { base, count: n.data });
      return [id, { ...obj(r), ledger: { ...ledger, lots: fromColumns(lots, `engine.runners.${id}.ledger.lots`), trades: kept } }];
    }),
  );

  const equity = byOwner(readLog(dir, EQUITY_LOG, positions.equity, warn), 'curve', (l) => ('return' in l ? 'return' : 'close'));
  const curveMark = new Map<string | null, { returns: number; closes: number }>();
  const curve = (id: string | null, c: unknown): Json => {
    const { returnCount, closeCount, ...rest } = obj(c);
    const what = id === null ? 'the total curve' : `the curve of ${id}`;
    const counts = z.strictObject({ returnCount: count, closeCount: count }).safeParse({ returnCount, closeCount });
    if (!counts.success) throw new Error(`${what}: ${formatIssuePath(counts.error.issues[0]!.path)}: ${counts.error.issues[0]!.message}`);
    const take = (kind: string, n: number): Json[] => {
      const lines = equity.get(ownerKey(kind, id)) ?? new Map<number, Json>();
      const out: Json[] = [];
      for (let i = 0; i < n; i++) {
        const line = lines.get(i);
        if (line === undefined) throw new Error(`${EQUITY_LOG}: ${what} has ${n} daily ${kind}s, number ${i} is not in the log`);
        out.push(line);
      }
      return out;
    };
    const returns = take('return', counts.data.returnCount);
    const closes = take('close', counts.data.closeCount);
    curveMark.set(id, { returns: counts.data.returnCount, closes: counts.data.closeCount });
    return { ...rest, returns: returns.map((l) => l['return']), closeTimes: closes.map((l) => l['time']), closeValues: closes.map((l) => l['close']) };
  };
  const curves = obj(engine['curves']);
  const total = curves['total'] === null || curves['total'] === undefined ? null : curve(null, curves['total']);
  const strategies = Object.fromEntries(Object.entries(obj(curves['strategies'])).map(([id, c]) => [id, curve(id, c)]));

  const { history: _history, ...rest } = raw;
  return {
    state: { ...rest, engine: { ...engine, runners, curves: { ...curves, total, strategies } } },
    mark: { positions, trades: tradeMark, curves: curveMark },
  };
}
