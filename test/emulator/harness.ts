import { Alpaca } from '@alpacahq/alpaca-trade-api';
import { pino } from 'pino';
import { LiveClock } from '../../src/core/LiveClock.js';
import { AlpacaEmulator, type EmulatorUrls } from '../../src/emulator/AlpacaEmulator.js';
import { emulatorDefaults, type EmulatorOptions } from '../../src/emulator/EmulatorOptions.js';
import { AlpacaContract } from './alpacaContract.js';

export const KEY = 'PKTEST0000000001';
export const SECRET = 'test-secret';
export const FIXTURE_DATA = new URL('../fixtures/emulator', import.meta.url).pathname;
/** 2019-02-11 09:30 New York (EST): the fixture's first minute bar starts here. */
export const OPEN_0211 = Date.parse('2019-02-11T14:30:00Z');

export interface TestEmulator {
  readonly emulator: AlpacaEmulator;
  readonly urls: EmulatorUrls;
  /** Every REST response of this emulator, checked against Alpaca's OpenAPI specs. */
  readonly contract: AlpacaContract;
  stop(): Promise<void>;
}

/**
 * An emulator on the test market (AAPL, SPY), paused at 09:29 New York time on 2019-02-11 unless
 * told otherwise: tests move the market with `emulator.step(ms)`.
 */
export async function startEmulator(over: Partial<EmulatorOptions> = {}, contract = new AlpacaContract()): Promise<TestEmulator> {
  const emulator = await AlpacaEmulator.create({
    ...emulatorDefaults,
    dataDir: FIXTURE_DATA,
    barLabel: 'auto',
    paused: true,
    credentials: { key: KEY, secret: SECRET },
    faults: [],
    wall: new LiveClock(),
    logger: pino({ level: 'silent' }),
    onResponse: (r) => contract.check(r),
    ...over,
  });
  const urls = await emulator.start();
  return { emulator, urls, contract, stop: () => emulator.stop() };
}

/** The official SDK (v4) pointed at the emulator, as NOTES.md 1.2 describes: URLs rewritten in `fetchApi`. */
export function sdkClient(urls: EmulatorUrls, keys = { keyId: KEY, secret: SECRET }): Alpaca {
  const rewrite = (u: string): string =>
    u.replace('https://paper-api.alpaca.markets', urls.baseUrl).replace('https://api.alpaca.markets', urls.baseUrl).replace('https://data.alpaca.markets', urls.dataUrl);
  return new Alpaca({ ...keys, paper: true, rateLimit: false, retry: false, fetchApi: (url, init) => fetch(rewrite(String(url)), init) });
}

/** Resolves when `predicate` holds, polling every 10 ms; rejects after `ms`. */
export async function until(predicate: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = performance.now() + ms;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
