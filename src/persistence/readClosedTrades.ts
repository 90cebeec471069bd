import type { ClosedTrade } from '../portfolio/ClosedTrade.js';
import { loadNewestState, type LoadedSnapshot } from './SnapshotStore.js';

/** The closed trades of a state directory's newest state, per strategy, oldest first. */
export interface SavedClosedTrades {
  /** The state file they belong to, and when it was saved. */
  readonly file: string;
  readonly savedAt: string;
  /** Per strategy: the trades the logs still hold (retention, `state.trades_keep_days`, may have removed the oldest). */
  readonly strategies: Readonly<Record<string, readonly ClosedTrade[]>>;
}

/**
 * The one reader of closed trades (status, readiness, anything outside the engine): the newest
 * state of `dir` that can be restored, with each strategy's closed trades read from the
 * append-only log beside it (`closed_trades_<n>.jsonl`, up to the position that state names; a
 * state of version 3 or earlier still has them inline). `warn` gets one line per state file that
 * could not be used. Null when the directory holds no usable state.
 */
export function readClosedTrades(dir: string, warn: (warning: string) => void): SavedClosedTrades | null {
  // Reading never upgrades a version-1 file (only the offline daemon, knowing its starting cash, can).
  // Lines after the state's position are not news to a reader: a running daemon appends them just before it writes the next state.
  const found = loadNewestState(dir, { startingCash: null }, warn, () => {});
  if (found === null) return null;
  return closedTradesOf(found);
}

/** The closed trades of a state already loaded (SnapshotStore.loadNewest / loadNewestState: read back from the logs). */
export function closedTradesOf(loaded: LoadedSnapshot): SavedClosedTrades {
  const strategies = Object.fromEntries(Object.entries(loaded.snapshot.engine.runners).map(([id, r]) => [id, r.ledger.trades as readonly ClosedTrade[]]));
  return { file: loaded.file, savedAt: loaded.snapshot.timestamp, strategies };
}
