import type { ClosedTrade } from '../portfolio/ClosedTrade.js';
import { AppendLog, type LogPosition } from './AppendLog.js';
import { toColumns, type Columns } from './columns.js';
import type { EngineState } from './engineStateSchema.js';

/** The closed trades of every strategy, one JSON line each: `{"strategy", "n", …the trade}`. */
export const TRADES_LOG = 'closed_trades';
/** The equity curves' daily returns and closes, one JSON line each: `{"curve" (null: the total), "n", "return"}` or `{…, "time", "close"}`. */
export const EQUITY_LOG = 'equity_history';

type Ledger = EngineState['runners'][string]['ledger'];
type Curve = NonNullable<EngineState['curves']['total']>;

/** A ledger as the state file holds it: its closed trades are in the trades log, `tradeCount` says how many it has had; its lots as a table. */
export type StoredLedger = Omit<Ledger, 'trades' | 'lots'> & { readonly tradeCount: number; readonly lots: Columns | Ledger['lots'] };
/** A curve as the state file holds it: its returns and closes are in the equity log, the counts say how many. */
export type StoredCurve = Omit<Curve, 'returns' | 'closeTimes' | 'closeValues'> & { readonly returnCount: number; readonly closeCount: number };
export type StoredEngineState = Omit<EngineState, 'runners' | 'curves'> & {
  readonly runners: Readonly<Record<string, { readonly runner: EngineState['runners'][string]['runner']; readonly ledger: StoredLedger }>>;
  readonly curves: { readonly total: StoredCurve | null; readonly strategies: Readonly<Record<string, StoredCurve>> };
};

/** Where the logs stood when a state was saved: a state reads them up to there. */
export interface HistoryPositions {
  readonly trades: LogPosition;
  readonly equity: LogPosition;
}

/** What a restored state says of the logs: their positions, and how far each ledger's and curve's lines go. */
export interface HistoryMark {
  readonly positions: HistoryPositions | null;
  /** Per strategy: the number (`n`) of its first trade kept in memory, and of the next one. */
  readonly trades: ReadonlyMap<string, { readonly base: number; readonly count: number }>;
  /** Per curve (null: the total): how many returns and closes are in the log. */
  readonly curves: ReadonlyMap<string | null, { readonly returns: number; readonly closes: number }>;
}

/**
 * Writes the parts of the state that only grow (closed trades, daily returns and closes) to
 * append-only logs beside the state file, and gives the rest of the state to be written whole:
 * a save costs what changed since the last one, not every trade ever closed. It knows how many
 * lines of each ledger and curve are in the logs (from the state it was restored from, then from
 * its own appends); a line is numbered (`n`), and a later line of the same number supersedes an
 * earlier one (a strategy removed, then added again, starts again at 0).
 */
export class StateHistory {
  readonly #trades: AppendLog;
  readonly #equity: AppendLog;
  #tradeCounts = new Map<string, { base: number; count: number }>();
  #curveCounts = new Map<string | null, { returns: number; closes: number }>();

  constructor(dir: string, tradesSegmentBytes: number) {
    this.#trades = new AppendLog(dir, TRADES_LOG, tradesSegmentBytes);
    // The equity history is small (two lines per curve and day) and never pruned: one segment a year or more.
    this.#equity = new AppendLog(dir, EQUITY_LOG, 64 * 2 ** 20);
  }

  /** Continues the logs of a restored state (null: a state of an earlier version, which had them inline). */
  resume(mark: HistoryMark | null): void {
    this.#trades.continueFrom(mark?.positions?.trades ?? null);
    this.#equity.continueFrom(mark?.positions?.equity ?? null);
    this.#tradeCounts = new Map([...(mark?.trades ?? [])].map(([id, c]) => [id, { ...c }]));
    this.#curveCounts = new Map([...(mark?.curves ?? [])].map(([id, c]) => [id, { ...c }]));
  }

  /** The logs were archived: the next lines start new ones, every ledger and curve from its start. */
  reset(): void {
    this.#trades.reset();
    this.#equity.reset();
    this.#tradeCounts.clear();
    this.#curveCounts.clear();
  }

  /** Appends what `engine` has that the logs do not (fsynced), and returns the engine state without it (open lots as a table). */
  write(engine: EngineState): { engine: StoredEngineState; history: HistoryPositions } {
    const tradeLines: string[] = [];
    const tradeCounts = new Map<string, { base: number; count: number }>();
    const runners: Record<string, StoredEngineState['runners'][string]> = {};
    for (const [id, { runner, ledger }] of Object.entries(engine.runners)) {
      let c = this.#tradeCounts.get(id) ?? { base: 0, count: 0 };
      // A ledger with fewer trades than written is another ledger under the same id: it starts again at 0.
      if (ledger.trades.length < c.count - c.base) c = { base: 0, count: 0 };
      for (let i = c.count - c.base; i < ledger.trades.length; i++) tradeLines.push(tradeLine(id, c.base + i, ledger.trades[i]!));
      const count = c.base + ledger.trades.length;
      tradeCounts.set(id, { base: c.base, count });
      const { trades: _inLog, lots, ...rest } = ledger;
      runners[id] = { runner, ledger: { ...rest, lots: toColumns(lots), tradeCount: count } };
    }
    const equityLines: string[] = [];
    const curveCounts = new Map<string | null, { returns: number; closes: number }>();
    const store = (key: string | null, curve: Curve): StoredCurve => {
      let c = this.#curveCounts.get(key) ?? { returns: 0, closes: 0 };
      if (curve.returns.length < c.returns || curve.closeTimes.length < c.closes) c = { returns: 0, closes: 0 };
      for (let i = c.returns; i < curve.returns.length; i++) equityLines.push(JSON.stringify({ curve: key, n: i, return: curve.returns[i] }));
      for (let i = c.closes; i < curve.closeTimes.length; i++) equityLines.push(JSON.stringify({ curve: key, n: i, time: curve.closeTimes[i], close: curve.closeValues[i] }));
      curveCounts.set(key, { returns: curve.returns.length, closes: curve.closeTimes.length });
      const { returns: _r, closeTimes: _t, closeValues: _v, ...rest } = curve;
      return { ...rest, returnCount: curve.returns.length, closeCount: curve.closeTimes.length };
    };
    const curves = {
      total: engine.curves.total === null ? null : store(null, engine.curves.total),
      strategies: Object.fromEntries(Object.entries(engine.curves.strategies).map(([id, c]) => [id, store(id, c)])),
    };
    // The lines are on disk before the state that counts them is written.
    const history = { trades: this.#trades.append(tradeLines), equity: this.#equity.append(equityLines) };
    this.#tradeCounts = tradeCounts;
    this.#curveCounts = curveCounts;
    return { engine: { ...engine, runners, curves }, history };
  }

  /** Removes closed-trade segments last written more than `keepMs` ago (the trades log's own retention); returns their names. */
  pruneTrades(keepMs: number, now: number): string[] {
    return this.#trades.prune(keepMs, now);
  }
}

function tradeLine(strategy: string, n: number, t: ClosedTrade): string {
  return JSON.stringify({ strategy, n, ...t });
}
