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
 * Validates the variables the daemon reads. Keys come in pairs (both or neither); an empty value
 * is unset; a value still holding the `.env.example` placeholder is an error, not a key. The live
 * trading URL is flagged `live`: the start command refuses it unless started with `--live` and the
 * configuration has its `live` section (stricter breakers): moving to real money is a deliberate act.
 * The SDK's own names (APCA_API_KEY_ID, APCA_API_SECRET_KEY, APCA_API_BASE_URL) are accepted too.
 */
export function parseEnv(env: Readonly<Record<string, string | undefined>>): DaemonEnv {
  const get = (...names: string[]): [string, string] | null => {
    for (const n of names) {
      const v = env[n]?.trim();
      if (v !== undefined && v !== '') {
        if (/^your[-_]|^123456:your/i.test(v)) throw new ConfigError(`${n}: still holds the placeholder from .env.example; put your own value in .env or remove the line`);
        return [n, v];
      }
    }
    return null;
  };
  return Object.freeze({ alpaca: alpacaEnv(get), telegram: telegramEnv(get) });
}

type Getter = (...names: string[]) => [string, string] | null;

function pair(a: [string, string] | null, b: [string, string] | null, aName: string, bName: string): boolean {
  if (a === null && b === null) return false;
  if (a === null) throw new ConfigError(`${aName}: is missing (${b![0]} is set); give both or neither`);
  if (b === null) throw new ConfigError(`${bName}: is missing (${a[0]} is set); give both or neither`);
  return true;
}

function url(name: string, value: string, protocols: readonly string[]): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new ConfigError(`${name}: "${value}" is not a URL`);
  }
  if (!protocols.includes(u.protocol)) throw new ConfigError(`${name}: must start with ${protocols.map((p) => `${p}//`).join(' or ')}, got "${value}"`);
  return value.replace(/\/+$/, '');
}

function alpacaEnv(get: Getter): AlpacaEnv | null {
  const key = get('ALPACA_API_KEY', 'APCA_API_KEY_ID');
  const secret = get('ALPACA_SECRET_KEY', 'APCA_API_SECRET_KEY');
  if (!pair(key, secret, 'ALPACA_API_KEY', 'ALPACA_SECRET_KEY')) return null;
  const base = get('ALPACA_BASE_URL', 'APCA_API_BASE_URL');
  const baseUrl = base === null ? PAPER_URL : url(base[0], base[1], ['https:', 'http:']);
  const live = new URL(baseUrl).hostname === LIVE_HOST;
  const data = get('ALPACA_DATA_URL');
  const stream = get('ALPACA_DATA_STREAM_URL');
  const feed = get('ALPACA_DATA_FEED');
  if (feed !== null && feed[1] !== 'iex' && feed[1] !== 'sip') throw new ConfigError(`ALPACA_DATA_FEED: must be iex or sip, got "${feed[1]}"`);
  return Object.freeze({
    keyId: key![1],
    secretKey: secret![1],
    baseUrl,
    dataUrl: data === null ? 'https://data.alpaca.markets' : url(data[0], data[1], ['https:', 'http:']),
    dataStreamUrl: stream === null ? 'wss://stream.data.alpaca.markets' : url(stream[0], stream[1], ['wss:', 'ws:']),
    feed: (feed?.[1] ?? 'iex') as 'iex' | 'sip',
    live,
  });
}

function telegramEnv(get: Getter): TelegramEnv | null {
  const token = get('TELEGRAM_BOT_TOKEN');
  const chat = get('TELEGRAM_CHAT_ID');
  if (!pair(token, chat, 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_CHAT_ID')) return null;
  // Never echo the token itself, even in an error.
  if (!/^\d+:[\w-]{20,}$/.test(token![1])) throw new ConfigError('TELEGRAM_BOT_TOKEN: does not look like a bot token from @BotFather (digits:letters)');
  if (!/^-?\d+$|^@\w{5,}$/.test(chat![1])) throw new ConfigError(`TELEGRAM_CHAT_ID: must be a numeric chat id or @channelname, got "${chat![1]}"`);
  const root = get('TELEGRAM_API_ROOT');
  const owner = get('TELEGRAM_OWNER_ID');
  if (owner !== null && !/^\d+$/.test(owner[1])) throw new ConfigError(`TELEGRAM_OWNER_ID: must be a numeric user id, got "${owner[1]}"`);
  return Object.freeze({
    botToken: token![1],
    chatId: chat![1],
    ...(owner === null ? {} : { ownerId: owner[1] }),
    apiRoot: root === null ? 'https://api.telegram.org' : url(root[0], root[1], ['https:', 'http:']),
  });
}
