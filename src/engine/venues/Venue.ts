import type { Broker, BrokerAccount } from '../../broker/Broker.js';
import type { Bar } from '../../core/Bar.js';
import type { Clock } from '../../core/Clock.js';
import type { BarBatch } from '../../market-data/ReplayFeed.js';
import type { Alert } from '../../notify/Notifier.js';
import type { EngineState } from '../../persistence/engineStateSchema.js';
import type { LoadedSnapshot } from '../../persistence/SnapshotStore.js';
import type { MarketCalendar } from '../../risk/calendar/MarketCalendar.js';
import type { BreakerLimits } from '../../risk/CircuitBreaker.js';
import type { BuyingPowerReading } from '../../risk/rules/accountBuyingPower.js';
import type { TradingCore } from '../buildTradingCore.js';
import type { StrategySpec } from '../StrategySpec.js';

/** What a venue may use of the engine once the core exists. */
export interface VenueContext {
  readonly core: TradingCore;
  /** An alert to the owner (Telegram or the log). */
  notify(alert: Alert): void;
  /** False once a stop began: a venue starts nothing more. */
  running(): boolean;
  /** Something worth saving happened at the venue (an order went out). */
  changed(): void;
}

/** The market data's state: `replaying`/`replay finished` offline; `connecting`, `live`, `down`, `silent` on Alpaca. */
export const FeedState = { NotStarted: 'not started', Replaying: 'replaying', ReplayFinished: 'replay finished', Connecting: 'connecting', Live: 'live', Down: 'down', Silent: 'silent', Stopped: 'stopped' } as const;
export type FeedState = (typeof FeedState)[keyof typeof FeedState];

/** What /healthz, /metrics and the dashboard read of the venue. */
export interface VenueHealth {
  /** Why the broker cannot be relied on now (the trade-updates stream down), null when it can. */
  readonly broker: string | null;
  readonly feed: FeedState;
  /** Why the feed is unhealthy (down, silent while the market is open), null when it is not. */
  readonly feedProblem: string | null;
  /** Reconnections of each stream since the start (none offline). */
  readonly reconnects: Readonly<Record<string, number>>;
  /** Alpaca's request budget: tokens left of `perMinute`, requests waiting; null offline. */
  readonly requestBudget: { readonly perMinute: number; readonly available: number; readonly waiting: number } | null;
}

/** Where the bars come from and the orders go: the one thing that differs between the modes. */
export interface Venue {
  readonly mode: 'sim' | 'alpaca';
  /** How the owner hears the mode named: `offline simulation`, `Alpaca paper`, `Alpaca LIVE`. */
  readonly name: string;

  /**
   * Before any state file is touched: checks what the venue needs (the account and its keys, the
   * data files, the capital against the account) and learns its calendar and clock. Throws a
   * UserError (or a network error) naming what is wrong.
   */
  open(strategies: readonly StrategySpec[]): Promise<void>;
  readonly broker: Broker;
  /** Market time: the replay's, or the venue's clock. */
  readonly clock: Clock;
  readonly calendar: MarketCalendar;
  /** The offline account's starting cash (version-1 state files need it), null on Alpaca. */
  readonly startingCash: number | null;
  /** The circuit breakers' limits (live trading caps them). */
  readonly breakers: { readonly strategies: ReadonlyMap<string, BreakerLimits>; readonly account: BreakerLimits };
  readonly estimateCommission: (qty: number, price: number) => number;
  /** The account's buying power as last read from the broker (a new object at each reading), null while unknown. */
  readonly accountBuyingPower: () => BuyingPowerReading | null;
  /** Why entries must wait now, null when they need not (Alpaca: the trade stream, unexplained positions). */
  readonly venueNotReady?: () => string | null;

  /** The core exists and listens: the venue hooks what it needs (the order journal). */
  attach(ctx: VenueContext): void;
  /**
   * A fresh start (`restored` null) or the venue's part of a restore, after the books were put
   * back: the simulated account (checked against the books to the cent), or the broker's books and
   * the orders of the journal. Returns the unallocated cash when the venue keeps it (offline).
   */
  restore(restored: { readonly loaded: LoadedSnapshot; readonly state: EngineState } | null): number | null;
  /**
   * Hears the venue and catches up on what happened while the daemon was down, then lists what the
   * venue holds that no strategy's books explain (positions, open orders, another daemon's runs).
   */
  connect(restored: LoadedSnapshot | null): Promise<string[]>;
  /** History for the indicators (completed bars at the strategies' timeframe), and a line for the log. */
  warmUp(): Promise<{ readonly bars: readonly Bar[]; readonly lastTime: number | null; readonly note: string }>;
  /** Starts the live bars (batches at a time); `resumeAfter` is the last bar the strategies saw; `onIdle` when no more will come (a replay's end). */
  start(resumeAfter: number | null, onBatch: (batch: BarBatch) => void, onIdle: () => void): Promise<void>;
  /** One batch to the core, the venue's way (offline: fills on the bar first); false when nothing reached the strategies. */
  deliver(batch: BarBatch, lastBarTimes: Map<string, number>): boolean;
  /** The account as the venue has it now (the state file's account). */
  account(): BrokerAccount;
  /** Asks the venue for its account again (Alpaca); offline it is always current. */
  refreshAccount(): Promise<void>;
  /** What the state file keeps of the venue. */
  save(): Pick<EngineState, 'venue' | 'broker'>;
  /** A state file with every order sent so far was written (the journal can be emptied). */
  saved(): void;
  /** No more bars (first step of a stop). */
  stopIntake(): void;
  /** No more booking (after the last account refresh, before the ledgers stop listening). */
  stopBooking(): void;
  /** Files and connections closed (last step of a stop). */
  close(): void;
  /** The broker's and the feed's state now. */
  health(): VenueHealth;
}
