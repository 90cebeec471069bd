import { Buffer } from 'node:buffer';
import { NEW_YORK, nyDateOf, wallTimeToUtc } from '../../market-data/zonedTime.js';
import { ApiError } from '../http/ApiError.js';
import { ok, type Route } from '../http/Route.js';
import { parseAlpacaTimeframe } from '../market/AlpacaTimeframe.js';
import type { BarHistory } from '../market/BarHistory.js';
import type { MarketReplay } from '../market/MarketReplay.js';
import type { StreamBar } from '../market/MarketEvent.js';
import type { TapeOptions } from '../market/minuteTape.js';
import { quotesIn, tradesIn, type TickKey } from '../market/tickHistory.js';
import { barJson, quoteJson, tradeJson } from '../wire/dataJson.js';
import { badQuery, enumParam, intParam, listParam, timeParam } from './queryValues.js';

export interface DataRouteDeps {
  readonly history: BarHistory;
  readonly replay: MarketReplay;
  readonly tape: TapeOptions;
  readonly now: () => number;
}

const FEEDS = ['iex', 'sip', 'delayed_sip', 'otc', 'boats', 'overnight'] as const;
const ADJUSTMENTS = /^(raw|split|dividend|spin-off|all)(,(raw|split|dividend|spin-off|all))*$/;
const DAY = 86_400_000;

/** A page of a time series: where it starts, how many points in all, which way. */
interface Window {
  readonly start: number;
  readonly end: number;
  readonly limit: number;
  readonly desc: boolean;
  readonly token: { readonly symbol: string; readonly key: TickKey } | null;
}

/** `page_token`: where the next page starts (symbol, time, tick id), opaque to clients. */
const encodeToken = (symbol: string, key: TickKey): string => Buffer.from(`${symbol}|${key.time}|${key.id}`).toString('base64url');

function decodeToken(text: string | null): Window['token'] {
  if (text === null || text === '') return null;
  const [symbol, time, id] = Buffer.from(text, 'base64url').toString().split('|');
  const t = Number(time);
  const i = Number(id ?? '0');
  if (symbol === undefined || symbol === '' || !Number.isFinite(t) || !Number.isFinite(i)) throw badQuery(400, 'invalid page_token');
  return { symbol, key: { time: t, id: i } };
}

/**
 * Points of several symbols, by symbol then time, `limit` points in all (Alpaca counts the limit across
 * symbols), resumed from the token; the token of the next page names the first point left out.
 */
function pageOf<T>(symbols: readonly string[], w: Window, list: (symbol: string, from: TickKey | undefined) => Iterable<T>, key: (x: T) => TickKey): { items: Map<string, T[]>; next: string | null } {
  const items = new Map<string, T[]>();
  let left = w.limit;
  let started = w.token === null;
  for (const symbol of [...new Set(symbols)].sort()) {
    if (!started && symbol < w.token!.symbol) continue;
    const from = !started && symbol === w.token!.symbol ? w.token!.key : undefined;
    started = true;
    const got: T[] = [];
    for (const x of list(symbol, from)) {
      if (left === 0) {
        if (got.length > 0) items.set(symbol, got);
        return { items, next: encodeToken(symbol, key(x)) };
      }
      got.push(x);
      left--;
    }
    if (got.length > 0) items.set(symbol, got);
  }
  return { items, next: null };
}

/**
 * The stock market-data API (Market Data API v2) over the replayed market: historical bars, trades
 * and quotes (paged like Alpaca's), latest trades, quotes and bars, and snapshots. Nothing the market
 * has not reached is ever given.
 */
export function dataRoutes(d: DataRouteDeps): Route[] {
  const { history, replay, now, tape } = d;

  const windowOf = (q: URLSearchParams): Window => {
    enumParam(q, 'feed', 400, FEEDS, 'iex');
    const current = now();
    // Alpaca's defaults: from the start of the current (New York) day, up to now.
    const today = nyDateOf(current);
    const start = timeParam(q, 'start', 400) ?? wallTimeToUtc(Number(today.slice(0, 4)), Number(today.slice(5, 7)), Number(today.slice(8, 10)), 0, 0, 0, 0, NEW_YORK);
    const end = Math.min(timeParam(q, 'end', 400, true) ?? current, current);
    const limit = intParam(q, 'limit', 400, 1, 10_000, 1000);
    const desc = enumParam(q, 'sort', 400, ['asc', 'desc'] as const, 'asc') === 'desc';
    return { start, end, limit, desc, token: decodeToken(q.get('page_token')) };
  };

  const barPage = (symbols: readonly string[], q: URLSearchParams): { items: Map<string, StreamBar[]>; next: string | null } => {
    const raw = q.get('timeframe');
    if (raw === null || raw === '') throw badQuery(400, 'timeframe is required');
    const tf = parseAlpacaTimeframe(raw);
    if (tf === null) throw badQuery(400, `invalid timeframe: "${raw}"`);
    const adjustment = q.get('adjustment');
    if (adjustment !== null && !ADJUSTMENTS.test(adjustment)) throw badQuery(400, `invalid adjustment: "${adjustment}"`);
    const w = windowOf(q);
    const at = now();
    return pageOf(
      symbols,
      w,
      (symbol, from) => {
        let list = history.has(symbol) ? history.bars(symbol, tf, w.start, w.end, at) : [];
        if (w.desc) list = list.reverse();
        return from === undefined ? list : list.filter((b) => (w.desc ? b.time <= from.time : b.time >= from.time));
      },
      (b) => ({ time: b.time, id: 0 }),
    );
  };

  const tradePage = (symbols: readonly string[], q: URLSearchParams) => {
    const w = windowOf(q);
    const at = now();
    return pageOf(symbols, w, (symbol, from) => tradesIn(history.minuteBars(symbol), tape, { ...w, now: at, from }), (t) => ({ time: t.time, id: t.id }));
  };

  const quotePage = (symbols: readonly string[], q: URLSearchParams) => {
    const w = windowOf(q);
    const at = now();
    return pageOf(symbols, w, (symbol, from) => quotesIn(history.minuteBars(symbol), tape, { ...w, now: at, from }), (x) => ({ time: x.time, id: 0 }));
  };

  const symbolsParam = (q: URLSearchParams): string[] => {
    const symbols = listParam(q, 'symbols');
    if (symbols.length === 0) throw badQuery(400, 'symbols is required');
    return symbols;
  };

  const record = <T>(symbols: readonly string[], f: (s: string) => T | undefined): Record<string, T> => {
    const out: Record<string, T> = {};
    for (const s of symbols) {
      const v = f(s);
      if (v !== undefined) out[s] = v;
    }
    return out;
  };

  const byName = <T>(items: Map<string, T[]>, f: (x: T) => Record<string, unknown>): Record<string, unknown> => Object.fromEntries([...items].map(([s, l]) => [s, l.map(f)]));

  /** Latest trade, quote and minute bar, today's daily bar so far and the one before: Alpaca's snapshot. */
  const snapshot = (symbol: string): Record<string, unknown> | undefined => {
    const at = now();
    const days = history.has(symbol) ? history.bars(symbol, { unit: 'Day', amount: 1, label: '1Day' }, at - 30 * DAY, at, at) : [];
    const out: Record<string, unknown> = {};
    const trade = replay.latestTrade(symbol);
    const quote = replay.latestQuote(symbol);
    const bar = replay.latestBar(symbol);
    if (trade !== undefined) out['latestTrade'] = tradeJson(trade);
    if (quote !== undefined) out['latestQuote'] = quoteJson(quote);
    if (bar !== undefined) out['minuteBar'] = barJson(bar);
    if (days.length > 0) out['dailyBar'] = barJson(days[days.length - 1]!);
    if (days.length > 1) out['prevDailyBar'] = barJson(days[days.length - 2]!);
    return Object.keys(out).length === 0 ? undefined : out;
  };

  const single = (symbolParam: string): string => decodeURIComponent(symbolParam);
  const none = (what: string, symbol: string): never => {
    throw new ApiError(404, 40410000, `no ${what} found for ${symbol}`);
  };

  return [
    {
      method: 'GET',
      pattern: /^\/v2\/stocks\/bars$/,
      handle: ({ query }) => {
        const { items, next } = barPage(symbolsParam(query), query);
        return ok({ bars: byName(items, barJson), next_page_token: next, currency: 'USD' });
      },
    },
    {
      method: 'GET',
      pattern: /^\/v2\/stocks\/trades$/,
      handle: ({ query }) => {
        const { items, next } = tradePage(symbolsParam(query), query);
        return ok({ trades: byName(items, tradeJson), next_page_token: next, currency: 'USD' });
      },
    },
    {
      method: 'GET',
      pattern: /^\/v2\/stocks\/quotes$/,
      handle: ({ query }) => {
        const { items, next } = quotePage(symbolsParam(query), query);
        return ok({ quotes: byName(items, quoteJson), next_page_token: next, currency: 'USD' });
      },
    },
    {
      method: 'GET',
      pattern: /^\/v2\/stocks\/bars\/latest$/,
      handle: ({ query }) => ok({ bars: record(symbolsParam(query), (s) => map(replay.latestBar(s), barJson)), currency: 'USD' }),
    },
    {
      method: 'GET',
      pattern: /^\/v2\/stocks\/trades\/latest$/,
      handle: ({ query }) => ok({ trades: record(symbolsParam(query), (s) => map(replay.latestTrade(s), tradeJson)), currency: 'USD' }),
    },
    {
      method: 'GET',
      pattern: /^\/v2\/stocks\/quotes\/latest$/,
      handle: ({ query }) => ok({ quotes: record(symbolsParam(query), (s) => map(replay.latestQuote(s), quoteJson)), currency: 'USD' }),
    },
    {
      method: 'GET',
      pattern: /^\/v2\/stocks\/snapshots$/,
      handle: ({ query }) => {
        enumParam(query, 'feed', 400, FEEDS, 'iex');
        return ok(record(symbolsParam(query), snapshot));
      },
    },
    {
      method: 'GET',
      pattern: /^\/v2\/stocks\/([^/]+)\/bars$/,
      handle: ({ params, query }) => {
        const symbol = single(params[0]!);
        const { items, next } = barPage([symbol], query);
        // Never null, even when nothing matches (alpaca-trade-api-js #192).
        return ok({ symbol, bars: (items.get(symbol) ?? []).map(barJson), next_page_token: next, currency: 'USD' });
      },
    },
    {
      method: 'GET',
      pattern: /^\/v2\/stocks\/([^/]+)\/trades$/,
      handle: ({ params, query }) => {
        const symbol = single(params[0]!);
        const { items, next } = tradePage([symbol], query);
        return ok({ symbol, trades: (items.get(symbol) ?? []).map(tradeJson), next_page_token: next, currency: 'USD' });
      },
    },
    {
      method: 'GET',
      pattern: /^\/v2\/stocks\/([^/]+)\/quotes$/,
      handle: ({ params, query }) => {
        const symbol = single(params[0]!);
        const { items, next } = quotePage([symbol], query);
        return ok({ symbol, quotes: (items.get(symbol) ?? []).map(quoteJson), next_page_token: next, currency: 'USD' });
      },
    },
    {
      method: 'GET',
      pattern: /^\/v2\/stocks\/([^/]+)\/bars\/latest$/,
      handle: ({ params }) => {
        const symbol = single(params[0]!);
        const b = replay.latestBar(symbol) ?? none('bar', symbol);
        return ok({ symbol, bar: barJson(b), currency: 'USD' });
      },
    },
    {
      method: 'GET',
      pattern: /^\/v2\/stocks\/([^/]+)\/trades\/latest$/,
      handle: ({ params }) => {
        const symbol = single(params[0]!);
        const t = replay.latestTrade(symbol) ?? none('trade', symbol);
        return ok({ symbol, trade: tradeJson(t), currency: 'USD' });
      },
    },
    {
      method: 'GET',
      pattern: /^\/v2\/stocks\/([^/]+)\/quotes\/latest$/,
      handle: ({ params }) => {
        const symbol = single(params[0]!);
        const q = replay.latestQuote(symbol) ?? none('quote', symbol);
        return ok({ symbol, quote: quoteJson(q), currency: 'USD' });
      },
    },
    {
      method: 'GET',
      pattern: /^\/v2\/stocks\/([^/]+)\/snapshot$/,
      handle: ({ params, query }) => {
        enumParam(query, 'feed', 400, FEEDS, 'iex');
        const symbol = single(params[0]!);
        const s = snapshot(symbol) ?? none('data', symbol);
        return ok({ symbol, ...s, currency: 'USD' });
      },
    },
  ];
}

function map<T, U>(v: T | undefined, f: (v: T) => U): U | undefined {
  return v === undefined ? undefined : f(v);
}
