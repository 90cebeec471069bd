import { nyDateOf } from '../../market-data/zonedTime.js';
import type { MarketCalendar, Session } from '../../risk/calendar/MarketCalendar.js';
import type { Faults } from '../faults/Faults.js';
import { AlpacaCode, ApiError, invalid, notFound } from '../http/ApiError.js';
import { ok, type Reply, type Route } from '../http/Route.js';
import type { EmulatedVenue } from '../venue/EmulatedVenue.js';
import { isFinal, type OrderRecord } from '../venue/OrderRecord.js';
import { parseOrderBody, parseOrderChanges } from '../venue/parseOrderBody.js';
import { accountJson, assetJson, calendarDayJson, clockJson, orderJson, positionJson } from '../wire/tradingJson.js';
import { decimalParam, enumParam, intParam, listParam, timeParam } from './queryValues.js';

export interface TradingRouteDeps {
  readonly venue: EmulatedVenue;
  readonly calendar: MarketCalendar;
  readonly now: () => number;
  readonly faults: Faults;
  /** Where a symbol is listed, when the data says (`assets.csv`). */
  readonly listing?: (symbol: string) => { readonly exchange: string; readonly name?: string } | undefined;
}

const DAY = 86_400_000;

/** The trading API the daemon uses (Alpaca Trading API v2), over the emulated paper account. */
export function tradingRoutes(d: TradingRouteDeps): Route[] {
  const { venue, calendar, now, faults } = d;
  const listing = d.listing ?? (() => undefined);
  const positionOf = (p: ReturnType<EmulatedVenue['positions']>[number]): Record<string, unknown> => positionJson(p, listing(p.symbol)?.exchange);
  /**
   * A bracket / OTO entry with its exits nested under `legs`: in the POST answer, in GET
   * /v2/orders/{id} and by client order id (Alpaca's `nested` there "was never actually in place":
   * alpacahq/alpaca-trade-api-go#208, the order comes with its legs), and in lists with nested=true.
   */
  const order = (r: OrderRecord): Record<string, unknown> => orderJson(r, calendar, r.legs.map((id) => venue.order(id)).filter((x) => x !== undefined));
  /** The order alone (`legs: null`): lists without nested=true, where each leg is an order of its own. */
  const flat = (r: OrderRecord): Record<string, unknown> => orderJson(r, calendar);
  const findOrder = (id: string): OrderRecord => venue.order(id) ?? notFoundOrder();
  const position = (symbolOrId: string): ReturnType<EmulatedVenue['positions']>[number] | undefined =>
    venue.positions().find((p) => p.symbol === symbolOrId || p.assetId === symbolOrId);

  const submit = (body: unknown): Reply => {
    const parsed = parseOrderBody(body);
    const rejection = faults.takeRejection();
    if (rejection === 'http') throw new ApiError(403, AlpacaCode.Forbidden, 'order rejected (emulator fault: reject_orders)');
    const r = venue.submit(parsed);
    const after = rejection === 'stream' ? () => venue.rejectLater(r.order.id) : () => venue.matchNow(r.order.symbol);
    return ok(order(r), { createsOrder: true, after });
  };

  return [
    { method: 'GET', pattern: /^\/v2\/account$/, handle: () => ok(accountJson(venue, now())) },
    { method: 'POST', pattern: /^\/v2\/orders$/, handle: (c) => submit(c.body) },
    {
      method: 'GET',
      pattern: /^\/v2\/orders$/,
      handle: ({ query }) => {
        const status = enumParam(query, 'status', 422, ['open', 'closed', 'all'] as const, 'open');
        const limit = intParam(query, 'limit', 422, 1, 500, 50);
        const direction = enumParam(query, 'direction', 422, ['asc', 'desc'] as const, 'desc');
        const after = timeParam(query, 'after', 422) ?? Number.NEGATIVE_INFINITY;
        const until = timeParam(query, 'until', 422) ?? Number.POSITIVE_INFINITY;
        const symbols = new Set(listParam(query, 'symbols'));
        const side = query.get('side');
        const nested = enumParam(query, 'nested', 422, ['true', 'false'] as const, 'false') === 'true';
        // Every order of a bracket is listed as an order of its own, nested or not (its exits also show
        // under the entry with nested=true). A `held` exit is not open at Alpaca: "one is opened at a
        // time. The other orders are held" (alpacahq/alpaca-trade-api-js#87); it lists with the closed
        // ones (alpacahq/alpaca-trade-api-python#322).
        const closed = (r: OrderRecord): boolean => isFinal(r.status) || r.status === 'held';
        let list = venue.orders().filter((r) => {
          if (status === 'open' && closed(r)) return false;
          if (status === 'closed' && !closed(r)) return false;
          const t = r.order.submittedAt;
          if (t <= after || t >= until) return false;
          if (symbols.size > 0 && !symbols.has(r.order.symbol)) return false;
          return side === null || side === r.order.side;
        });
        if (direction === 'desc') list = list.reverse();
        return ok(list.slice(0, limit).map(nested ? order : flat));
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/v2\/orders$/,
      handle: () => ({ status: 207, body: venue.cancelAll() }),
    },
    {
      method: 'GET',
      pattern: /^\/v2\/orders:by_client_order_id$/,
      handle: ({ query }) => {
        const cid = query.get('client_order_id');
        if (cid === null || cid === '') throw invalid('client_order_id is required');
        const r = venue.orderByClientId(cid);
        return r === undefined ? notFoundOrder() : ok(order(r));
      },
    },
    { method: 'GET', pattern: /^\/v2\/orders\/([^/]+)$/, handle: ({ params }) => ok(order(findOrder(params[0]!))) },
    {
      method: 'PATCH',
      pattern: /^\/v2\/orders\/([^/]+)$/,
      handle: ({ params, body }) => {
        const r = venue.replace(params[0]!, parseOrderChanges(body));
        return ok(order(r), { after: () => venue.matchNow(r.order.symbol) });
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/v2\/orders\/([^/]+)$/,
      handle: ({ params }) => {
        venue.cancel(params[0]!);
        return { status: 204 };
      },
    },
    { method: 'GET', pattern: /^\/v2\/positions$/, handle: () => ok(venue.positions().map(positionOf)) },
    {
      method: 'DELETE',
      pattern: /^\/v2\/positions$/,
      handle: ({ query }) => {
        const cancel = enumParam(query, 'cancel_orders', 422, ['true', 'false'] as const, 'false') === 'true';
        const results = venue.closeAll(cancel).map((x) => ({ symbol: x.symbol, status: x.status, body: 'order' in x.body ? order(x.body) : x.body }));
        return { status: 207, body: results, after: () => results.forEach((x) => venue.matchNow(x.symbol)) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v2\/positions\/([^/]+)$/,
      handle: ({ params }) => {
        const p = position(decodeURIComponent(params[0]!));
        if (p === undefined) throw notFound('position does not exist');
        return ok(positionOf(p));
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/v2\/positions\/([^/]+)$/,
      handle: ({ params, query }) => {
        const p = position(decodeURIComponent(params[0]!));
        if (p === undefined) throw notFound('position does not exist');
        const qty = decimalParam(query, 'qty');
        const percentage = decimalParam(query, 'percentage');
        const r = venue.closePosition(p.symbol, { ...(qty === undefined ? {} : { qty }), ...(percentage === undefined ? {} : { percentage }) });
        return ok(order(r), { createsOrder: true, after: () => venue.matchNow(p.symbol) });
      },
    },
    { method: 'GET', pattern: /^\/v2\/clock$/, handle: () => ok(clockJson(calendar, now())) },
    {
      method: 'GET',
      pattern: /^\/v2\/calendar$/,
      handle: ({ query }) => {
        // Calendar days are dates: of an RFC-3339 value (the SDK v4 sends `…T00:00:00.000Z`) the date counts.
        const day = (name: string): string | null => {
          const v = query.get(name);
          if (v === null || v === '') return null;
          const m = /^(\d{4}-\d{2}-\d{2})(T.*)?$/.exec(v);
          if (m === null || timeParam(query, name, 422) === undefined) throw invalid(`invalid ${name}: "${v}" (YYYY-MM-DD or RFC-3339)`);
          return m[1]!;
        };
        const startDay = day('start');
        const endDay = day('end');
        const start = startDay === null ? now() : Date.parse(`${startDay}T12:00:00Z`);
        const end = endDay === null ? start + 365 * DAY : Date.parse(`${endDay}T23:59:59Z`);
        if (end < start) throw invalid('end must not be before start');
        if (end - start > 60 * 366 * DAY) throw invalid('the range may cover at most 60 years');
        const days: Session[] = [];
        // Sessions by New York date: the start's own date counts whatever its time of day.
        let s = calendar.session(nyDateOf(start)) ?? calendar.nextSession(start);
        while (s.open <= end) {
          days.push(s);
          s = calendar.nextSession(s.close);
        }
        return ok(days.map((x) => calendarDayJson(x, calendar)));
      },
    },
    { method: 'GET', pattern: /^\/v2\/assets$/, handle: () => ok(venue.symbols.map((s) => assetJson(s, venue.assetId(s)!, listing(s)))) },
    {
      method: 'GET',
      pattern: /^\/v2\/assets\/([^/]+)$/,
      handle: ({ params }) => {
        const key = decodeURIComponent(params[0]!);
        const symbol = venue.symbols.find((s) => s === key || venue.assetId(s) === key);
        if (symbol === undefined) throw notFound('asset not found');
        return ok(assetJson(symbol, venue.assetId(symbol)!, listing(symbol)));
      },
    },
  ];
}

function notFoundOrder(): never {
  throw notFound('order not found');
}
