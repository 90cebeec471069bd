import { Buffer } from 'node:buffer';
import { ApiError } from '../http/ApiError.js';
import { ok, type Route } from '../http/Route.js';
import { parseAlpacaTimeframe, type AlpacaTimeframe } from '../market/AlpacaTimeframe.js';
import type { BarHistory } from '../market/BarHistory.js';
import type { MarketReplay } from '../market/MarketReplay.js';
import type { StreamBar } from '../market/MarketEvent.js';
import { barJson, quoteJson, tradeJson } from '../wire/dataJson.js';
import { badQuery, enumParam, intParam, listParam, timeParam } from './queryValues.js';

export interface DataRouteDeps {
  readonly history: BarHistory;
  readonly replay: MarketReplay;
  readonly now: () => number;
}

const FEEDS = ['iex', 'sip', 'delayed_sip', 'otc', 'boats', 'overnight'] as const;
const ADJUSTMENTS = /^(raw|split|dividend|spin-off|all)(,(raw|split|dividend|spin-off|all))*$/;

interface BarQuery {
  readonly tf: AlpacaTimeframe;
  readonly start: number;
  readonly end: number;
  readonly limit: number;
  readonly desc: boolean;
  readonly token: { readonly symbol: string; readonly time: number } | null;
}

/** `page_token`: where the next page starts (symbol and bar time), opaque to clients. */
const encodeToken = (symbol: string, time: number): string => Buffer.from(`${symbol}|${time}`).toString('base64url');

function decodeToken(text: string | null): BarQuery['token'] {
  if (text === null || text === '') return null;
  const [symbol, time] = Buffer.from(text, 'base64url').toString().split('|');
  const t = Number(time);
  if (symbol === undefined || symbol === '' || !Number.isFinite(t)) throw badQuery(400, 'invalid page_token');
  return { symbol, time: t };
}

/** The stock market-data API (Market Data API v2): historical bars, latest trades, quotes and bars. */
export function dataRoutes(d: DataRouteDeps): Route[] {
  const { history, replay, now } = d;

  const barQuery = (q: URLSearchParams): BarQuery => {
    const raw = q.get('timeframe');
    if (raw === null || raw === '') throw badQuery(400, 'timeframe is required');
    const tf = parseAlpacaTimeframe(raw);
    if (tf === null) throw badQuery(400, `invalid timeframe: "${raw}"`);
    enumParam(q, 'feed', 400, FEEDS, 'iex');
    const adjustment = q.get('adjustment');
    if (adjustment !== null && !ADJUSTMENTS.test(adjustment)) throw badQuery(400, `invalid adjustment: "${adjustment}"`);
    const current = now();
    // Alpaca's defaults: from the start of the current (New York) day, up to now.
    const start = timeParam(q, 'start', 400) ?? current - (current % 86_400_000);
    const end = Math.min(timeParam(q, 'end', 400, true) ?? current, current);
    const limit = intParam(q, 'limit', 400, 1, 10_000, 1000);
    const desc = enumParam(q, 'sort', 400, ['asc', 'desc'] as const, 'asc') === 'desc';
    return { tf, start, end, limit, desc, token: decodeToken(q.get('page_token')) };
  };

  /** Bars of several symbols, by symbol then time, `limit` points in all, resumed from the token. */
  const page = (symbols: readonly string[], q: BarQuery): { bars: Map<string, StreamBar[]>; next: string | null } => {
    const bars = new Map<string, StreamBar[]>();
    let left = q.limit;
    let started = q.token === null;
    for (const symbol of [...new Set(symbols)].sort()) {
      if (!started && symbol !== q.token!.symbol) continue;
      let list = history.has(symbol) ? history.bars(symbol, q.tf, q.start, q.end, now()) : [];
      if (q.desc) list = list.reverse();
      if (!started) {
        const from = q.token!.time;
        list = list.filter((b) => (q.desc ? b.time <= from : b.time >= from));
        started = true;
      }
      if (list.length === 0) continue;
      // The page is full and more points remain: the token says where the next page starts.
      if (left === 0) return { bars, next: encodeToken(symbol, list[0]!.time) };
      if (list.length > left) {
        bars.set(symbol, list.slice(0, left));
        return { bars, next: encodeToken(symbol, list[left]!.time) };
      }
      bars.set(symbol, list);
      left -= list.length;
    }
    return { bars, next: null };
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

  return [
    {
      method: 'GET',
      pattern: /^\/v2\/stocks\/bars$/,
      handle: ({ query }) => {
        const q = barQuery(query);
        const { bars, next } = page(symbolsParam(query), q);
        return ok({ bars: Object.fromEntries([...bars].map(([s, l]) => [s, l.map(barJson)])), next_page_token: next, currency: 'USD' });
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
      pattern: /^\/v2\/stocks\/([^/]+)\/bars$/,
      handle: ({ params, query }) => {
        const symbol = decodeURIComponent(params[0]!);
        const { bars, next } = page([symbol], barQuery(query));
        // Never null, even when nothing matches (alpaca-trade-api-js #192).
        return ok({ symbol, bars: (bars.get(symbol) ?? []).map(barJson), next_page_token: next, currency: 'USD' });
      },
    },
    {
      method: 'GET',
      pattern: /^\/v2\/stocks\/([^/]+)\/trades\/latest$/,
      handle: ({ params }) => {
        const symbol = decodeURIComponent(params[0]!);
        const t = replay.latestTrade(symbol);
        if (t === undefined) throw new ApiError(404, 40410000, `no trade found for ${symbol}`);
        return ok({ symbol, trade: tradeJson(t), currency: 'USD' });
      },
    },
    {
      method: 'GET',
      pattern: /^\/v2\/stocks\/([^/]+)\/quotes\/latest$/,
      handle: ({ params }) => {
        const symbol = decodeURIComponent(params[0]!);
        const q = replay.latestQuote(symbol);
        if (q === undefined) throw new ApiError(404, 40410000, `no quote found for ${symbol}`);
        return ok({ symbol, quote: quoteJson(q), currency: 'USD' });
      },
    },
  ];
}

function map<T, U>(v: T | undefined, f: (v: T) => U): U | undefined {
  return v === undefined ? undefined : f(v);
}
