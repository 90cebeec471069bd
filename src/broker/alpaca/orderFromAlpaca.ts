import { z } from 'zod';
import { BrokerPayloadError } from '../../core/errors.js';
import type { Order, OrderStatus } from '../../core/Order.js';
import type { VenueOrderSummary } from '../Broker.js';

/**
 * A decimal string from Alpaca (money and quantities are strings on the trading API), as a number
 * a trading daemon can believe: unsigned, at most 12 digits before the point and 30 after, and
 * below the bounds (no share price above $10 million, no order above a billion shares). Alpaca's
 * decimal strings carry no fixed number of places (trading-api.json's account example has 14), and
 * an average fill price need not end: 3 at 100.01 and 4 at 100.02 average 700.11 / 7.
 */
const decimal = (max: number) =>
  z
    .string()
    .regex(/^\d{1,12}(\.\d{1,30})?$/, 'an unsigned decimal string of at most 12 + 30 digits')
    .transform(Number)
    .refine((n) => Number.isFinite(n) && n < max, `below ${max}`);
const quantity = decimal(1e9);
const price = decimal(1e7).refine((n) => n > 0, 'above 0');

/** The fields of Alpaca's Order the daemon relies on, as the SDK (v4) hands them over. */
const alpacaOrder = z.object({
  id: z.string().min(1),
  clientOrderId: z.string().min(1),
  symbol: z.string().min(1),
  side: z.enum(['buy', 'sell']),
  type: z.enum(['market', 'limit', 'stop', 'stop_limit', 'trailing_stop']),
  timeInForce: z.string(),
  qty: quantity.nullish(),
  filledQty: quantity.optional(),
  filledAvgPrice: price.nullish(),
  limitPrice: price.nullish(),
  stopPrice: price.nullish(),
  status: z.string(),
  submittedAt: z.date().nullish(),
  createdAt: z.date().optional(),
  updatedAt: z.date().nullish(),
});

/**
 * Alpaca's statuses, folded onto the daemon's: received or routed is `new`; `replaced` ends the
 * order (its replacement is another order); `done_for_day` is still working tomorrow.
 */
const statusMap: Readonly<Record<string, OrderStatus>> = {
  new: 'new',
  accepted: 'new',
  pending_new: 'new',
  accepted_for_bidding: 'new',
  held: 'new',
  calculated: 'new',
  done_for_day: 'new',
  pending_cancel: 'new',
  pending_replace: 'new',
  stopped: 'new',
  suspended: 'new',
  partially_filled: 'partially_filled',
  filled: 'filled',
  canceled: 'canceled',
  replaced: 'canceled',
  expired: 'expired',
  rejected: 'rejected',
};

/** Alpaca's order (from the SDK) as the daemon's Order; a payload that is not one throws BrokerPayloadError naming the field. */
export function orderFromAlpaca(raw: unknown): Order {
  const r = alpacaOrder.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new BrokerPayloadError(`order from Alpaca: ${issue.path.join('.') || 'order'}: ${issue.message}`);
  }
  const o = r.data;
  const label = statusMap[o.status];
  if (label === undefined) throw new BrokerPayloadError(`order from Alpaca: status: unknown status "${o.status}"`);
  const qty = o.qty ?? 0;
  const filledQty = o.filledQty ?? 0;
  // Every share filled is a filled order, whatever the open label says (`calculated`: "completed for
  // the day (either filled or done for day)" while settlement is pending); no more fills can come.
  const status = (label === 'new' || label === 'partially_filled') && qty > 0 && filledQty >= qty ? 'filled' : label;
  // A trailing stop is a stop whose price Alpaca moves with the high-water mark; a stop-limit is a
  // stop with a cap: Alpaca turns every buy stop into one ("a limit price that is 4% higher than a
  // stop price < $50, or 2.5% higher", its orders page), so the daemon's own stops come back so.
  const type = o.type === 'trailing_stop' || o.type === 'stop_limit' ? 'stop' : o.type;
  const submitted = (o.submittedAt ?? o.createdAt)?.getTime() ?? 0;
  return {
    id: o.id,
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    type,
    qty,
    limitPrice: o.limitPrice ?? null,
    stopPrice: o.stopPrice ?? null,
    timeInForce: o.timeInForce === 'gtc' ? 'gtc' : 'day',
    status,
    filledQty,
    filledAvgPrice: o.filledAvgPrice ?? null,
    submittedAt: submitted,
    updatedAt: o.updatedAt?.getTime() ?? submitted,
  };
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/**
 * Any order Alpaca lists (hand-placed, another program's, a shape the daemon never sends) as a
 * summary for reports; never throws.
 */
export function summarizeAlpacaOrder(raw: unknown): VenueOrderSummary {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const qty = typeof o['qty'] === 'string' && /^-?\d+(\.\d+)?$/.test(o['qty']) ? Number(o['qty']) : null;
  const notional = text(o['notional']);
  const orderClass = text(o['orderClass']);
  return {
    id: text(o['id']),
    clientOrderId: text(o['clientOrderId']),
    symbol: text(o['symbol']),
    side: text(o['side']),
    type: [text(o['type']) || '(no type)', orderClass !== '' && orderClass !== 'simple' ? orderClass : '', qty === null && notional !== '' ? `notional $${notional}` : ''].filter((x) => x !== '').join(' '),
    qty,
    status: text(o['status']),
  };
}
