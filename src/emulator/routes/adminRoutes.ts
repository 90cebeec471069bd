import { z } from 'zod';
import { faultSchema } from '../faults/Fault.js';
import type { Faults } from '../faults/Faults.js';
import { invalid } from '../http/ApiError.js';
import { ok, type Route } from '../http/Route.js';
import type { EmulatedVenue } from '../venue/EmulatedVenue.js';
import type { MarketClock } from '../MarketClock.js';

export interface AdminDeps {
  readonly clock: MarketClock;
  readonly faults: Faults;
  readonly venue: EmulatedVenue;
  /** Processes the market up to the clock's time (after a step or a jump). */
  readonly catchUp: () => void;
  readonly status: () => Record<string, unknown>;
}

const clockSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('pause') }),
  z.strictObject({ action: z.literal('resume') }),
  z.strictObject({ action: z.literal('step'), ms: z.number().int().positive() }),
  z.strictObject({ action: z.literal('speed'), speed: z.number().positive().max(1_000_000) }),
  z.strictObject({ action: z.literal('jump'), to: z.iso.datetime({ offset: true }) }),
]);
const accountSchema = z.strictObject({ trading_blocked: z.boolean().optional(), account_blocked: z.boolean().optional() });

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) throw invalid(r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return r.data;
}

/**
 * The emulator's control panel (loopback only, no keys): the market clock (pause, resume, step,
 * speed, jump), faults on demand, and the account's blocked switches. Everything a drill needs.
 */
export function adminRoutes(d: AdminDeps): Route[] {
  return [
    { method: 'GET', pattern: /^\/admin\/status$/, handle: () => ok(d.status()) },
    {
      method: 'POST',
      pattern: /^\/admin\/clock$/,
      handle: ({ body }) => {
        const c = parse(clockSchema, body);
        if (c.action === 'pause') d.clock.pause();
        else if (c.action === 'resume') d.clock.resume();
        else if (c.action === 'step') d.clock.advance(c.ms);
        else if (c.action === 'speed') d.clock.setSpeed(c.speed);
        else {
          const to = Date.parse(c.to);
          if (to < d.clock.now()) throw invalid('jump: the market clock only moves forward');
          d.clock.jumpTo(to);
        }
        d.catchUp();
        return ok(d.status());
      },
    },
    {
      method: 'GET',
      pattern: /^\/admin\/books$/,
      // Every order with what of it filled, the positions and the cash: what a drill checks the daemon's books against.
      // A bracket's exit names its entry's client order id (its own is Alpaca's UUID), so it can be attributed.
      handle: () => {
        const orders = d.venue.orders();
        const clientIds = new Map(orders.map((r) => [r.order.id, r.order.clientOrderId]));
        return ok({
          orders: orders.map((r) => ({
            id: r.order.id,
            client_order_id: r.order.clientOrderId,
            parent_client_order_id: r.parentId === null ? null : (clientIds.get(r.parentId) ?? null),
            symbol: r.order.symbol,
            side: r.order.side,
            qty: r.order.qty,
            status: r.status,
            filled_qty: r.order.filledQty,
            filled_avg_price: r.order.filledAvgPrice,
            created_at: new Date(r.createdAt).toISOString(),
          })),
          positions: d.venue.positions().map((p) => ({ symbol: p.symbol, qty: p.qty })),
          cash: d.venue.account().cash,
        });
      },
    },
    { method: 'GET', pattern: /^\/admin\/faults$/, handle: () => ok({ applied: d.faults.history() }) },
    {
      method: 'POST',
      pattern: /^\/admin\/faults$/,
      handle: ({ body }) => {
        d.faults.apply(parse(faultSchema, body));
        return ok({ applied: d.faults.history() });
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/admin\/faults$/,
      handle: () => {
        d.faults.clear();
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      pattern: /^\/admin\/account$/,
      handle: ({ body }) => {
        const a = parse(accountSchema, body);
        if (a.trading_blocked !== undefined) d.venue.flags.tradingBlocked = a.trading_blocked;
        if (a.account_blocked !== undefined) d.venue.flags.accountBlocked = a.account_blocked;
        return ok({ trading_blocked: d.venue.flags.tradingBlocked, account_blocked: d.venue.flags.accountBlocked });
      },
    },
  ];
}
