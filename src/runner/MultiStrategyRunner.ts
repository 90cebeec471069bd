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
  /** Per symbol: the runners that trade it and its slot in each (one lookup a bar, none per strategy). */
  readonly #bySymbol = new Map<string, { readonly runners: StrategyRunner[]; readonly slots: number[] }>();
  readonly #byId = new Map<string, StrategyRunner>();
  readonly #bus: EventBus<DaemonEvents>;
  readonly #unsubscribe: Array<() => void> = [];

  constructor(runners: readonly StrategyRunner[], bus: EventBus<DaemonEvents>) {
    this.runners = runners;
    this.#bus = bus;
    for (const r of runners) {
      this.#byId.set(r.id, r);
      for (const s of r.symbols) {
        const route = this.#bySymbol.get(s) ?? { runners: [], slots: [] };
        route.runners.push(r);
        route.slots.push(r.slotOf(s));
        this.#bySymbol.set(s, route);
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
        // An order the venue accepted changes nothing in the books (the runner already counts it open).
        if (event.kind === 'new') return;
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
    const route = this.#bySymbol.get(bar.symbol);
    if (route === undefined) return;
    const { runners, slots } = route;
    for (let i = 0; i < runners.length; i++) runners[i]!.onBarAt(bar, slots[i]!);
  }

  /** Feeds warm-up history (time-ordered) to the runners of each bar's symbol. */
  warmUp(bars: readonly Bar[]): void {
    for (const r of this.runners) {
      const mine = new Set(r.symbols);
      r.warmUp(bars.filter((b) => mine.has(b.symbol)));
    }
  }
}
