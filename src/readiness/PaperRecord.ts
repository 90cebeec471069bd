import type { OutboxStatus } from '../notify/Outbox.js';
import type { RunRecord } from '../persistence/RunRegistry.js';
import type { ClosedTrade } from '../portfolio/ClosedTrade.js';
import type { Drawdown } from '../portfolio/EquityCurve.js';

/** One New York trading day of a strategy's paper trading: its closing equity and its return. */
export interface PaperDay {
  /** New York date, YYYY-MM-DD. */
  readonly date: string;
  /** Market time of the day's last equity point. */
  readonly time: number;
  readonly equity: number;
  /** The day's return, net of capital moved in or out (a deposit is not a gain). */
  readonly return: number;
}

/** A position still open at the end of the record: the entry of a round trip not closed yet. */
export interface PaperOpenLot {
  readonly symbol: string;
  readonly direction: 'long' | 'short';
  readonly qty: number;
  readonly entryTime: number;
  /** Volume-weighted entry price. */
  readonly entryPrice: number;
}

/** A circuit-breaker trip of the strategy (market time). */
export interface PaperBreakerTrip {
  readonly time: number;
  readonly rule: string;
  readonly message: string;
}

/** Everything the daemon recorded of one strategy's paper trading. */
export interface StrategyPaperRecord {
  readonly id: string;
  /** The paper capital it trades now. */
  readonly capital: number;
  readonly status: 'active' | 'paused' | 'faulted';
  /** Every trading day with equity points, oldest first (the last one may be under way). */
  readonly days: readonly PaperDay[];
  /** The worst fall over every equity point of the whole record (not only daily closes). */
  readonly drawdown: Drawdown;
  /** Share of the equity points at which a position was open. */
  readonly exposure: number;
  /** Closed round trips, oldest first. */
  readonly trades: readonly ClosedTrade[];
  readonly openLots: readonly PaperOpenLot[];
  /** Fills booked. */
  readonly fills: number;
  /** Circuit-breaker trips, oldest first. */
  readonly breakerTrips: readonly PaperBreakerTrip[];
}

/**
 * The paper record the live checklist is judged on, whatever files hold it (readPaperRecord builds
 * it from the state file, runs.json, the breaker log and the Telegram outbox).
 */
export interface PaperRecord {
  /** The state directory it was read from. */
  readonly dir: string;
  readonly mode: 'sim' | 'alpaca';
  /** When the state was saved (wall time, ISO). */
  readonly savedAt: string;
  /** Market time of the last bar processed; null before any. */
  readonly marketTime: number | null;
  /** Every run of this record, oldest first: the configuration history (fingerprints since runs.json version 2). */
  readonly runs: readonly RunRecord[];
  readonly strategies: ReadonlyMap<string, StrategyPaperRecord>;
  /** The Telegram outbox's deliveries; null when there is no outbox file. */
  readonly deliveries: OutboxStatus | null;
  /** Files that could not be read in part (said in the report). */
  readonly warnings: readonly string[];
}
