/**
 * The version-2 state schema exactly as the daemon last wrote and restored it (commit f04fe1d,
 * src/persistence/engineStateSchema.ts, copied verbatim below this comment except for the export
 * names): the target of `normalizeV2` and `upgradeV1`, pinned here so that the migrations keep
 * their meaning while the live schema moves on to later versions.
 */
import { z } from 'zod';

/**
 * The exact state a restart needs, validated on load (zod, strict): the venue's account in offline
 * mode, orders in flight, each runner's open orders and ledger, the circuit breakers, the equity
 * curves, and where the replay stood. Numbers are finite; "not known yet" is null.
 */
const num = z.number().finite();
const side = z.enum(['buy', 'sell']);
const orderType = z.enum(['market', 'limit', 'stop']);
const tif = z.enum(['day', 'gtc']);

const order = z.strictObject({
  id: z.string(),
  clientOrderId: z.string(),
  symbol: z.string(),
  side,
  type: orderType,
  qty: num,
  limitPrice: num.nullable(),
  stopPrice: num.nullable(),
  timeInForce: tif,
  status: z.enum(['new', 'partially_filled', 'filled', 'canceled', 'expired', 'rejected']),
  filledQty: num,
  filledAvgPrice: num.nullable(),
  submittedAt: num,
  updatedAt: num,
});

const intent = z.strictObject({
  symbol: z.string(),
  side,
  qty: num,
  type: orderType,
  limitPrice: num.optional(),
  stopPrice: num.optional(),
  timeInForce: tif.optional(),
  reason: z.string().optional(),
});

const request = intent.extend({ timeInForce: tif, strategyId: z.string(), clientOrderId: z.string() });

const closedTrade = z.strictObject({
  symbol: z.string(),
  direction: z.enum(['long', 'short']),
  qty: num,
  entryTime: num,
  exitTime: num,
  entryPrice: num,
  exitPrice: num,
  grossPnl: num,
  commission: num,
  netPnl: num,
});

const lot = z.strictObject({
  symbol: z.string(),
  mark: num,
  direction: z.enum(['long', 'short']),
  qty: num,
  avgPrice: num,
  entryTime: num,
  maxQty: num,
  entryValue: num,
  entryQty: num,
  exitValue: num,
  exitQty: num,
  grossPnl: num,
  commission: num,
  pendingEntryCommission: num,
});

const ledger = z.strictObject({ cash: num, realized: num, commissions: num, lots: z.array(lot), trades: z.array(closedTrade) });

const runner = z.strictObject({
  status: z.enum(['active', 'paused', 'faulted']),
  pauseReason: z.string().nullable(),
  open: z.array(z.strictObject({ clientOrderId: z.string(), intent, remaining: num })),
  denials: z.record(z.string(), z.number().int().nonnegative()),
});

const breaker = z.strictObject({
  trip: z
    .strictObject({
      rule: z.enum(['max_drawdown', 'max_daily_loss', 'max_consecutive_losses', 'max_trades_per_day', 'manual']),
      value: num,
      threshold: num,
      time: num,
      message: z.string(),
    })
    .nullable(),
  highWater: num.nullable(),
  lastEquity: num.nullable(),
  dayStart: num.nullable(),
  dayEnd: num.nullable(),
  day: z.string().nullable(),
  lossesInRow: z.number().int().nonnegative(),
  ordersToday: z.number().int().nonnegative(),
});

const curve = z.strictObject({
  pending: z.strictObject({ time: num, equity: num, exposed: z.boolean() }).nullable(),
  points: z.number().int().nonnegative(),
  exposedPoints: z.number().int().nonnegative(),
  returns: z.array(num),
  previousClose: num,
  close: num,
  dayEnd: num.nullable(),
  peak: num,
  peakTime: num.nullable(),
  depth: num,
  worstPeakTime: num.nullable(),
  troughTime: num.nullable(),
  recoveryTime: num.nullable(),
  lastTime: num.nullable(),
  stride: z.number().int().positive(),
  closeTimes: z.array(num),
  closeValues: z.array(num),
  todayTimes: z.array(num),
  todayValues: z.array(num),
  sampleTimes: z.array(num),
  sampleValues: z.array(num),
});

export const engineStateSchemaV2 = z.strictObject({
  /** Market time of the last bar batch fully processed: a restored replay resumes after it. */
  lastBarTime: num.nullable(),
  /** The last bar processed per symbol (a live feed backfills from there after a restart). */
  lastBarTimes: z.record(z.string(), num),
  fills: z.record(z.string(), z.number().int().nonnegative()),
  venue: z
    .strictObject({
      cash: num,
      orderSeq: z.number().int().nonnegative(),
      execSeq: z.number().int().nonnegative(),
      positions: z.array(z.strictObject({ symbol: z.string(), qty: num, cost: num })),
      marks: z.array(z.strictObject({ symbol: z.string(), price: num })),
      working: z.array(
        z.strictObject({
          order,
          session: z.number().int(),
          triggered: z.boolean().optional(),
          bracket: z.strictObject({ stopLoss: num.optional(), takeProfit: num.optional(), trail: z.strictObject({ percent: num.optional(), price: num.optional() }).optional() }).optional(),
          sibling: z.string().optional(),
          trail: z.strictObject({ percent: num.optional(), price: num.optional(), hwm: num }).optional(),
        }),
      ),
    })
    .nullable(),
  /** Alpaca mode: how much of each open order at the broker is booked (a restart books only the rest). */
  broker: z
    .strictObject({ booked: z.array(z.strictObject({ orderId: z.string(), qty: num, notional: num })) })
    .nullable()
    .optional(),
  execution: z.strictObject({
    seq: z.number().int().positive(),
    inFlight: z.array(z.strictObject({ clientOrderId: z.string(), strategyId: z.string(), symbol: z.string(), side, qty: num })),
    held: z.array(request),
  }),
  runners: z.record(z.string(), z.strictObject({ runner, ledger })),
  breakers: z.strictObject({ account: breaker, strategies: z.record(z.string(), breaker) }).nullable(),
  curves: z.strictObject({ total: curve.nullable(), strategies: z.record(z.string(), curve) }),
});

type DeepReadonly<T> = T extends (infer U)[] ? ReadonlyArray<DeepReadonly<U>> : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

export type EngineStateV2 = DeepReadonly<z.output<typeof engineStateSchemaV2>>;

/** What a snapshot must hold to be restored from; the rest of the file is for people and `npm run status`. */
export const restorableSnapshotSchemaV2 = z.looseObject({
  version: z.literal(2),
  timestamp: z.string(),
  runId: z.string(),
  mode: z.enum(['sim', 'alpaca']),
  engine: engineStateSchemaV2,
});
export type RestorableSnapshotV2 = z.output<typeof restorableSnapshotSchemaV2>;
