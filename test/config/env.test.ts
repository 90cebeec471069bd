import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnv, readDotEnv } from '../../src/config/env.js';
import { ConfigError } from '../../src/core/errors.js';

const token = '123456789:AAH-abcdefghijklmnopqrstuvwxyz0123';
const keys = { ALPACA_API_KEY: 'PKTEST123', ALPACA_SECRET_KEY: 'secret123' };

function errorOf(env: Record<string, string>): string {
  try {
    parseEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('environment', () => {
  it('without keys, nothing is configured (offline mode)', () => {
    expect(parseEnv({})).toEqual({ alpaca: null, telegram: null });
    expect(parseEnv({ ALPACA_API_KEY: '', ALPACA_SECRET_KEY: '  ' })).toEqual({ alpaca: null, telegram: null });
  });

  it('Alpaca keys default to the paper endpoints', () => {
    expect(parseEnv(keys).alpaca).toEqual({
      keyId: 'PKTEST123',
      secretKey: 'secret123',
      baseUrl: 'https://paper-api.alpaca.markets',
      dataUrl: 'https://data.alpaca.markets',
      dataStreamUrl: 'wss://stream.data.alpaca.markets',
      feed: 'iex',
      live: false,
    });
    expect(parseEnv({ APCA_API_KEY_ID: 'K', APCA_API_SECRET_KEY: 'S', APCA_API_BASE_URL: 'http://127.0.0.1:9999/' }).alpaca).toMatchObject({
      keyId: 'K',
      baseUrl: 'http://127.0.0.1:9999',
    });
  });

  it('a URL copied with its API version (the dashboard shows the endpoint as …/v2) is the base URL: the SDK adds /v2 itself', () => {
    expect(parseEnv({ ...keys, ALPACA_BASE_URL: 'https://paper-api.alpaca.markets/v2', ALPACA_DATA_URL: 'https://data.alpaca.markets/v2/' }).alpaca).toMatchObject({
      baseUrl: 'https://paper-api.alpaca.markets',
      dataUrl: 'https://data.alpaca.markets',
      live: false,
    });
    expect(parseEnv({ ...keys, ALPACA_BASE_URL: 'https://api.alpaca.markets/v2' }).alpaca).toMatchObject({ baseUrl: 'https://api.alpaca.markets', live: true });
  });

  it('keys come in pairs', () => {
    expect(errorOf({ ALPACA_API_KEY: 'x' })).toBe('ALPACA_SECRET_KEY: is missing (ALPACA_API_KEY is set); give both or neither');
    expect(errorOf({ ALPACA_SECRET_KEY: 'x' })).toBe('ALPACA_API_KEY: is missing (ALPACA_SECRET_KEY is set); give both or neither');
    expect(errorOf({ TELEGRAM_CHAT_ID: '1' })).toBe('TELEGRAM_BOT_TOKEN: is missing (TELEGRAM_CHAT_ID is set); give both or neither');
  });

  it('refuses the .env.example placeholders', () => {
    expect(errorOf({ ALPACA_API_KEY: 'your-alpaca-key-id', ALPACA_SECRET_KEY: 'x' })).toBe(
      'ALPACA_API_KEY: still holds the placeholder from .env.example; put your own value in .env or remove the line',
    );
    expect(errorOf({ TELEGRAM_BOT_TOKEN: '123456:your-bot-token', TELEGRAM_CHAT_ID: '1' })).toMatch(/^TELEGRAM_BOT_TOKEN: still holds the placeholder/);
  });

  it('reports every problem at once, one line per variable', () => {
    expect(
      errorOf({
        ALPACA_API_KEY: 'your-alpaca-key-id',
        ALPACA_SECRET_KEY: 'your-alpaca-secret-key',
        ALPACA_DATA_URL: 'data.alpaca.markets',
        ALPACA_DATA_FEED: 'otc',
        TELEGRAM_BOT_TOKEN: 'not-a-token',
        TELEGRAM_OWNER_ID: 'me',
      }).split('\n'),
    ).toEqual([
      'ALPACA_API_KEY: still holds the placeholder from .env.example; put your own value in .env or remove the line',
      'ALPACA_SECRET_KEY: still holds the placeholder from .env.example; put your own value in .env or remove the line',
      'ALPACA_DATA_URL: "data.alpaca.markets" is not a URL',
      'ALPACA_DATA_FEED: must be iex or sip, got "otc"',
      'TELEGRAM_CHAT_ID: is missing (TELEGRAM_BOT_TOKEN is set); give both or neither',
    ]);
    expect(errorOf({ ...keys, TELEGRAM_BOT_TOKEN: 'not-a-token', TELEGRAM_CHAT_ID: 'me', TELEGRAM_OWNER_ID: 'me', TELEGRAM_API_ROOT: 'ftp://x' }).split('\n')).toEqual([
      'TELEGRAM_BOT_TOKEN: does not look like a bot token from @BotFather (digits:letters)',
      'TELEGRAM_CHAT_ID: must be a numeric chat id or @channelname, got "me"',
      'TELEGRAM_OWNER_ID: must be a numeric user id, got "me"',
      'TELEGRAM_API_ROOT: must start with https:// or http://, got "ftp://x"',
    ]);
  });

  it('.env.example with only the Alpaca keys filled in is a valid .env (Telegram stays off); copied as it is, it names both keys', () => {
    const example = readDotEnv(join(import.meta.dirname, '..', '..', '.env.example'));
    expect(parseEnv({ ...example, ALPACA_API_KEY: 'PKREAL123', ALPACA_SECRET_KEY: 'real-secret' })).toEqual({
      alpaca: {
        keyId: 'PKREAL123',
        secretKey: 'real-secret',
        baseUrl: 'https://paper-api.alpaca.markets',
        dataUrl: 'https://data.alpaca.markets',
        dataStreamUrl: 'wss://stream.data.alpaca.markets',
        feed: 'iex',
        live: false,
      },
      telegram: null,
    });
    expect(errorOf(example).split('\n')).toEqual([
      'ALPACA_API_KEY: still holds the placeholder from .env.example; put your own value in .env or remove the line',
      'ALPACA_SECRET_KEY: still holds the placeholder from .env.example; put your own value in .env or remove the line',
    ]);
  });

  it('flags the live URL (the start command then asks for --live and a live section)', () => {
    expect(parseEnv({ ...keys, ALPACA_BASE_URL: 'https://api.alpaca.markets' }).alpaca?.live).toBe(true);
    expect(parseEnv({ ...keys }).alpaca?.live).toBe(false);
    // The same host however it is written: upper case, a port, the fully qualified name (a trailing dot, which DNS and TLS accept).
    for (const u of ['https://API.Alpaca.Markets', 'https://api.alpaca.markets:443/', 'https://api.alpaca.markets./']) expect([u, parseEnv({ ...keys, ALPACA_BASE_URL: u }).alpaca?.live]).toEqual([u, true]);
  });

  it('checks URLs and the feed', () => {
    expect(errorOf({ ...keys, ALPACA_BASE_URL: 'paper-api' })).toBe('ALPACA_BASE_URL: "paper-api" is not a URL');
    expect(errorOf({ ...keys, ALPACA_DATA_STREAM_URL: 'https://x' })).toBe('ALPACA_DATA_STREAM_URL: must start with wss:// or ws://, got "https://x"');
    expect(errorOf({ ...keys, ALPACA_DATA_FEED: 'otc' })).toBe('ALPACA_DATA_FEED: must be iex or sip, got "otc"');
  });

  it('checks the Telegram token without ever echoing it', () => {
    expect(parseEnv({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_CHAT_ID: '-100123' }).telegram).toEqual({
      botToken: token,
      chatId: '-100123',
      apiRoot: 'https://api.telegram.org',
    });
    const message = errorOf({ TELEGRAM_BOT_TOKEN: 'not-a-token-secret', TELEGRAM_CHAT_ID: '1' });
    expect(message).toBe('TELEGRAM_BOT_TOKEN: does not look like a bot token from @BotFather (digits:letters)');
    expect(message).not.toContain('not-a-token-secret');
    expect(errorOf({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_CHAT_ID: 'me' })).toBe('TELEGRAM_CHAT_ID: must be a numeric chat id or @channelname, got "me"');
  });

  it('reads a .env file; an absent one is empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'env-'));
    expect(readDotEnv(join(dir, '.env'))).toEqual({});
    writeFileSync(join(dir, '.env'), '# comment\nALPACA_API_KEY=abc\nTELEGRAM_CHAT_ID="42"\n');
    expect(readDotEnv(join(dir, '.env'))).toEqual({ ALPACA_API_KEY: 'abc', TELEGRAM_CHAT_ID: '42' });
  });
});
