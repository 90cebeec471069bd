import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { nullBroker } from '../../src/broker/nullBroker.js';
import type { Bar } from '../../src/core/Bar.js';
import type { OrderRequest } from '../../src/core/Order.js';
import { SimClock } from '../../src/core/SimClock.js';
import { buildTradingCore, type TradingCoreOptions } from '../../src/engine/buildTradingCore.js';
import { rehearse } from '../../src/engine/rehearse.js';
import { parseTimeframe } from '../../src/market-data/Timeframe.js';
import { StaticNyseCalendar } from '../../src/risk/calendar/StaticNyseCalendar.js';

const OPEN = Date.parse('2019-02-11T14:30:00Z');
const MINUTE = 60_000;

/** Minutes of two symbols whose close zigzags: a 1/2-bar crossover crosses on every bar. */
function zigzag(minutes: number): Bar[] {
  const bars: Bar[] = [];
  for (let m = 1; m <= minutes; m++) {
    for (const [symbol, base] of [['AAA', 100], ['BBB', 50]] as const) {
      const close = base + (m % 2);
      bars.push({ symbol, time: OPEN + m * MINUTE, open: close, high: close + 0.5, low: close - 0.5, close, volume: 100 });
    }
  }
  return bars;
}

describe('rehearse', () => {
  it('runs the end of the warm-up through a throwaway copy of the core, orders and all, and leaves the real one untouched', () => {
    const sent: OrderRequest[] = [];
    const broker = nullBroker((r) => void sent.push(r));
    const calendar = new StaticNyseCalendar();
    const options: TradingCoreOptions = {
      strategies: [{ id: 'zig', type: 'sma_cross', symbols: ['AAA', 'BBB'], capital: 10_000, params: { fast: 1, slow: 2, qty: 1 } }],
      broker,
      clock: new SimClock(OPEN),
      runId: 'real',
      maxPositionPct: 1,
      estimateCommission: () => 0,
      logger: pino({ level: 'silent' }),
      calendar,
    };
    const core = buildTradingCore(options);
    core.execution.start();
    core.runner.start();
    const bars = zigzag(40);
    core.runner.warmUp(bars);
    const r = rehearse(options, { bars, timeframe: parseTimeframe('1M')!, calendar, window: 20, live: 5 });
    // Five moments of two symbols live; each symbol's first cross up orders, then its order stays open
    // (the rehearsal's broker never fills), so nothing more is asked for it.
    expect(r).toEqual({ bars: 10, orders: 2 });
    const runner = core.runner.runners[0]!;
    expect([sent.length, runner.openOrderCount, runner.ledger.cash, runner.ledger.closedTrades.length, core.execution.nextSeq]).toEqual([0, 0, 10_000, 0, 1]);
    // Nothing to rehearse on.
    expect(rehearse(options, { bars: [], timeframe: parseTimeframe('1M')!, calendar })).toEqual({ bars: 0, orders: 0 });
  });
});
