import { z } from 'zod';

/**
 * The exact state a restart needs, validated on load (zod, strict): the venue's account in offline
 * mode, orders in flight (protective exits included), held orders, each runner's open orders and
 * ledger, the circuit breakers, the equity curves, capital moved in or out, and where the replay
 * stood. Numbers are finite; "not known yet" is null.
 *
 * Version 4 (this one) writes each ledger's closed trades and each curve's daily returns and closes
 * to append-only logs beside the state file (StateHistory): the file counts them (`tradeCount`,
 * `returnCount`, `closeCount`) and names how far into the logs it goes (`history`); on load they
 * are read back (hydrateState) into the shape below, which is what is validated and restored.
 * Older files are upgraded on load (persistence/migrations): version 3 had them inline (the same
 * shape as below), version 2 kept no protective exits in flight, no capital per ledger and held
 * orders as bare requests.
 */
export const STATE_VERSION = 4;
const num = z.number().finite();
const side = z.enum(['buy', 'sell']);
const orderType = z.enum(['market', 'limit', 'stop']);
const tif = z.enum(['day', 'gtc']);
const legKind = z.enum(['sl', 'tp', 'ts']);
const trail = z.strictObject({ percent: num.optional(), price: num.optional() });
const bracket = z.strictObject({ stopLoss: num.optional(), takeProfit: num.optional(), trail: trail.optional() });

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

/** What a strategy asked for: every field an intent can carry (a restart must restore each one it wrote). */
export const intentSchema = z.strictObject({
  symbol: z.string(),
  side,
  qty: num,
  type: orderType,
  limitPrice: num.optional(),
  stopPrice: num.optional(),
  timeInForce: tif.optional(),
  reason: z.string().optional(),
  bracket: bracket.optional(),
  trail: trail.optional(),
  closeAll: z.boolean().optional(),
});
const intent = intentSchema;

export const requestSchema = intent.extend({ timeInForce: tif, strategyId: z.string(), clientOrderId: z.string(), parent: z.string().optional(), leg: legKind.optional() });
const request = requestSchema;

const inFlight = z.strictObject({
  clientOrderId: z.string(),
  strategyId: z.string(),
  symbol: z.string(),
  side,
  qty: num,
  orderId: z.string().nullable(),
  parent: z.string().nullable(),
  leg: legKind.nullable(),
  cancel: z.boolean(),
});

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

const ledger = z.strictObject({ capital: num, cash: num, realized: num, commissions: num, lots: z.array(lot), trades: z.array(closedTrade) });

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

export const engineStateSchema = z.strictObject({
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
          bracket: bracket.optional(),
          sibling: z.string().optional(),
          trail: z.strictObject({ percent: num.optional(), price: num.optional(), hwm: num }).optional(),
          /** A bracket entry's exits, created with it and held until it is completely filled. */
          heldLegs: z.array(z.strictObject({ order })).optional(),
        }),
      ),
    })
    .nullable(),
  /**
   * Alpaca mode: how much of each open order at the broker is booked (a restart books only the
   * rest), and Alpaca's ids of the protective exits (legs) with the client order ids they stand for.
   */
  broker: z
    .strictObject({
      booked: z.array(z.strictObject({ orderId: z.string(), qty: num, notional: num })),
      legs: z.array(z.strictObject({ orderId: z.string(), clientOrderId: z.string() })),
    })
    .nullable(),
  execution: z.strictObject({
    seq: z.number().int().positive(),
    inFlight: z.array(inFlight),
    held: z.array(z.strictObject({ request, waitFor: z.array(z.string()), after: z.string().nullable() })),
  }),
  /** Offline mode: the account's cash no strategy holds (null: the configuration's starting cash less the capitals). */
  unallocatedCash: num.nullable(),
  /** The New York date of the last session whose close was handled (P&L line, daily summary, daily rules): a restart handles a missed close once. */
  lastClose: z.string().nullable().default(null),
  /** Capital moved into or out of strategies between runs (a configuration change): cash, never P&L. */
  capitalFlows: z.array(z.strictObject({ time: num, strategyId: z.string(), amount: num, why: z.string() })),
  runners: z.record(z.string(), z.strictObject({ runner, ledger })),
  breakers: z.strictObject({ account: breaker, strategies: z.record(z.string(), breaker) }).nullable(),
  curves: z.strictObject({ total: curve.nullable(), strategies: z.record(z.string(), curve) }),
});

type DeepReadonly<T> = T extends (infer U)[] ? ReadonlyArray<DeepReadonly<U>> : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

export type EngineState = DeepReadonly<z.output<typeof engineStateSchema>>;

/** What a snapshot must hold to be restored from; the rest of the file is for people and `npm run status`. */
export const restorableSnapshotSchema = z.looseObject({
  version: z.literal(STATE_VERSION),
  timestamp: z.string(),
  runId: z.string(),
  mode: z.enum(['sim', 'alpaca']),
  engine: engineStateSchema,
});
export type RestorableSnapshot = z.output<typeof restorableSnapshotSchema>;
