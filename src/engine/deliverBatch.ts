import type { Bar } from '../core/Bar.js';
import type { BarAggregator } from '../market-data/BarAggregator.js';
import type { BarBatch } from '../market-data/ReplayFeed.js';
import type { TradingCore } from './buildTradingCore.js';

/**
 * One minute of live bars into the trading core: each symbol's minute aggregated to the strategies'
 * timeframe (and the buckets a silent symbol left open closed), every completed bar to the bus (the
 * strategies react, orders go out), then the equity of the moment to the curves and the breakers.
 * Returns the number of bars the strategies saw.
 */
export function deliverBatch(core: TradingCore, aggregator: BarAggregator, batch: BarBatch, lastBarTimes: Map<string, number>): number {
  const bus = core.bus;
  let seen = 0;
  const emit = (bar: Bar): void => {
    bus.emit('bar', bar);
    lastBarTimes.set(bar.symbol, bar.time);
    seen++;
  };
  for (const b of batch.bars) for (const bar of aggregator.push(b)) emit(bar);
  // Buckets over by now whose symbol had no trade in their last minute.
  for (const bar of aggregator.flush(batch.time)) emit(bar);
  core.portfolio.recordEquity(batch.time);
  core.breakers?.onEquity(batch.time);
  return seen;
}
