import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Clock } from '../../core/Clock.js';
import type { ApiName } from '../faults/Fault.js';
import type { Faults } from '../faults/Faults.js';
import { AlpacaCode, ApiError } from './ApiError.js';
import type { RateLimiter, RateLimitState } from './RateLimiter.js';
import type { Reply, Route } from './Route.js';

/** One answered REST request, for the contract tests (every response is checked against Alpaca's spec). */
export interface ObservedResponse {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body: unknown;
}

export interface RequestHandlerDeps {
  readonly credentials: { readonly key: string; readonly secret: string };
  readonly trading: readonly Route[];
  readonly data: readonly Route[];
  readonly admin: readonly Route[];
  readonly faults: Faults;
  readonly limiter: RateLimiter;
  readonly wall: Clock;
  readonly log: Logger;
  readonly onResponse?: (r: ObservedResponse) => void;
}

const MAX_BODY = 1 << 20;

const faultBody = (status: number): ApiError =>
  status === 429 ? new ApiError(429, AlpacaCode.RateLimited, 'rate limit exceeded') : new ApiError(status, AlpacaCode.Internal, 'internal server error');

/**
 * The REST pipeline, in Alpaca's order: authentication (both key headers), the per-minute rate limit
 * (with its X-RateLimit-* headers on every answer), injected faults, then the route. Errors answer
 * `{code, message}`; admin routes (`/admin/...`, loopback only) skip keys and limits.
 */
export function requestHandler(d: RequestHandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  let requestSeq = 0;
  const send = (req: IncomingMessage, res: ServerResponse, path: string, reply: Reply, limit: RateLimitState | null, extra: Record<string, number> = {}): void => {
    const headers: Record<string, string | number> = { 'X-Request-ID': `emu-${++requestSeq}`, ...extra };
    if (limit !== null) {
      headers['X-RateLimit-Limit'] = limit.limit;
      headers['X-RateLimit-Remaining'] = Math.max(0, limit.remaining);
      headers['X-RateLimit-Reset'] = limit.reset;
      if (!limit.allowed) headers['Retry-After'] = Math.max(1, limit.reset - Math.floor(d.wall.now() / 1000));
    }
    d.onResponse?.({ method: req.method ?? 'GET', path, status: reply.status, body: reply.body });
    if (reply.status === 204 || reply.body === undefined) {
      res.writeHead(reply.status, headers).end();
      return;
    }
    res.writeHead(reply.status, { ...headers, 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(reply.body));
  };

  const dispatch = (routes: readonly Route[], method: string, path: string, url: URL, raw: string): Reply => {
    for (const r of routes) {
      if (r.method !== method) continue;
      const m = r.pattern.exec(path);
      if (m === null) continue;
      let body: unknown;
      if (raw !== '') {
        try {
          body = JSON.parse(raw);
        } catch {
          throw new ApiError(400, 40010000, 'request body format is invalid');
        }
      }
      return r.handle({ params: m.slice(1), query: url.searchParams, body });
    }
    throw new ApiError(404, AlpacaCode.NotFound, `endpoint not found: ${method} ${path}`);
  };

  /**
   * The admin routes take no keys, so they answer only requests a browser cannot forge: a Host
   * header naming a loopback address (a DNS-rebound name is refused) and no Origin from a web page.
   */
  const adminRefusal = (req: IncomingMessage): typeof dispatch | null => {
    const host = (header(req, 'host') ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    const origin = header(req, 'origin');
    const loopback = /^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(host);
    const fromPage = origin !== undefined && origin !== '' && !/^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/.test(origin);
    if (loopback && !fromPage) return null;
    return () => {
      throw new ApiError(403, AlpacaCode.Forbidden, loopback ? `admin routes refuse requests from web pages (Origin ${origin ?? ''})` : `admin routes answer loopback hosts only (Host ${host || '(none)'})`);
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path.startsWith('/admin/')) {
      send(req, res, path, replyOf(() => (adminRefusal(req) ?? dispatch)(d.admin, method, path, url, raw)), null);
      return;
    }
    const api: ApiName = path.startsWith('/v2/stocks/') || path.startsWith('/v1beta') ? 'data' : 'trading';
    const key = header(req, 'apca-api-key-id');
    if (key !== d.credentials.key || header(req, 'apca-api-secret-key') !== d.credentials.secret) {
      send(req, res, path, replyOf(() => { throw new ApiError(401, AlpacaCode.Unauthorized, 'request is not authorized'); }), null);
      return;
    }
    const limit = d.limiter.take(`${key}|${api}`, d.wall.now());
    if (!limit.allowed) {
      send(req, res, path, replyOf(() => { throw new ApiError(429, AlpacaCode.RateLimited, 'rate limit exceeded'); }), limit);
      return;
    }
    const delay = d.faults.latency(api);
    if (delay > 0) await new Promise<void>((resolve) => d.wall.setTimeout(resolve, delay));
    const injected = d.faults.takeHttpError(api);
    if (injected !== null) {
      // An injected 429 says when to come back (a second), as the SDK reads Retry-After first.
      send(req, res, path, replyOf(() => { throw faultBody(injected); }), limit, injected === 429 ? { 'Retry-After': 1 } : {});
      return;
    }
    const reply = replyOf(() => dispatch(api === 'data' ? d.data : d.trading, method, path, url, raw));
    if (reply.createsOrder === true && d.faults.takeLostResponse()) {
      d.log.warn({ path }, 'fault: order created, its HTTP answer dropped');
      d.onResponse?.({ method, path, status: 0, body: reply.body });
      res.socket?.destroy();
    } else {
      send(req, res, path, reply, limit);
    }
    if (reply.after !== undefined) d.wall.setTimeout(reply.after, 0);
  };

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      d.log.error({ err: error, url: req.url }, 'emulator request failed');
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ code: AlpacaCode.Internal, message: 'internal server error' }));
    });
  };
}

function replyOf(fn: () => Reply): Reply {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, body: error.body() };
    throw error;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY) throw new ApiError(413, 40010000, 'request body too large');
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}
