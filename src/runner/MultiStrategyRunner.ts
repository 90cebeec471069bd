import type { Bar } from '../core/Bar.js';
import type { DaemonEvents } from '../core/DaemonEvents.js';
import type { EventBus } from '../core/EventBus.js';
import { InvariantError } from '../core/errors.js';
import type { StrategyRunner } from './StrategyRunner.js';

/**
 * Routes bars to the runners subscribed to their symbol and broker events to the runner that owns
 * the order. A broken invariant in any ledger (negative cash, an impossible fill) pauses every
 * strategy: the books can no longer be trusted.
 */
export class MultiStrategyRunner {
  readonly runners: readonly StrategyRunner[];
  readonly #bySymbol = new Map<string, StrategyRunner[]>();
  readonly #byId = new Map<string, StrategyRunner>();
  readonly #bus: EventBus<DaemonEvents>;
  readonly #unsubscribe: Array<() => void> = [];

  constructor(runners: readonly StrategyRunner[], bus: EventBus<DaemonEvents>) {
    this.runners = runners;
    this.#bus = bus;
    for (const r of runners) {
      this.#byId.set(r.id, r);
      for (const s of r.symbols) {
        const list = this.#bySymbol.get(s) ?? [];
        list.push(r);
        this.#bySymbol.set(s, list);
      }
    }
  }

  /** Every symbol some runner trades, sorted. */
  get symbols(): string[] {
    return [...this.#bySymbol.keys()].sort();
  }

  get(id: string): StrategyRunner | undefined {
    return this.#byId.get(id);
  }

  start(): void {
    if (this.#unsubscribe.length > 0) return;
    this.#unsubscribe.push(
      this.#bus.on('bar', (bar) => this.onBar(bar)),
      this.#bus.on('order.update', ({ strategyId, event }) => {
        const runner = this.#byId.get(strategyId);
        if (runner === undefined) return;
        try {
          runner.onOrderUpdate(event);
        } catch (error) {
          runner.fault(error, 'booking');
          if (error instanceof InvariantError) for (const r of this.runners) r.pause(`trading halted: ${error.message}`);
        }
      }),
    );
  }

  stop(): void {
    for (const u of this.#unsubscribe.splice(0)) u();
  }

  onBar(bar: Bar): void {
    const list = this.#bySymbol.get(bar.symbol);
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) list[i]!.onBar(bar);
  }

  /** Feeds warm-up history (time-ordered) to the runners of each bar's symbol. */
  warmUp(bars: readonly Bar[]): void {
    for (const r of this.runners) {
      const mine = new Set(r.symbols);
      r.warmUp(bars.filter((b) => mine.has(b.symbol)));
    }
  }
}
