import { Alpaca } from '@alpacahq/alpaca-trade-api';
import type { AlpacaEnv } from '../../config/env.js';

/** The hosts the SDK (v4) is built for; it has no base-URL option, so requests are re-addressed on the way out. */
const PAPER_HOST = 'https://paper-api.alpaca.markets';
const LIVE_HOST = 'https://api.alpaca.markets';
const DATA_HOST = 'https://data.alpaca.markets';

/** Where the daemon talks to Alpaca (or to a local emulator), every URL derived from `.env`. */
export interface AlpacaEndpoints {
  readonly client: Alpaca;
  /** The trade-updates stream: the trading base URL with ws(s) and `/stream`. */
  readonly tradeStreamUrl: string;
  /** The stock stream of the configured feed (`…/v2/iex`). */
  readonly dataStreamUrl: string;
}

/**
 * The official SDK pointed at the configured URLs (NOTES 1.2: `fetchApi` rewrites its fixed hosts).
 * Its own rate limiter and retries are off: the broker keeps its own budget and never retries a POST
 * blindly.
 */
export function alpacaEndpoints(env: AlpacaEnv, o: { timeoutMs?: number } = {}): AlpacaEndpoints {
  const rewrite = (url: string): string => {
    if (url.startsWith(PAPER_HOST)) return env.baseUrl + url.slice(PAPER_HOST.length);
    if (url.startsWith(LIVE_HOST)) return env.baseUrl + url.slice(LIVE_HOST.length);
    if (url.startsWith(DATA_HOST)) return env.dataUrl + url.slice(DATA_HOST.length);
    return url;
  };
  const client = new Alpaca({
    keyId: env.keyId,
    secret: env.secretKey,
    paper: !env.live,
    rateLimit: false,
    retry: false,
    timeoutMs: o.timeoutMs ?? 15_000,
    fetchApi: (url, init) => fetch(rewrite(String(url)), init),
  });
  return {
    client,
    tradeStreamUrl: `${env.baseUrl.replace(/^http/, 'ws')}/stream`,
    dataStreamUrl: `${env.dataStreamUrl}/v2/${env.feed}`,
  };
}
