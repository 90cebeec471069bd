import type { Logger } from 'pino';
import type { Clock } from '../core/Clock.js';
import type { Fault } from './faults/Fault.js';
import type { ObservedResponse } from './http/requestHandler.js';
import type { BarLabel } from './market/loadMarketSeries.js';

export interface EmulatorOptions {
  /** Loopback by default: the emulator has no TLS and its admin routes take no keys. */
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly dataDir: string;
  readonly barLabel: BarLabel;
  readonly seed: number;
  /** Market time runs this many times faster than wall time. */
  readonly speed: number;
  /** Market time at start (epoch ms); default one minute before the first replayed bar. */
  readonly start?: number;
  /** Starts with the market clock paused (tests and stepped drills). */
  readonly paused: boolean;
  /**
   * Holds the market clock until a client first subscribes to the data stream (a rehearsal: the
   * market starts when the daemon is ready, not while its `.env` is being edited).
   */
  readonly startWhenConnected?: boolean;
  /** Jumps over closed hours to one minute before the next open (or the next replayed minute). */
  readonly skipClosed: boolean;
  /**
   * Extended hours: `data` replays the pre-market and after-hours minutes the data has (none in the
   * shipped files); `synthetic` also makes thin ones up where the data has none. Default `data`.
   */
  readonly extendedHours?: 'data' | 'synthetic';
  readonly credentials: { readonly key: string; readonly secret: string };
  readonly startingCash: number;
  readonly partialFillRate: number;
  readonly updatedBarRate: number;
  /** REST requests a minute per key and API (Alpaca: 200). */
  readonly rateLimit: number;
  readonly symbolLimit: number;
  readonly authTimeoutSeconds: number;
  /** Wall milliseconds between two advances of the market. */
  readonly tickMs: number;
  readonly faults: readonly Fault[];
  readonly wall: Clock;
  readonly logger: Logger;
  readonly onResponse?: (r: ObservedResponse) => void;
}

/** The settings nobody needs to think about, Alpaca's where Alpaca has one. */
export const emulatorDefaults = {
  host: '127.0.0.1',
  port: 0,
  seed: 1,
  speed: 1,
  paused: false,
  skipClosed: false,
  extendedHours: 'data',
  startingCash: 100_000,
  partialFillRate: 0.1,
  updatedBarRate: 0.02,
  rateLimit: 200,
  symbolLimit: 30,
  authTimeoutSeconds: 10,
  tickMs: 20,
} as const;
