import { nyDateOf } from '../../market-data/zonedTime.js';
import type { MarketCalendar } from '../../risk/calendar/MarketCalendar.js';
import { invalid } from '../http/ApiError.js';
import { ok, type Route } from '../http/Route.js';
import type { BarHistory } from '../market/BarHistory.js';
import { patchConfigurations } from '../venue/AccountConfigurations.js';
import type { EmulatedVenue, FillActivity } from '../venue/EmulatedVenue.js';
import { portfolioHistory } from '../venue/portfolioHistory.js';
import { decimal, rfc3339 } from '../wire/decimal.js';
import { enumParam, intParam, listParam, timeParam } from './queryValues.js';

export interface AccountRouteDeps {
  readonly venue: EmulatedVenue;
  readonly calendar: MarketCalendar;
  readonly history: BarHistory;
  readonly now: () => number;
}

/** Alpaca's activity types (the spec's ActivityType enum). The emulated account has executions (FILL) only. */
const ACTIVITY_TYPES = new Set([
  'FILL', 'TRANS', 'MISC', 'ACATC', 'ACATS', 'CFEE', 'CGD', 'CSD', 'CSW', 'DIV', 'DIVCGL', 'DIVCGS', 'DIVFEE', 'DIVFT', 'DIVNRA', 'DIVROC', 'DIVTW', 'DIVTXEX',
  'FEE', 'INT', 'INTNRA', 'INTTW', 'JNL', 'JNLC', 'JNLS', 'MA', 'NC', 'OPASN', 'OPCA', 'OPCSH', 'OPEXC', 'OPEXP', 'OPTRD', 'PTC', 'PTR', 'REORG', 'SPIN', 'SPLIT', 'FOPT',
]);

/** One execution as Alpaca's TradingActivity. */
function fillJson(f: FillActivity): Record<string, unknown> {
  return {
    id: f.id,
    activity_type: 'FILL',
    transaction_time: rfc3339(f.time),
    type: f.type,
    price: decimal(f.price, 6),
    qty: decimal(f.qty, 9),
    side: f.side,
    symbol: f.symbol,
    leaves_qty: decimal(f.leavesQty, 9),
    order_id: f.orderId,
    cum_qty: decimal(f.cumQty, 9),
    order_status: f.orderStatus,
  };
}

/**
 * The account's history and settings: GET /v2/account/activities (all, or of one type), GET
 * /v2/account/portfolio/history, GET/PATCH /v2/account/configurations.
 *
 * Activities, as the spec and Alpaca's docs page them: newest first unless `direction=asc`;
 * `page_size` 1–100 (default 100; with `date`, everything that day unless a page size is given);
 * `page_token` the id of the last activity of the previous page (the next page starts after it);
 * `until` / `after` bound the transaction time (exclusive; a date alone is New York midnight), `date`
 * keeps one New York trading date and excludes them; `activity_types` (a list) and `category` exclude
 * each other. Non-trade activities (dividends, fees, transfers) never happen here: they are empty.
 */
export function accountRoutes(d: AccountRouteDeps): Route[] {
  const { venue, now, history, calendar } = d;

  const activities = (query: URLSearchParams, types: ReadonlySet<string> | null): Record<string, unknown>[] => {
    const category = enumParam(query, 'category', 422, ['trade_activity', 'non_trade_activity'] as const, 'trade_activity');
    const wantsFills = (types === null || types.has('FILL')) && (query.get('category') === null || category === 'trade_activity');
    const date = query.get('date');
    const until = timeParam(query, 'until', 422);
    const after = timeParam(query, 'after', 422);
    if (date !== null && date !== '' && (until !== undefined || after !== undefined)) throw invalid('date cannot be used with until or after');
    const day = date === null || date === '' ? undefined : nyDateOf(timeParam(query, 'date', 422)!);
    const direction = enumParam(query, 'direction', 422, ['asc', 'desc'] as const, 'desc');
    const size = intParam(query, 'page_size', 422, 1, 100, day === undefined ? 100 : Number.MAX_SAFE_INTEGER);
    let list = wantsFills
      ? venue.activities().filter((f) => (until === undefined || f.time < until) && (after === undefined || f.time > after) && (day === undefined || nyDateOf(f.time) === day))
      : [];
    if (direction === 'desc') list = [...list].reverse();
    const token = query.get('page_token');
    if (token !== null && token !== '') {
      const at = list.findIndex((f) => f.id === token);
      if (at === -1) {
        if (!venue.activities().some((f) => f.id === token)) throw invalid(`invalid page_token: "${token}"`);
        list = [];
      } else {
        list = list.slice(at + 1);
      }
    }
    return list.slice(0, size).map(fillJson);
  };

  return [
    {
      method: 'GET',
      pattern: /^\/v2\/account\/activities$/,
      handle: ({ query }) => {
        const raw = listParam(query, 'activity_types');
        if (raw.length > 0 && query.get('category') !== null) throw invalid('activity_types and category cannot be used together');
        for (const t of raw) if (!ACTIVITY_TYPES.has(t)) throw invalid(`invalid activity_types: "${t}"`);
        return ok(activities(query, raw.length === 0 ? null : new Set(raw)));
      },
    },
    {
      method: 'GET',
      pattern: /^\/v2\/account\/activities\/([^/]+)$/,
      handle: ({ params, query }) => {
        const type = decodeURIComponent(params[0]!);
        if (!ACTIVITY_TYPES.has(type)) throw invalid(`invalid activity_type: "${type}"`);
        return ok(activities(query, new Set([type])));
      },
    },
    {
      method: 'GET',
      pattern: /^\/v2\/account\/portfolio\/history$/,
      handle: ({ query }) => {
        const at = now();
        const extended = query.get('extended_hours') === 'true';
        const cashflow = query.get('cashflow_types');
        return ok(
          portfolioHistory(
            { calendar, startingCash: venue.startingCash, createdAt: venue.createdAt, fills: venue.activities(), priceAt: (s, t) => history.priceAt(s, t), now: at, equityNow: venue.account().equity },
            {
              period: query.get('period') ?? undefined,
              timeframe: query.get('timeframe') ?? undefined,
              intradayReporting: enumParam(query, 'intraday_reporting', 422, ['market_hours', 'extended_hours', 'continuous'] as const, extended ? 'extended_hours' : 'market_hours'),
              start: timeParam(query, 'start', 422),
              end: timeParam(query, 'end', 422),
              pnlReset: enumParam(query, 'pnl_reset', 422, ['per_day', 'no_reset'] as const, 'per_day'),
              cashflow: cashflow !== null && cashflow !== '' && cashflow !== 'NONE',
            },
          ),
        );
      },
    },
    { method: 'GET', pattern: /^\/v2\/account\/configurations$/, handle: () => ok({ ...venue.configurations }) },
    {
      method: 'PATCH',
      pattern: /^\/v2\/account\/configurations$/,
      handle: ({ body }) => {
        patchConfigurations(venue.configurations, body);
        return ok({ ...venue.configurations });
      },
    },
  ];
}
