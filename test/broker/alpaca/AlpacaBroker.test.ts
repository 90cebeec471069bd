import { pino } from 'pino';
import type { Bar } from '../../../src/core/Bar.js';
import type { StrategyContext } from '../../../src/strategies/StrategyContext.js';
import { afterEach, describe, expect, it } from 'vitest';
import { AlpacaBroker } from '../../../src/broker/alpaca/AlpacaBroker.js';
import { alpacaEndpoints } from '../../../src/broker/alpaca/alpacaClient.js';
import { RequestBudget } from '../../../src/broker/alpaca/RequestBudget.js';
import { LiveClock } from '../../../src/core/LiveClock.js';
import type { OrderRequest } from '../../../src/core/Order.js';
import type { OrderEvent } from '../../../src/core/OrderEvent.js';
import { KEY, OPEN_0211, SECRET, startEmulator, until, type TestEmulator } from '../../emulator/harness.js';
import { admin } from '../../emulator/wsClient.js';
import { buildTradingCore, type TradingCore } from '../../../src/engine/buildTradingCore.js';
import { VenueClock } from '../../../src/core/VenueClock.js';
import { captureEngineState, restoreEngineState } from '../../../src/engine/engineState.js';
import { engineStateSchema, type EngineState } from '../../../src/persistence/engineStateSchema.js';
import { Scripted, type Script } from '../../execution/coreHarness.js';

const T0 = OPEN_0211 + 20_000;
let seq = 0;
const request = (over: Partial<OrderRequest> = {}): OrderRequest => ({ symbol: 'AAPL', side: 'buy', qty: 5, type: 'market', timeInForce: 'day', strategyId: 's1', clientOrderId: `s1-r-${++seq}`, ...over });

/** AlpacaBroker (the official SDK) on a fresh emulator at 09:30:20, no random partial fills. */
async function openBroker(): Promise<{ t: TestEmulator; broker: AlpacaBroker; events: OrderEvent[] }> {
  const t = await startEmulator({ start: T0, partialFillRate: 0 });
  const { broker, events } = brokerOn(t);
  await broker.start();
  return { t, broker, events };
}

/** An AlpacaBroker on `t`, not started yet, and the events it emits. */
function brokerOn(t: TestEmulator): { broker: AlpacaBroker; events: OrderEvent[] } {
  const e = alpacaEndpoints({ keyId: KEY, secretKey: SECRET, baseUrl: t.urls.baseUrl, dataUrl: t.urls.dataUrl, dataStreamUrl: t.urls.dataStreamUrl, feed: 'iex', live: false });
  const clock = new LiveClock();
  const broker = new AlpacaBroker({ client: e.client, tradeStreamUrl: e.tradeStreamUrl, budget: new RequestBudget(clock, 190), clock, log: pino({ level: 'silent' }) });
  const events: OrderEvent[] = [];
  broker.onOrderEvent((x) => events.push(x));
  return { broker, events };
}

async function closeBroker(t: TestEmulator, broker: AlpacaBroker): Promise<void> {
  broker.stop();
  await t.stop();
  expect(t.contract.failures).toEqual([]);
}

describe('AlpacaBroker through network trouble (emulator faults)', () => {
  let t: TestEmulator;
  let broker: AlpacaBroker;
  const events: OrderEvent[] = [];
  const start = async (): Promise<void> => {
    t = await startEmulator({ start: T0, partialFillRate: 0 });
    const e = alpacaEndpoints({ keyId: KEY, secretKey: SECRET, baseUrl: t.urls.baseUrl, dataUrl: t.urls.dataUrl, dataStreamUrl: t.urls.dataStreamUrl, feed: 'iex', live: false });
    const clock = new LiveClock();
    broker = new AlpacaBroker({ client: e.client, tradeStreamUrl: e.tradeStreamUrl, budget: new RequestBudget(clock, 190), clock, log: pino({ level: 'silent' }) });
    events.length = 0;
    broker.onOrderEvent((x) => events.push(x));
    await broker.start();
  };
  const fault = (body: unknown): Promise<Response> => admin(t.urls.adminUrl, '/faults', body);
  const fills = (cid: string): number[] => events.filter((e) => e.order.clientOrderId === cid && (e.kind === 'fill' || e.kind === 'partial_fill')).map((e) => (e.kind === 'fill' || e.kind === 'partial_fill' ? e.fill.qty : 0));
  const ordersAtVenue = (cid: string): number => t.emulator.venue.orders().filter((r) => r.order.clientOrderId === cid).length;

  afterEach(async () => {
    broker.stop();
    await t.stop();
    expect(t.contract.failures).toEqual([]);
  });

  it('an accepted order whose answer is lost: found by its client order id, no duplicate, the fill booked once', async () => {
    await start();
    await fault({ type: 'lose_order_responses', count: 1 });
    const r = request();
    broker.submit(r);
    await until(() => fills(r.clientOrderId).length > 0, 5000, 'the fill');
    await new Promise((res) => setTimeout(res, 200));
    expect(fills(r.clientOrderId)).toEqual([5]);
    expect(events.filter((e) => e.order.clientOrderId === r.clientOrderId).map((e) => e.kind)).toEqual(['new', 'fill']);
    expect(ordersAtVenue(r.clientOrderId)).toBe(1);
  });

  it('a 503 on the POST: looked up, not there, sent again: one order', async () => {
    await start();
    await fault({ type: 'http_errors', api: 'trading', status: 503, count: 1 });
    const r = request();
    broker.submit(r);
    await until(() => fills(r.clientOrderId).length > 0, 8000, 'the fill');
    expect(ordersAtVenue(r.clientOrderId)).toBe(1);
  });

  it('429s: waits for Retry-After, then sends', async () => {
    await start();
    await fault({ type: 'http_errors', api: 'trading', status: 429, count: 2 });
    const r = request();
    broker.submit(r);
    await until(() => fills(r.clientOrderId).length > 0, 8000, 'the fill');
    expect(ordersAtVenue(r.clientOrderId)).toBe(1);
  });

  it('a fill that happens while the trade stream is mute is caught up over REST after the reconnect, once', async () => {
    await start();
    const r = request({ type: 'limit', limitPrice: 170.8, timeInForce: 'gtc' });
    broker.submit(r);
    await until(() => events.some((e) => e.order.clientOrderId === r.clientOrderId), 3000, 'new');
    await fault({ type: 'silence_stream', stream: 'trading', seconds: 0.4 });
    // 09:30:20 → 09:30:35: the quote dips to 170.70/170.71 at :30 and the limit fills, unheard.
    t.emulator.step(15_000);
    await new Promise((res) => setTimeout(res, 100));
    expect(fills(r.clientOrderId)).toEqual([]);
    expect(t.emulator.venue.orderByClientId(r.clientOrderId)?.status).toBe('filled');
    await new Promise((res) => setTimeout(res, 400));
    await fault({ type: 'drop_stream', stream: 'trading' });
    await until(() => fills(r.clientOrderId).length > 0, 8000, 'the caught-up fill');
    await new Promise((res) => setTimeout(res, 200));
    expect(fills(r.clientOrderId)).toEqual([5]);
    const fill = events.find((e) => e.kind === 'fill');
    expect(fill?.kind === 'fill' ? fill.fill.price : 0).toBe(170.71);
    expect(broker.connected).toBe(true);
  });
});

describe('AlpacaBroker restarting', () => {
  it('an order in flight in the restored state that Alpaca never got is reported rejected; one it got is booked once', async () => {
    const t = await startEmulator({ start: T0, partialFillRate: 0 });
    // Sent by the previous run, filled since: its fill is caught up at the first connection.
    t.emulator.venue.submit({ symbol: 'AAPL', qty: 3, side: 'buy', type: 'market', timeInForce: 'day', clientOrderId: 's1-old-1', extendedHours: false });
    t.emulator.venue.matchNow('AAPL');
    const { broker, events } = brokerOn(t);
    broker.restore({ booked: [], legs: [] }, [
      { clientOrderId: 's1-old-1', strategyId: 's1', symbol: 'AAPL', side: 'buy', qty: 3 },
      { clientOrderId: 's1-old-2', strategyId: 's1', symbol: 'MSFT', side: 'sell', qty: 2 },
    ]);
    await broker.start();
    expect(events.map((x) => [x.kind, x.order.clientOrderId, x.kind === 'fill' ? x.fill.qty : null])).toEqual([
      ['new', 's1-old-1', null],
      ['fill', 's1-old-1', 3],
      ['rejected', 's1-old-2', null],
    ]);
    const rejected = events[2]!;
    expect(rejected.kind === 'rejected' ? [rejected.order.symbol, rejected.order.side, rejected.order.qty, rejected.reason] : null).toEqual(['MSFT', 'sell', 2, 'never reached Alpaca (the daemon stopped before sending it)']);
    await closeBroker(t, broker);
  });
});

describe('AlpacaBroker hearing an order end with fills it had not heard', () => {
  it('books the fills and reports the cancel: the strategy does not wait for an order that is over', async () => {
    // Every fill partial; the trade stream mute while the order half fills, back for its cancel.
    const t = await startEmulator({ start: T0, partialFillRate: 1 });
    const { broker, events } = brokerOn(t);
    await broker.start();
    await admin(t.urls.adminUrl, '/faults', { type: 'silence_stream', stream: 'trading', seconds: 0.3 });
    const rec = t.emulator.venue.submit({ symbol: 'AAPL', qty: 10, side: 'buy', type: 'market', timeInForce: 'day', clientOrderId: 's1-r1-1', extendedHours: false });
    t.emulator.venue.matchNow('AAPL');
    const filled = t.emulator.venue.orderByClientId('s1-r1-1')!.order.filledQty;
    expect([filled > 0, filled < 10]).toEqual([true, true]);
    await new Promise((res) => setTimeout(res, 500));
    expect(events).toEqual([]);
    t.emulator.venue.cancel(rec.order.id);
    await until(() => events.length >= 3, 3000, 'the cancel');
    expect(events.map((e) => [e.kind, e.kind === 'partial_fill' ? e.fill.qty : null])).toEqual([
      ['new', null],
      ['partial_fill', filled],
      ['canceled', null],
    ]);
    await closeBroker(t, broker);
  });
});

describe('AlpacaBroker catching up after an older state file', () => {
  it('books once the orders sent after it (by their client order ids), and none it holds', async () => {
    const t = await startEmulator({ start: T0, partialFillRate: 0 });
    // While the daemon was down: orders the state file holds (run r1 up to 4), sent after it (r1-5, a later run r2), and a stranger's.
    for (const cid of ['s1-r1-4', 's1-r1-5', 's1-r2-1', 'by-hand-1']) {
      t.emulator.venue.submit({ symbol: 'AAPL', qty: 2, side: 'buy', type: 'market', timeInForce: 'day', clientOrderId: cid, extendedHours: false });
      t.emulator.venue.matchNow('AAPL');
    }
    const { broker, events } = brokerOn(t);
    await broker.start();
    const sentAfter = (cid: string): boolean => cid === 's1-r1-5' || cid === 's1-r2-1';
    expect(await broker.catchUp(T0 - 3_600_000, sentAfter)).toBe(2);
    expect(events.map((e) => [e.kind, e.order.clientOrderId, e.kind === 'fill' ? e.fill.qty : null])).toEqual([
      ['new', 's1-r1-5', null],
      ['fill', 's1-r1-5', 2],
      ['new', 's1-r2-1', null],
      ['fill', 's1-r2-1', 2],
    ]);
    // Asked again (another restart): nothing twice.
    expect(await broker.catchUp(T0 - 3_600_000, sentAfter)).toBe(0);
    expect(events).toHaveLength(4);
    await closeBroker(t, broker);
  });
});

describe('AlpacaBroker restarting through errors', () => {
  it('waits out 5xx answers while catching up: the restored order is booked, not left unexplained', async () => {
    const t = await startEmulator({ start: T0, partialFillRate: 0 });
    t.emulator.venue.submit({ symbol: 'AAPL', qty: 3, side: 'buy', type: 'market', timeInForce: 'day', clientOrderId: 's1-old-1', extendedHours: false });
    t.emulator.venue.matchNow('AAPL');
    await admin(t.urls.adminUrl, '/faults', { type: 'http_errors', api: 'trading', status: 503, count: 2 });
    const { broker, events } = brokerOn(t);
    broker.restore({ booked: [], legs: [] }, [{ clientOrderId: 's1-old-1', strategyId: 's1', symbol: 'AAPL', side: 'buy', qty: 3 }]);
    await broker.start();
    expect(events.map((x) => [x.kind, x.order.clientOrderId])).toEqual([
      ['new', 's1-old-1'],
      ['fill', 's1-old-1'],
    ]);
    await closeBroker(t, broker);
  });
});

describe('AlpacaBroker reads through a 429 or a 5xx (a restart in a burst of restarts, a blip at Alpaca)', () => {
  for (const status of [429, 503] as const) {
    it(`catch-up, positions and open orders wait out two ${status}s each and answer`, async () => {
      const t = await startEmulator({ start: T0, partialFillRate: 0 });
      t.emulator.venue.submit({ symbol: 'AAPL', qty: 3, side: 'buy', type: 'market', timeInForce: 'day', clientOrderId: 's1-old-1', extendedHours: false });
      t.emulator.venue.matchNow('AAPL');
      t.emulator.venue.submit({ symbol: 'AAPL', qty: 2, side: 'buy', type: 'limit', limitPrice: 100, timeInForce: 'gtc', clientOrderId: 's1-old-2', extendedHours: false });
      const { broker, events } = brokerOn(t);
      await broker.start();
      await admin(t.urls.adminUrl, '/faults', { type: 'http_errors', api: 'trading', status, count: 2 });
      expect(await broker.catchUp(T0 - 3_600_000, (cid) => cid === 's1-old-1')).toBe(1);
      expect(events.filter((e) => e.order.clientOrderId === 's1-old-1').map((e) => e.kind)).toEqual(['new', 'fill']);
      await admin(t.urls.adminUrl, '/faults', { type: 'http_errors', api: 'trading', status, count: 2 });
      expect(await broker.getPositions()).toEqual([{ symbol: 'AAPL', qty: 3, avgPrice: expect.any(Number) as number }]);
      await admin(t.urls.adminUrl, '/faults', { type: 'http_errors', api: 'trading', status, count: 2 });
      expect((await broker.getOpenOrders()).map((o) => o.clientOrderId)).toEqual(['s1-old-2']);
      await closeBroker(t, broker);
    }, 60_000);
  }
});

describe('AlpacaBroker stopping', () => {
  it('books nothing once stopped: an answer arriving after stop() is left to the next start', async () => {
    const { t, broker, events } = await openBroker();
    const r = request();
    broker.submit(r);
    // The POST is on its way; its answer comes back after the stop.
    broker.stop();
    await until(() => t.emulator.venue.orderByClientId(r.clientOrderId) !== undefined, 3000, 'the order at the venue');
    await new Promise((res) => setTimeout(res, 300));
    expect(events).toEqual([]);
    expect(broker.toData().booked).toEqual([]);
    await t.stop();
    expect(t.contract.failures).toEqual([]);
  });
});

describe('AlpacaBroker bracket entries on the emulator', () => {
  it('sends order_class bracket; the exits Alpaca creates with it (in its answer) are booked to the entry’s strategy (-sl / -tp)', async () => {
    const { t, broker, events } = await openBroker();
    try {
      // 09:30:20: the ask is 171.21 (the 09:30:15 high); at 09:30:30 the bid falls to 170.69, under the stop.
      broker.submit(request({ clientOrderId: 's1-r-bracket', qty: 4, bracket: { stopLoss: 170.8, takeProfit: 171.8 } }));
      await until(() => events.some((x) => x.kind === 'fill' && x.order.clientOrderId === 's1-r-bracket'), 5000, 'the entry');
      const entry = t.emulator.venue.orderByClientId('s1-r-bracket')!;
      expect([entry.orderClass, entry.legs.length]).toEqual(['bracket', 2]);
      t.emulator.step(15_000);
      await until(() => events.some((x) => x.kind === 'fill' && x.order.clientOrderId === 's1-r-bracket-sl'), 5000, 'the stop');
      await until(() => events.some((x) => x.kind === 'canceled'), 5000, 'the other exit canceled');
      const seen = events.map((x) => `${x.kind} ${x.order.clientOrderId}${x.kind === 'fill' ? ` ${x.fill.qty}@${x.fill.price}` : ''}`);
      // The legs are known from the POST's answer, the entry's fill from the stream: on a busy machine
      // (or on Alpaca) the fill can come first. Either way both legs are the entry strategy's.
      expect(seen[0]).toBe('new s1-r-bracket');
      expect([...seen.slice(1, 4)].sort()).toEqual(['fill s1-r-bracket 4@171.21', 'new s1-r-bracket-sl', 'new s1-r-bracket-tp']);
      expect(seen.slice(4)).toEqual(['fill s1-r-bracket-sl 4@170.69', 'canceled s1-r-bracket-tp']);
      expect(t.emulator.venue.positions()).toEqual([]);
    } finally {
      await closeBroker(t, broker);
    }
  });
});

describe('a strategy with protective exits, in Alpaca mode', () => {
  it('sends its entry as a bracket order and its ledger books the exit', async () => {
    const { buildTradingCore } = await import('../../../src/engine/buildTradingCore.js');
    const { Strategy } = await import('../../../src/strategies/Strategy.js');
    const { VenueClock } = await import('../../../src/core/VenueClock.js');
    class BracketOnce extends Strategy {
      #sent = false;
      override onBar(bar: Bar, ctx: StrategyContext): void {
        if (this.#sent) return;
        this.#sent = true;
        ctx.buy(bar.symbol, 4, { stopLoss: 170.8, takeProfit: 171.8 });
      }
    }
    const t = await startEmulator({ start: T0, partialFillRate: 0 });
    const e = alpacaEndpoints({ keyId: KEY, secretKey: SECRET, baseUrl: t.urls.baseUrl, dataUrl: t.urls.dataUrl, dataStreamUrl: t.urls.dataStreamUrl, feed: 'iex', live: false });
    const wall = new LiveClock();
    const broker = new AlpacaBroker({ client: e.client, tradeStreamUrl: e.tradeStreamUrl, budget: new RequestBudget(wall, 190), clock: wall, log: pino({ level: 'silent' }) });
    const clock = new VenueClock(wall, T0);
    const core = buildTradingCore({
      strategies: [{ id: 'guard', type: 'bracket_once', symbols: ['AAPL'], capital: 10_000, params: {} }],
      broker,
      clock,
      runId: 'r',
      maxPositionPct: 1,
      estimateCommission: () => 0,
      logger: pino({ level: 'silent' }),
      createStrategy: () => new BracketOnce({}),
    });
    core.execution.start();
    core.runner.start();
    await broker.start();
    try {
      core.bus.emit('bar', { symbol: 'AAPL', time: T0, open: 171.14, high: 171.2, low: 171.1, close: 171.2, volume: 100 });
      await until(() => t.emulator.venue.orderByClientId('guard-r-1')?.status === 'filled', 5000, 'the entry');
      expect(t.emulator.venue.orderByClientId('guard-r-1')?.orderClass).toBe('bracket');
      t.emulator.step(15_000);
      const ledger = core.runner.runners[0]!.ledger;
      await until(() => ledger.closedTrades.length === 1, 5000, 'the exit booked');
      expect(ledger.closedTrades.map((x) => [x.qty, x.entryPrice, x.exitPrice])).toEqual([[4, 171.21, 170.69]]);
      expect(ledger.positionQty('AAPL')).toBe(0);
    } finally {
      await closeBroker(t, broker);
    }
  });
});

/** The trading core with one scripted strategy (`trail`) on AlpacaBroker, started on `t`; the order events its books hear. */
async function coreOn(t: TestEmulator, script: Script, restoreFrom?: EngineState) {
  const e = alpacaEndpoints({ keyId: KEY, secretKey: SECRET, baseUrl: t.urls.baseUrl, dataUrl: t.urls.dataUrl, dataStreamUrl: t.urls.dataStreamUrl, feed: 'iex', live: false });
  const wall = new LiveClock();
  const broker = new AlpacaBroker({ client: e.client, tradeStreamUrl: e.tradeStreamUrl, budget: new RequestBudget(wall, 190), clock: wall, log: pino({ level: 'silent' }) });
  const core = buildTradingCore({
    strategies: [{ id: 'trail', type: 'scripted', symbols: ['AAPL'], capital: 10_000, params: {} }],
    broker,
    clock: new VenueClock(wall, t.emulator.clock.now()),
    runId: 'r',
    maxPositionPct: 1,
    estimateCommission: () => 0,
    logger: pino({ level: 'silent' }),
    createStrategy: () => new Scripted(script),
  });
  const events: string[] = [];
  core.bus.on('order.update', ({ event: x }) => events.push(`${x.kind} ${x.order.clientOrderId}${x.kind === 'fill' || x.kind === 'partial_fill' ? ` ${x.fill.qty}@${x.fill.price}` : ''}`));
  if (restoreFrom !== undefined) {
    restoreEngineState(core, null, restoreFrom);
    const d = core.execution.toData();
    const held = new Set(d.held.map((h) => h.request.clientOrderId));
    broker.restore(restoreFrom.broker ?? { booked: [], legs: [] }, d.inFlight.filter((o) => !held.has(o.clientOrderId)));
  }
  core.execution.start();
  core.runner.start();
  await broker.start();
  return { core, broker, events };
}

/** What a restart reads back: the core's state with the broker's books, through JSON and the schema. */
function saved(core: TradingCore, broker: AlpacaBroker): EngineState {
  const s = captureEngineState(core, null, { lastBarTime: null, lastBarTimes: new Map(), fills: new Map(), broker: broker.toData(), unallocatedCash: null, capitalFlows: [], lastClose: null });
  return engineStateSchema.parse(JSON.parse(JSON.stringify(s)));
}

describe('AlpacaBroker trailing stops on the emulator', () => {
  it('the daemon sends the trailing stop once the entry fills (Alpaca’s brackets take none); it follows the mark and its fill is the strategy’s', async () => {
    const t = await startEmulator({ start: T0, partialFillRate: 0 });
    const { core, broker, events } = await coreOn(t, (i, bar, ctx) => i === 0 && ctx.buy(bar.symbol, 4, { trailingStop: { percent: 0.002 } }));
    try {
      core.bus.emit('bar', { symbol: 'AAPL', time: T0, open: 171.14, high: 171.2, low: 171.1, close: 171.2, volume: 100 });
      await until(() => t.emulator.venue.orderByClientId('trail-r-1-ts') !== undefined, 5000, 'the trailing stop');
      const ts = t.emulator.venue.orderByClientId('trail-r-1-ts')!;
      // Trailing 0.2 % from the mark 171.20 (the 09:30:15 quote's middle): stop 170.85.
      expect([ts.trail, ts.hwm, ts.order.stopPrice, ts.order.side, ts.order.qty]).toEqual([{ percent: 0.002 }, 171.2, 170.85, 'sell', 4]);
      t.emulator.step(15_000);
      await until(() => events.some((x) => x === 'fill trail-r-1-ts 4@170.69'), 5000, 'the trailing fill');
      expect(events).toEqual(['new trail-r-1', 'fill trail-r-1 4@171.21', 'new trail-r-1-ts', 'fill trail-r-1-ts 4@170.69']);
      expect(core.runner.runners[0]!.ledger.positionQty('AAPL')).toBe(0);
    } finally {
      await closeBroker(t, broker);
    }
  });

  it('a single exit goes as an OTO and its leg is booked to the strategy', async () => {
    const { t, broker, events } = await openBroker();
    try {
      broker.submit(request({ clientOrderId: 's1-r-oto', qty: 2, bracket: { stopLoss: 170.8 } }));
      await until(() => t.emulator.venue.orderByClientId('s1-r-oto')?.status === 'filled', 5000, 'the entry');
      expect(t.emulator.venue.orderByClientId('s1-r-oto')?.legs).toHaveLength(1);
      expect(t.emulator.venue.orderByClientId('s1-r-oto')?.orderClass).toBe('oto');
      t.emulator.step(15_000);
      await until(() => events.some((x) => x.kind === 'fill' && x.order.clientOrderId === 's1-r-oto-sl'), 5000, 'the stop');
      expect(events.filter((x) => x.kind === 'fill').map((x) => (x.kind === 'fill' ? `${x.order.clientOrderId} ${x.fill.price}` : ''))).toEqual(['s1-r-oto 171.21', 's1-r-oto-sl 170.69']);
    } finally {
      await closeBroker(t, broker);
    }
  });
});

describe('restarting with protective exits (Alpaca mode)', () => {
  it('a bracket’s leg that fills while the daemon is down is booked to the strategy after the restart; nothing is external', async () => {
    const t = await startEmulator({ start: T0, partialFillRate: 0 });
    const first = await coreOn(t, (i, bar, ctx) => i === 0 && ctx.buy(bar.symbol, 4, { stopLoss: 170.8, takeProfit: 171.8 }));
    first.core.bus.emit('bar', { symbol: 'AAPL', time: T0, open: 171.14, high: 171.2, low: 171.1, close: 171.2, volume: 100 });
    const ledger = first.core.runner.runners[0]!.ledger;
    await until(() => ledger.positionQty('AAPL') === 4, 5000, 'the entry booked');
    await until(() => first.events.includes('new trail-r-1-tp'), 5000, 'the legs named');
    const state = saved(first.core, first.broker);
    expect(state.execution.inFlight.map((o) => [o.clientOrderId, o.leg, o.orderId !== null])).toEqual([
      ['trail-r-1-sl', 'sl', true],
      ['trail-r-1-tp', 'tp', true],
    ]);
    first.broker.stop();
    first.core.execution.stop();
    // While the daemon is down, the bid falls under the stop: the leg fills, the other is canceled.
    t.emulator.step(15_000);
    expect(t.emulator.venue.positions()).toEqual([]);
    const second = await coreOn(t, () => {}, state);
    const again = second.core.runner.runners[0]!.ledger;
    await until(() => again.positionQty('AAPL') === 0, 5000, 'the stop booked');
    expect(again.closedTrades.map((x) => [x.qty, x.entryPrice, x.exitPrice])).toEqual([[4, 171.21, 170.69]]);
    expect(second.events).toEqual(['fill trail-r-1-sl 4@170.69', 'canceled trail-r-1-tp']);
    expect(second.core.execution.inFlight).toBe(0);
    const { reconcileWithBroker } = await import('../../../src/engine/reconcileWithBroker.js');
    expect(reconcileWithBroker(second.core, await second.broker.getPositions(), await second.broker.getOpenOrders())).toEqual([]);
    await closeBroker(t, second.broker);
  });

  it('open legs after a restart are the strategy’s (reconciled, not external), and an exit cancels them before it sells', async () => {
    const t = await startEmulator({ start: T0, partialFillRate: 0 });
    const first = await coreOn(t, (i, bar, ctx) => i === 0 && ctx.buy(bar.symbol, 4, { stopLoss: 160, takeProfit: 190 }));
    first.core.bus.emit('bar', { symbol: 'AAPL', time: T0, open: 171.14, high: 171.2, low: 171.1, close: 171.2, volume: 100 });
    await until(() => first.core.runner.runners[0]!.ledger.positionQty('AAPL') === 4 && first.events.includes('new trail-r-1-tp'), 5000, 'the entry and its legs');
    const state = saved(first.core, first.broker);
    first.broker.stop();
    first.core.execution.stop();
    const second = await coreOn(t, (i, bar, ctx) => i === 0 && ctx.closePosition(bar.symbol, 'exit'), state);
    const { reconcileWithBroker } = await import('../../../src/engine/reconcileWithBroker.js');
    expect(reconcileWithBroker(second.core, await second.broker.getPositions(), await second.broker.getOpenOrders())).toEqual([]);
    second.core.bus.emit('bar', { symbol: 'AAPL', time: T0 + 60_000, open: 171.2, high: 171.2, low: 171.2, close: 171.2, volume: 100 });
    await until(() => second.core.runner.runners[0]!.ledger.positionQty('AAPL') === 0, 5000, 'the exit booked');
    expect(second.events.filter((x) => !x.startsWith('new'))).toEqual(['canceled trail-r-1-sl', 'canceled trail-r-1-tp', expect.stringMatching(/^fill trail-r-2 4@/)]);
    expect(t.emulator.venue.orders().filter((o) => o.status !== 'filled' && o.status !== 'canceled')).toEqual([]);
    await closeBroker(t, second.broker);
  });

  it('a trailing stop owed by an entry that fills while the daemon is down goes out at the restart', async () => {
    const t = await startEmulator({ start: T0, partialFillRate: 0 });
    // A limit entry under the market: it rests, then fills while the daemon is down.
    const first = await coreOn(t, (i, bar, ctx) => i === 0 && ctx.buy(bar.symbol, 4, { type: 'limit', limitPrice: 170.8, trailingStop: { price: 0.5 } }));
    first.core.bus.emit('bar', { symbol: 'AAPL', time: T0, open: 171.14, high: 171.2, low: 171.1, close: 171.2, volume: 100 });
    await until(() => first.events.includes('new trail-r-1'), 5000, 'the entry at Alpaca');
    const state = saved(first.core, first.broker);
    expect(state.execution.held.map((h) => [h.request.clientOrderId, h.after])).toEqual([['trail-r-1-ts', 'trail-r-1']]);
    first.broker.stop();
    first.core.execution.stop();
    t.emulator.step(15_000);
    expect(t.emulator.venue.orderByClientId('trail-r-1')?.status).toBe('filled');
    const second = await coreOn(t, () => {}, state);
    await until(() => t.emulator.venue.orderByClientId('trail-r-1-ts') !== undefined, 5000, 'the trailing stop sent');
    expect(t.emulator.venue.orderByClientId('trail-r-1-ts')!.order.qty).toBe(4);
    expect(second.core.execution.isInFlight('trail-r-1-ts')).toBe(true);
    await closeBroker(t, second.broker);
  });
});

describe('AlpacaBroker catching up through the account’s fills', () => {
  it('books once an order of ours the order listing does not show (outside its window), found through the FILL activities', async () => {
    const t = await startEmulator({ start: T0, partialFillRate: 0 });
    // A resting limit sent by a later run, before the window the listing asks for, filled later.
    t.emulator.venue.submit({ symbol: 'AAPL', qty: 2, side: 'buy', type: 'limit', limitPrice: 170.8, timeInForce: 'gtc', clientOrderId: 's1-r2-1', extendedHours: false });
    t.emulator.step(15_000);
    expect(t.emulator.venue.orderByClientId('s1-r2-1')?.status).toBe('filled');
    const { broker, events } = brokerOn(t);
    await broker.start();
    // The listing asks for orders submitted after this: it misses s1-r2-1; the fills since it show it.
    const since = T0 + 5_000;
    expect(await broker.catchUp(since, (cid) => cid === 's1-r2-1')).toBe(1);
    expect(events.map((e) => `${e.kind} ${e.order.clientOrderId}${e.kind === 'fill' ? ` ${e.fill.qty}` : ''}`)).toEqual(['new s1-r2-1', 'fill s1-r2-1 2']);
    // Asked again: nothing twice.
    expect(await broker.catchUp(since, (cid) => cid === 's1-r2-1')).toBe(0);
    await closeBroker(t, broker);
  });
});
