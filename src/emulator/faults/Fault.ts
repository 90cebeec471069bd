import { z } from 'zod';

const stream = z.enum(['trading', 'data', 'all']);
const api = z.enum(['trading', 'data', 'all']);
const seconds = z.number().positive().max(86_400);

/**
 * The faults the emulator injects on demand (POST /admin/faults, or `--fault JSON` at start). Times
 * are wall-clock seconds: they stand for what the network or Alpaca's servers do, not the market.
 */
export const faultSchema = z.discriminatedUnion('type', [
  /** Closes the stream connections abruptly now, and every `every` seconds if given. */
  z.strictObject({ type: z.literal('drop_stream'), stream, every: seconds.optional() }),
  /** Keeps the connections open (pings answered) but sends nothing for `seconds`: a mute stream. */
  z.strictObject({ type: z.literal('silence_stream'), stream, seconds }),
  /** Refuses new stream connections for `seconds`: HTTP 429 on the upgrade, or (data) error 406 after it. */
  z.strictObject({ type: z.literal('refuse_connections'), stream, status: z.union([z.literal(406), z.literal(429)]), seconds }),
  /** Answers the next `count` REST requests with `status` (429 rate limit, or a 5xx). */
  z.strictObject({ type: z.literal('http_errors'), api, status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504)]), count: z.number().int().positive() }),
  /** Delays every REST answer by `ms` for `seconds` (or until cleared). */
  z.strictObject({ type: z.literal('latency'), api, ms: z.number().int().nonnegative().max(120_000), seconds: seconds.optional() }),
  /** Rejects the next `count` orders: at once (HTTP 403) or after accepting them (a `rejected` trade update). */
  z.strictObject({ type: z.literal('reject_orders'), count: z.number().int().positive().default(1), via: z.enum(['http', 'stream']).default('stream') }),
  /** Creates the next `count` orders but drops the HTTP answer (the connection is cut). */
  z.strictObject({ type: z.literal('lose_order_responses'), count: z.number().int().positive().default(1) }),
  /**
   * Accepts orders but fills none for `seconds` (or until cleared): quotes go on, nothing they would
   * fill trades, as on a halted or illiquid symbol. Orders keep working and trade once it ends.
   */
  z.strictObject({ type: z.literal('stall_fills'), seconds: seconds.optional() }),
]);
export type Fault = z.infer<typeof faultSchema>;
export type StreamName = 'trading' | 'data';
export type ApiName = 'trading' | 'data';
