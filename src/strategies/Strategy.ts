import type { Bar } from '../core/Bar.js';
import type { OrderRejection, StrategyContext, StrategyFill } from './StrategyContext.js';

/**
 * Base of every strategy. `onBar` is called once per bar of the strategy's symbols, in time order
 * (bars of one timestamp in symbol order), first over the warm-up history, then live. It updates
 * indicators and, when its rule holds, asks for orders through the context. The same code runs in
 * backtests, offline paper trading and on Alpaca.
 *
 * A strategy that throws is paused by its runner and its owner alerted; the others go on.
 */
export abstract class Strategy<Params = unknown> {
  readonly params: Params;

  constructor(params: Params) {
    this.params = params;
  }

  abstract onBar(bar: Bar, ctx: StrategyContext): void;

  /** A fill of one of this strategy's orders has been booked in its ledger. */
  onFill(_fill: StrategyFill, _ctx: StrategyContext): void {}

  /** An intent was refused by the RiskGate or rejected/canceled by the broker. */
  onOrderRejected(_rejection: OrderRejection, _ctx: StrategyContext): void {}
}
