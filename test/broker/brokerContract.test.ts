import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Broker } from '../../src/broker/Broker.js';
import { AlpacaBroker } from '../../src/broker/alpaca/AlpacaBroker.js';
import { alpacaEndpoints } from '../../src/broker/alpaca/alpacaClient.js';
import { RequestBudget } from '../../src/broker/alpaca/RequestBudget.js';
import { noCommission } from '../../src/broker/sim/CommissionModel.js';
import { MatchingEngine } from '../../src/broker/sim/MatchingEngine.js';
import { SimBroker } from '../../src/broker/sim/SimBroker.js';
import { noSlippage } from '../../src/broker/sim/SlippageModel.js';
import type { Bar } from '../../src/core/Bar.js';
import { LiveClock } from '../../src/core/LiveClock.js';
import type { OrderRequest } from '../../src/core/Order.js';
import type { OrderEvent } from '../../src/core/OrderEvent.js';
import { SimClock } from '../../src/core/SimClock.js';
import { KEY, OPEN_0211, SECRET, startEmulator, until } from '../emulator/harness.js';

/** A venue under test: its Broker, and a way to let a minute of market go by. */
interface VenueUnderTest {
  readonly broker: Broker;
  readonly events: OrderEvent[];
  advance(): Promise<void>;
  stop(): Promise<void>;
}

const T0 = OPEN_0211 + 20_000;

/** SimBroker over the matching engine, fed 1-minute AAPL bars around $170. */
async function simVenue(): Promise<VenueUnderTest> {
  const clock = new SimClock(T0);
  const engine = new MatchingEngine({ clock, startingCash: 100_000, slippage: noSlippage, commission: noCommission });
  const broker = new SimBroker(engine);
  const events: OrderEvent[] = [];
  broker.onOrderEvent((e) => events.push(e));
  let minute = 1;
  const bar = (m: number): Bar => ({ symbol: 'AAPL', time: OPEN_0211 + m * 60_000, open: 170 + m / 100, high: 171, low: 169, close: 170.5, volume: 1000 });
  engine.onBar(bar(0));
  return {
    broker,
    events,
    advance: async () => {
      const b = bar(minute++);
      clock.advanceTo(b.time);
      broker.onBar(b);
    },
    stop: async () => {},
  };
}

/** AlpacaBroker through the official SDK against the emulator (paused; a minute is a step). */
async function alpacaVenue(): Promise<VenueUnderTest> {
  const t = await startEmulator({ start: T0, partialFillRate: 0 });
  const endpoints = alpacaEndpoints({ keyId: KEY, secretKey: SECRET, baseUrl: t.urls.baseUrl, dataUrl: t.urls.dataUrl, dataStreamUrl: t.urls.dataStreamUrl, feed: 'iex', live: false });
  const clock = new LiveClock();
  const broker = new AlpacaBroker({ client: endpoints.client, tradeStreamUrl: endpoints.tradeStreamUrl, budget: new RequestBudget(clock, 190), clock, log: pino({ level: 'silent' }) });
  const events: OrderEvent[] = [];
  broker.onOrderEvent((e) => events.push(e));
  await broker.start();
  return {
    broker,
    events,
    advance: async () => {
      t.emulator.step(60_000);
      await new Promise((r) => setTimeout(r, 30));
    },
    stop: async () => {
      broker.stop();
      await t.stop();
      expect(t.contract.failures).toEqual([]);
    },
  };
}

let seq = 0;
const request = (over: Partial<OrderRequest> = {}): OrderRequest => ({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'market', timeInForce: 'day', strategyId: 's1', clientOrderId: `s1-contract-${++seq}`, ...over });

/** One set of expectations for every adapter of the Broker port. */
describe.each([
  ['SimBroker', simVenue],
  ['AlpacaBroker on the emulator', alpacaVenue],
])('Broker contract: %s', (_name, make) => {
  let v: VenueUnderTest;
  afterEach(async () => {
    await v.stop();
  });
  const kinds = (cid: string): string[] => v.events.filter((e) => e.order.clientOrderId === cid).map((e) => e.kind);
  const settle = async (cid: string, last: string): Promise<void> => {
    for (let i = 0; i < 5 && !kinds(cid).includes(last); i++) await v.advance();
    await until(() => kinds(cid).includes(last), 3000, `${cid} ${last}`);
  };

  it('fills a market buy: new, then fill; the position and the cash follow', async () => {
    v = await make();
    const r = request();
    v.broker.submit(r);
    await settle(r.clientOrderId, 'fill');
    expect(kinds(r.clientOrderId)).toEqual(['new', 'fill']);
    const fill = v.events.find((e) => e.kind === 'fill');
    if (fill?.kind !== 'fill') throw new Error('no fill');
    expect([fill.fill.qty, fill.fill.symbol, fill.fill.side, fill.order.status, fill.order.filledQty]).toEqual([10, 'AAPL', 'buy', 'filled', 10]);
    expect(fill.fill.price).toBeGreaterThan(150);
    const positions = await v.broker.getPositions();
    expect(positions.map((p) => [p.symbol, p.qty])).toEqual([['AAPL', 10]]);
    expect(positions[0]!.avgPrice).toBeCloseTo(fill.fill.price, 6);
    const account = await v.broker.getAccount();
    expect(account.cash).toBeCloseTo(100_000 - 10 * fill.fill.price, 6);
  });

  it('reports a refused order as rejected, with the reason', async () => {
    v = await make();
    const r = request({ qty: 10_000 });
    v.broker.submit(r);
    await until(() => kinds(r.clientOrderId).length > 0, 3000, 'an answer');
    const e = v.events.find((x) => x.order.clientOrderId === r.clientOrderId)!;
    expect(e.kind).toBe('rejected');
    expect(e.kind === 'rejected' ? e.reason : '').toContain('insufficient buying power');
  });

  it('lists a resting limit order and cancels it', async () => {
    v = await make();
    const r = request({ type: 'limit', limitPrice: 100, timeInForce: 'gtc' });
    v.broker.submit(r);
    await until(() => kinds(r.clientOrderId).includes('new'), 3000, 'new');
    const open = await v.broker.getOpenOrders();
    expect(open.map((o) => [o.clientOrderId, o.status, o.type, o.qty])).toEqual([[r.clientOrderId, 'new', 'limit', 10]]);
    v.broker.cancel(open[0]!.id);
    await until(() => kinds(r.clientOrderId).includes('canceled'), 3000, 'canceled');
    expect(kinds(r.clientOrderId)).toEqual(['new', 'canceled']);
    expect(await v.broker.getOpenOrders()).toEqual([]);
  });

  it('closes the position with a sell', async () => {
    v = await make();
    const buy = request();
    v.broker.submit(buy);
    await settle(buy.clientOrderId, 'fill');
    const sell = request({ side: 'sell' });
    v.broker.submit(sell);
    await settle(sell.clientOrderId, 'fill');
    expect(await v.broker.getPositions()).toEqual([]);
  });
});
