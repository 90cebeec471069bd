import type { Quote } from '../../core/Quote.js';
import type { StreamBar, Trade } from '../market/MarketEvent.js';
import { rfc3339 } from './decimal.js';

/** A bar on the market-data API: prices as numbers, `t` the start of the bar. */
export function barJson(b: StreamBar): Record<string, unknown> {
  return { t: rfc3339(b.time), o: b.open, h: b.high, l: b.low, c: b.close, v: b.volume, n: b.tradeCount, vw: b.vwap };
}

/** Exchange code of the replayed prints: IEX ('V'), the feed a free account streams. */
const EXCHANGE = 'V';

export function tradeJson(t: Trade): Record<string, unknown> {
  return { t: rfc3339(t.time), x: EXCHANGE, p: t.price, s: t.size, c: ['@'], i: t.id, z: 'A' };
}

export function quoteJson(q: Quote): Record<string, unknown> {
  return { t: rfc3339(q.time), ax: EXCHANGE, ap: q.ask, as: q.askSize, bx: EXCHANGE, bp: q.bid, bs: q.bidSize, c: ['R'], z: 'A' };
}
