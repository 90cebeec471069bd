import { nullBroker } from '../broker/nullBroker.js';
import type { Bar } from '../core/Bar.js';
import { firstBarAt } from '../core/firstBarAt.js';
import { SimClock } from '../core/SimClock.js';
import { BarAggregator } from '../market-data/BarAggregator.js';
import type { Timeframe } from '../market-data/Timeframe.js';
import type { MarketCalendar } from '../risk/calendar/MarketCalendar.js';
import { buildTradingCore, type TradingCoreOptions } from './buildTradingCore.js';
import { deliverBatch } from './deliverBatch.js';

export interface RehearsalOptions {
  /** The strategy bars of the warm-up, time-ordered (ties in symbol order). */
  readonly bars: readonly Bar[];
  /** The strategies' timeframe: the bars are delivered as the live path delivers its minutes. */
  readonly timeframe: Timeframe;
  readonly calendar: MarketCalendar;
  /**
   * How many of the last moments (bar times) the rehearsal takes (default 100: the built-in
   * strategies' longest default look-back is 55 bars): the indicators learn on all but the last `live`.
   */
  readonly window?: number;
  /** How many moments go through the live path, orders and all (default 5). */
  readonly live?: number;
}

/**
 * A dress rehearsal of the live path before the first live minute. V8 compiles code as it runs it,
 * and the warm-up never orders: without a rehearsal the first live minute runs the order path (the
 * strategies' order branches, the RiskGate, the ExecutionService, the open-order books) cold, at
 * two to seven times the cost of a later minute. A throwaway copy of the trading core (its own
 * strategies, books and bus; a broker that only counts; a silent logger) learns on the end of the
 * warm-up and takes its last moments as live bars. The code it ran is the real core's code, now
 * compiled; nothing of the copy reaches the real core, the broker, the state or the logs.
 * Returns how many bars it delivered live and how many orders they made.
 */
export function rehearse(core: TradingCoreOptions, o: RehearsalOptions): { bars: number; orders: number } {
  const times: number[] = [];
  for (let i = o.bars.length - 1; i >= 0 && times.length < (o.window ?? 100); i--) {
    if (times[times.length - 1] !== o.bars[i]!.time) times.push(o.bars[i]!.time);
  }
  const live = Math.min(o.live ?? 5, times.length);
  if (live === 0) return { bars: 0, orders: 0 };
  const first = times[times.length - 1]!;
  const cut = times[live - 1]!;
  let orders = 0;
  const broker = nullBroker(() => void orders++);
  const clock = new SimClock(first);
  const copy = buildTradingCore({
    ...core,
    broker,
    clock,
    runId: 'rehearsal',
    logger: core.logger.child({ component: 'rehearsal' }, { level: 'silent' }),
    accountBuyingPower: () => null,
    venueNotReady: () => null,
  });
  copy.execution.start();
  copy.runner.start();
  try {
    const start = firstBarAt(o.bars, first);
    const cutAt = firstBarAt(o.bars, cut);
    copy.runner.warmUp(o.bars.slice(start, cutAt));
    const aggregator = new BarAggregator(o.timeframe, o.calendar);
    let delivered = 0;
    for (let i = cutAt; i < o.bars.length; ) {
      const time = o.bars[i]!.time;
      let j = i;
      while (j < o.bars.length && o.bars[j]!.time === time) j++;
      clock.advanceTo(time);
      delivered += deliverBatch(copy, aggregator, { time, bars: o.bars.slice(i, j) }, new Map());
      i = j;
    }
    return { bars: delivered, orders };
  } finally {
    copy.runner.stop();
    copy.execution.stop();
  }
}
