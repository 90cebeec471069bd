import type { ClosedTrade } from '../../src/portfolio/ClosedTrade.js';
import type { EngineState } from '../../src/persistence/engineStateSchema.js';
import type { SavableState, StateRetention } from '../../src/persistence/SnapshotStore.js';

/** The retention of the configuration's defaults, `newest` backups. */
export const retention = (newest = 100, o: Partial<StateRetention> = {}): StateRetention => ({
  newestBackups: newest,
  dailyBackupDays: 31,
  archives: 10,
  tradesSegmentBytes: 4 * 2 ** 20,
  tradesKeepDays: 730,
  ...o,
});

/** A closed trade of `symbol` closed at `exit` (ms) for `netPnl`. */
export const trade = (symbol: string, exit: number, netPnl: number): ClosedTrade => ({
  symbol,
  direction: 'long',
  qty: 10,
  entryTime: exit - 60_000,
  exitTime: exit,
  entryPrice: 100,
  exitPrice: 100 + netPnl / 10,
  grossPnl: netPnl,
  commission: 0,
  netPnl,
});

type Curve = NonNullable<EngineState['curves']['total']>;

/** A curve with these daily returns and closes (the rest as a curve that has seen them). */
export const curve = (returns: number[], closes: Array<[number, number]>): Curve => ({
  pending: null,
  points: closes.length,
  exposedPoints: 0,
  returns,
  previousClose: closes.at(-1)?.[1] ?? 1000,
  close: closes.at(-1)?.[1] ?? 1000,
  dayEnd: null,
  peak: 1000,
  peakTime: null,
  depth: 0,
  worstPeakTime: null,
  troughTime: null,
  recoveryTime: null,
  lastTime: closes.at(-1)?.[0] ?? null,
  stride: 1,
  closeTimes: closes.map((c) => c[0]),
  closeValues: closes.map((c) => c[1]),
  todayTimes: [],
  todayValues: [],
  sampleTimes: [],
  sampleValues: [],
});

/** A state to save: run `runId`, the strategies' closed trades and curves as given. */
export function savable(runId: string, trades: Record<string, ClosedTrade[]> = {}, curves: Record<string, Curve> = {}, total: Curve | null = null): SavableState & { runId: string } {
  const engine: EngineState = {
    lastBarTime: null,
    lastBarTimes: {},
    fills: {},
    venue: null,
    broker: null,
    execution: { seq: 1, inFlight: [], held: [] },
    runners: Object.fromEntries(
      Object.entries(trades).map(([id, t]) => [
        id,
        { runner: { status: 'active', pauseReason: null, open: [], denials: {} }, ledger: { capital: 1000, cash: 1000 + t.reduce((a, x) => a + x.netPnl, 0), realized: 0, commissions: 0, lots: [], trades: t } },
      ]),
    ),
    breakers: null,
    curves: { total, strategies: curves },
    unallocatedCash: null,
    lastClose: null,
    capitalFlows: [],
  };
  return { version: 4, timestamp: '2026-11-25T12:00:00.000Z', runId, mode: 'sim', engine } as SavableState & { runId: string };
}
