import type { DaemonEvents } from '../core/DaemonEvents.js';
import type { OrderSide } from '../core/Order.js';
import type { ClosedTrade } from '../portfolio/ClosedTrade.js';

/** One booked fill, read back for the report. */
export interface BookedFill {
  readonly strategy: number;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly qty: number;
  readonly price: number;
  readonly commission: number;
  readonly time: number;
  /** When its order was sent (the close of the bar the strategy decided on). */
  readonly submittedAt: number;
}

/**
 * The fills a backtest books, in booking order, as columns of numbers and shared strings: the
 * events, orders and fills of the venue are garbage as soon as they are booked (a run of hundreds
 * of thousands of fills keeps no object per fill alive while it runs; the garbage collector copies
 * nothing for them). Strategies are numbered by the caller; closed round trips are the ledgers'.
 */
export class BookedFills {
  readonly #strategy: number[] = [];
  readonly #symbol: string[] = [];
  readonly #side: OrderSide[] = [];
  readonly #qty: number[] = [];
  readonly #price: number[] = [];
  readonly #commission: number[] = [];
  readonly #time: number[] = [];
  readonly #submittedAt: number[] = [];
  /** Round trips closed by a fill, with the fill's strategy, in booking order. */
  readonly #tradeStrategy: number[] = [];
  readonly #trades: ClosedTrade[] = [];
  readonly #perStrategy: number[] = [];

  get length(): number {
    return this.#qty.length;
  }

  record(strategy: number, e: DaemonEvents['fill.booked']): void {
    const f = e.fill;
    this.#strategy.push(strategy);
    this.#symbol.push(f.symbol);
    this.#side.push(f.side);
    this.#qty.push(f.qty);
    this.#price.push(f.price);
    this.#commission.push(f.commission);
    this.#time.push(f.time);
    this.#submittedAt.push(e.order.submittedAt);
    while (this.#perStrategy.length <= strategy) this.#perStrategy.push(0);
    this.#perStrategy[strategy]!++;
    if (e.closedTrade !== null) {
      this.#tradeStrategy.push(strategy);
      this.#trades.push(e.closedTrade);
    }
  }

  /** Fills booked for the strategy numbered `strategy`. */
  countOf(strategy: number): number {
    return this.#perStrategy[strategy] ?? 0;
  }

  at(i: number): BookedFill {
    return {
      strategy: this.#strategy[i]!,
      symbol: this.#symbol[i]!,
      side: this.#side[i]!,
      qty: this.#qty[i]!,
      price: this.#price[i]!,
      commission: this.#commission[i]!,
      time: this.#time[i]!,
      submittedAt: this.#submittedAt[i]!,
    };
  }

  /** The closed round trips in booking order, each with its strategy's number. */
  trades(): Array<{ readonly strategy: number; readonly trade: ClosedTrade }> {
    return this.#trades.map((trade, i) => ({ strategy: this.#tradeStrategy[i]!, trade }));
  }
}
