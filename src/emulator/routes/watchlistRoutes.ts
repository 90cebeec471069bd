import { invalid } from '../http/ApiError.js';
import { ok, type Route } from '../http/Route.js';
import type { EmulatedVenue } from '../venue/EmulatedVenue.js';
import type { Watchlist, WatchlistChanges, Watchlists } from '../venue/Watchlists.js';
import { rfc3339 } from '../wire/decimal.js';
import { assetJson } from '../wire/tradingJson.js';

export interface WatchlistRouteDeps {
  readonly venue: EmulatedVenue;
  readonly watchlists: Watchlists;
  readonly listing?: (symbol: string) => { readonly exchange: string; readonly name?: string } | undefined;
}

/** A PUT/POST body: `{name, symbols}`, both optional here (the store says what is missing). */
function changes(body: unknown): WatchlistChanges {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('request body must be a JSON object');
  const b = body as Record<string, unknown>;
  const symbols = b['symbols'];
  if (symbols !== undefined && symbols !== null && !Array.isArray(symbols)) throw invalid('symbols must be a list of symbols');
  return { ...(b['name'] === undefined ? {} : { name: b['name'] as string }), ...(Array.isArray(symbols) ? { symbols: symbols as string[] } : {}) };
}

const symbolOf = (body: unknown): unknown => (typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['symbol'] : undefined);

/** Alpaca's watchlist CRUD, by id (`/v2/watchlists/{id}`) and by name (`/v2/watchlists:by_name?name=`). */
export function watchlistRoutes(d: WatchlistRouteDeps): Route[] {
  const { venue, watchlists } = d;
  const listing = d.listing ?? (() => undefined);
  const head = (w: Watchlist): Record<string, unknown> => ({ id: w.id, account_id: venue.accountId, created_at: rfc3339(w.createdAt), updated_at: rfc3339(w.updatedAt), name: w.name });
  const full = (w: Watchlist): Record<string, unknown> => ({ ...head(w), assets: w.symbols.map((s) => assetJson(s, venue.assetId(s)!, listing(s))) });
  const byName = (q: URLSearchParams): Watchlist => watchlists.byName(q.get('name'));
  return [
    { method: 'GET', pattern: /^\/v2\/watchlists$/, handle: () => ok(watchlists.list().map(head)) },
    { method: 'POST', pattern: /^\/v2\/watchlists$/, handle: ({ body }) => ok(full(watchlists.create(changes(body)))) },
    { method: 'GET', pattern: /^\/v2\/watchlists:by_name$/, handle: ({ query }) => ok(full(byName(query))) },
    { method: 'PUT', pattern: /^\/v2\/watchlists:by_name$/, handle: ({ query, body }) => ok(full(watchlists.update(byName(query), changes(body)))) },
    { method: 'POST', pattern: /^\/v2\/watchlists:by_name$/, handle: ({ query, body }) => ok(full(watchlists.add(byName(query), symbolOf(body)))) },
    {
      method: 'DELETE',
      pattern: /^\/v2\/watchlists:by_name$/,
      handle: ({ query }) => {
        watchlists.delete(byName(query));
        return { status: 204 };
      },
    },
    { method: 'GET', pattern: /^\/v2\/watchlists\/([^/]+)$/, handle: ({ params }) => ok(full(watchlists.get(params[0]!))) },
    { method: 'PUT', pattern: /^\/v2\/watchlists\/([^/]+)$/, handle: ({ params, body }) => ok(full(watchlists.update(watchlists.get(params[0]!), changes(body)))) },
    { method: 'POST', pattern: /^\/v2\/watchlists\/([^/]+)$/, handle: ({ params, body }) => ok(full(watchlists.add(watchlists.get(params[0]!), symbolOf(body)))) },
    {
      method: 'DELETE',
      pattern: /^\/v2\/watchlists\/([^/]+)$/,
      handle: ({ params }) => {
        watchlists.delete(watchlists.get(params[0]!));
        return { status: 204 };
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/v2\/watchlists\/([^/]+)\/([^/]+)$/,
      handle: ({ params }) => ok(full(watchlists.remove(watchlists.get(params[0]!), decodeURIComponent(params[1]!)))),
    },
  ];
}
