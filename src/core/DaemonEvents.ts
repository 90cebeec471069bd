import type { Bar } from './Bar.js';
import type { Fill } from './Fill.js';
import type { Order, OrderIntent, OrderRequest } from './Order.js';
import type { OrderEvent } from './OrderEvent.js';
import type { ClosedTrade } from '../portfolio/ClosedTrade.js';
import type { BreakerAction, BreakerRule } from '../risk/CircuitBreaker.js';

/** Every event on the in-process bus, by name. */
export interface DaemonEvents {
  /** A completed bar, live or replayed (warm-up history does not go through the bus). */
  bar: Bar;
  /** The RiskGate allowed an intent and the order went to the broker. */
  'order.submitted': { readonly strategyId: string; readonly request: OrderRequest; readonly time: number };
  /** The RiskGate refused an intent. */
  'order.denied': {
    readonly strategyId: string;
    readonly intent: OrderIntent;
    readonly rule: string;
    readonly reason: string;
    readonly time: number;
  };
  /** A broker event for an order this daemon sent, attributed to its strategy. */
  'order.update': { readonly strategyId: string; readonly event: OrderEvent };
  /** An order ended (or was canceled before it went out): held orders may go now. Emitted after its `order.update`, so the ledgers have booked it. */
  'orders.settled': Readonly<Record<string, never>>;
  /** A broker event for an order no strategy owns: reported, never absorbed. */
  'order.unattributed': { readonly event: OrderEvent };
  /** Live market data had a hole (a reconnection, a missing minute): `backfilled` bars were fetched over REST and delivered first. */
  'data.gap': { readonly from: number; readonly to: number; readonly backfilled: number };
  /** A fill booked in a strategy's ledger. */
  'fill.booked': {
    readonly strategyId: string;
    readonly fill: Fill;
    /** The order after this fill (its `submittedAt` is when the strategy asked for it). */
    readonly order: Order;
    readonly realizedPnl: number;
    readonly closedTrade: ClosedTrade | null;
    readonly positionAfter: number;
    readonly cashAfter: number;
  };
  /** A circuit breaker paused its scope (a strategy id, or `account`). */
  'breaker.tripped': {
    readonly scope: string;
    readonly rule: BreakerRule;
    readonly value: number;
    readonly threshold: number;
    readonly time: number;
    readonly message: string;
    readonly action: BreakerAction;
  };
  /** A circuit breaker re-armed at a new session or was resumed by hand. */
  'breaker.resumed': { readonly scope: string; readonly rule: BreakerRule; readonly time: number; readonly reason: string };
  /** A strategy threw or broke an invariant; it is paused. */
  'strategy.faulted': { readonly strategyId: string; readonly error: unknown; readonly time: number };
}
