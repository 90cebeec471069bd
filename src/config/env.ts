import { readFileSync } from 'node:fs';
import { parse } from 'dotenv';
import { ConfigError } from '../core/errors.js';

export interface AlpacaEnv {
  readonly keyId: string;
  readonly secretKey: string;
  /** Trading API: the paper URL unless live trading was deliberately allowed. */
  readonly baseUrl: string;
  readonly dataUrl: string;
  readonly dataStreamUrl: string;
  readonly feed: 'iex' | 'sip';
  readonly live: boolean;
}

export interface TelegramEnv {
  readonly botToken: string;
  readonly chatId: string;
  readonly apiRoot: string;
  /** Who may command the bot (a user id); default the chat id (a private chat). Needed in a group: only this member's commands count. */
  readonly ownerId?: string;
}

/** Secrets and endpoints from the environment (and `.env`). Null: that service is not configured. */
export interface DaemonEnv {
  readonly alpaca: AlpacaEnv | null;
  readonly telegram: TelegramEnv | null;
}

const PAPER_URL = 'https://paper-api.alpaca.markets';
const DATA_URL = 'https://data.alpaca.markets';
const DATA_STREAM_URL = 'wss://stream.data.alpaca.markets';
const TELEGRAM_API = 'https://api.telegram.org';
const LIVE_HOST = 'api.alpaca.markets';

/** Reads a dotenv file; an absent file is an empty one. */
export function readDotEnv(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
  return parse(text);
}

/**
 * Validates the variables the daemon reads, and reports every problem at once (one line each,
 * naming the variable). Keys come in pairs (both or neither); an empty value is unset; a value
 * still holding the `.env.example` placeholder is an error, not a key. The live trading URL is
 * flagged `live`: the start command refuses it unless started with `--live` and the configuration
 * has its `live` section (stricter breakers): moving to real money is a deliberate act. The SDK's
 * own names (APCA_API_KEY_ID, APCA_API_SECRET_KEY, APCA_API_BASE_URL) are accepted too.
 */
export function parseEnv(env: Readonly<Record<string, string | undefined>>): DaemonEnv {
  const problems: string[] = [];
  const read: Reader = {
    get: (...names) => {
      for (const n of names) {
        const v = env[n]?.trim();
        if (v === undefined || v === '') continue;
        if (/^your[-_]|^123456:your/i.test(v)) problems.push(`${n}: still holds the placeholder from .env.example; put your own value in .env or remove the line`);
        return [n, v];
      }
      return null;
    },
    problem: (line) => problems.push(line),
  };
  const parsed = { alpaca: alpacaEnv(read), telegram: telegramEnv(read) };
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
  return Object.freeze(parsed);
}

/** How the parts read the environment: a variable (the first of its names that is set), and where a problem goes. */
interface Reader {
  get(...names: string[]): [string, string] | null;
  problem(line: string): void;
}

/** Whether a pair is set; one without the other is a problem. */
function pair(read: Reader, a: [string, string] | null, b: [string, string] | null, aName: string, bName: string): boolean {
  if (a === null && b === null) return false;
  if (a === null) read.problem(`${aName}: is missing (${b![0]} is set); give both or neither`);
  if (b === null) read.problem(`${bName}: is missing (${a![0]} is set); give both or neither`);
  return a !== null && b !== null;
}

/** The URL without its trailing slashes, or the fallback (and a problem) when it is not one of `protocols`. */
function url(read: Reader, [name, value]: [string, string], protocols: readonly string[], fallback: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    read.problem(`${name}: "${value}" is not a URL`);
    return fallback;
  }
  if (!protocols.includes(u.protocol)) {
    read.problem(`${name}: must start with ${protocols.map((p) => `${p}//`).join(' or ')}, got "${value}"`);
    return fallback;
  }
  return value.replace(/\/+$/, '');
}

/**
 * A REST base URL without the API version: Alpaca's dashboard shows the endpoint as
 * `https://paper-api.alpaca.markets/v2`, while the SDK's paths start with `/v2` themselves (Alpaca's
 * docs: set the domain, `https://paper-api.alpaca.markets`); kept, every request went to `/v2/v2/…`.
 */
const withoutVersion = (base: string): string => base.replace(/\/v2$/, '');

function alpacaEnv(read: Reader): AlpacaEnv | null {
  const key = read.get('ALPACA_API_KEY', 'APCA_API_KEY_ID');
  const secret = read.get('ALPACA_SECRET_KEY', 'APCA_API_SECRET_KEY');
  if (!pair(read, key, secret, 'ALPACA_API_KEY', 'ALPACA_SECRET_KEY')) return null;
  const base = read.get('ALPACA_BASE_URL', 'APCA_API_BASE_URL');
  const baseUrl = base === null ? PAPER_URL : withoutVersion(url(read, base, ['https:', 'http:'], PAPER_URL));
  const data = read.get('ALPACA_DATA_URL');
  const dataUrl = data === null ? DATA_URL : withoutVersion(url(read, data, ['https:', 'http:'], DATA_URL));
  const stream = read.get('ALPACA_DATA_STREAM_URL');
  const dataStreamUrl = stream === null ? DATA_STREAM_URL : url(read, stream, ['wss:', 'ws:'], DATA_STREAM_URL);
  const feed = read.get('ALPACA_DATA_FEED');
  if (feed !== null && feed[1] !== 'iex' && feed[1] !== 'sip') read.problem(`ALPACA_DATA_FEED: must be iex or sip, got "${feed[1]}"`);
  return Object.freeze({
    keyId: key![1],
    secretKey: secret![1],
    baseUrl,
    dataUrl,
    dataStreamUrl,
    feed: (feed?.[1] ?? 'iex') as 'iex' | 'sip',
    // The fully qualified name (a trailing dot) is the same host to DNS and TLS: real money too.
    live: new URL(baseUrl).hostname.replace(/\.$/, '') === LIVE_HOST,
  });
}

function telegramEnv(read: Reader): TelegramEnv | null {
  const token = read.get('TELEGRAM_BOT_TOKEN');
  const chat = read.get('TELEGRAM_CHAT_ID');
  if (!pair(read, token, chat, 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_CHAT_ID')) return null;
  const root = read.get('TELEGRAM_API_ROOT');
  const owner = read.get('TELEGRAM_OWNER_ID');
  // Never echo the token itself, even in an error.
  if (!/^\d+:[\w-]{20,}$/.test(token![1])) read.problem('TELEGRAM_BOT_TOKEN: does not look like a bot token from @BotFather (digits:letters)');
  if (!/^-?\d+$|^@\w{5,}$/.test(chat![1])) read.problem(`TELEGRAM_CHAT_ID: must be a numeric chat id or @channelname, got "${chat![1]}"`);
  if (owner !== null && !/^\d+$/.test(owner[1])) read.problem(`TELEGRAM_OWNER_ID: must be a numeric user id, got "${owner[1]}"`);
  return Object.freeze({
    botToken: token![1],
    chatId: chat![1],
    ...(owner === null ? {} : { ownerId: owner[1] }),
    apiRoot: root === null ? TELEGRAM_API : url(read, root, ['https:', 'http:'], TELEGRAM_API),
  });
}
