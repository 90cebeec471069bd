import type { MarketCalendar, Session } from '../../risk/calendar/MarketCalendar.js';
import { nyDateOf } from '../../market-data/zonedTime.js';
import { extendedSession } from '../market/tradingPhase.js';
import type { OrderRecord } from '../venue/OrderRecord.js';
import type { EmulatedVenue } from '../venue/EmulatedVenue.js';
import { decimal, decimalOrNull, newYorkTime, rfc3339, rfc3339OrNull } from './decimal.js';

const GTC_DAYS = 90;

/**
 * When an order stops being live: a day order (and `opg`, `cls`, `ioc`, `fok`) at its session's close,
 * an extended-hours day order at the end of the after-hours session, a gtc order 90 days on (Alpaca's limit).
 */
function expiresAt(r: OrderRecord, calendar: MarketCalendar): number {
  const created = r.createdAt;
  if (r.timeInForce === 'gtc') return calendar.nextSession(created + GTC_DAYS * 86_400_000).close;
  const today = calendar.session(nyDateOf(created));
  const end = (s: Session): number => (r.extendedHours ? extendedSession(s).postClose : s.close);
  const session = today !== null && created < end(today) ? today : calendar.nextSession(created);
  return end(session);
}

/** Alpaca's Order object: every field present, nullable ones as null, amounts as strings. */
export function orderJson(r: OrderRecord, calendar: MarketCalendar, legs: readonly OrderRecord[] = []): Record<string, unknown> {
  const o = r.order;
  return {
    id: o.id,
    client_order_id: o.clientOrderId,
    created_at: rfc3339(r.createdAt),
    updated_at: rfc3339(r.updatedAt),
    submitted_at: rfc3339(o.submittedAt),
    filled_at: rfc3339OrNull(r.filledAt),
    expired_at: rfc3339OrNull(r.expiredAt),
    expires_at: rfc3339(expiresAt(r, calendar)),
    canceled_at: rfc3339OrNull(r.canceledAt),
    failed_at: rfc3339OrNull(r.failedAt),
    replaced_at: rfc3339OrNull(r.replacedAt),
    replaced_by: r.replacedBy,
    replaces: r.replaces,
    asset_id: r.assetId,
    symbol: o.symbol,
    asset_class: 'us_equity',
    notional: decimalOrNull(r.notional, 9),
    qty: r.notional === null ? decimal(o.qty, 9) : null,
    filled_qty: decimal(o.filledQty, 9),
    filled_avg_price: decimalOrNull(o.filledAvgPrice, 6),
    order_class: r.orderClass,
    order_type: r.type,
    type: r.type,
    side: o.side,
    position_intent: o.side === 'buy' ? 'buy_to_open' : 'sell_to_close',
    time_in_force: r.timeInForce,
    limit_price: decimalOrNull(o.limitPrice ?? r.stopLimitPrice, 4),
    stop_price: decimalOrNull(o.stopPrice, 4),
    status: r.status,
    extended_hours: r.extendedHours,
    legs: legs.length === 0 ? null : legs.map((l) => orderJson(l, calendar)),
    trail_percent: r.trail?.percent === undefined ? null : decimal(r.trail.percent * 100, 6),
    trail_price: r.trail?.price === undefined ? null : decimal(r.trail.price, 4),
    hwm: decimalOrNull(r.hwm, 4),
    ratio_qty: null,
    subtag: null,
    source: null,
  };
}

type PositionView = ReturnType<EmulatedVenue['positions']>[number];

/** Alpaca's Position object (long only: the emulated account cannot short). */
export function positionJson(p: PositionView, exchange = 'NYSE'): Record<string, unknown> {
  const marketValue = p.qty * p.price;
  const costBasis = p.qty * p.avgPrice;
  const lastdayValue = p.qty * p.lastdayPrice;
  return {
    asset_id: p.assetId,
    symbol: p.symbol,
    exchange,
    asset_class: 'us_equity',
    asset_marginable: false,
    qty: decimal(p.qty, 9),
    qty_available: decimal(p.qtyAvailable, 9),
    avg_entry_price: decimal(p.avgPrice, 6),
    side: 'long',
    market_value: decimal(marketValue, 4),
    cost_basis: decimal(costBasis, 4),
    unrealized_pl: decimal(marketValue - costBasis, 4),
    unrealized_plpc: decimal(costBasis === 0 ? 0 : (marketValue - costBasis) / costBasis, 10),
    unrealized_intraday_pl: decimal(marketValue - lastdayValue, 4),
    unrealized_intraday_plpc: decimal(lastdayValue === 0 ? 0 : (marketValue - lastdayValue) / lastdayValue, 10),
    current_price: decimal(p.price, 4),
    lastday_price: decimal(p.lastdayPrice, 4),
    change_today: decimal(p.lastdayPrice === 0 ? 0 : (p.price - p.lastdayPrice) / p.lastdayPrice, 10),
  };
}

/** Alpaca's Account object for a cash account (multiplier 1, no shorting, no day-trading power). */
export function accountJson(v: EmulatedVenue, now: number): Record<string, unknown> {
  const a = v.account();
  const bp = decimal(a.buyingPower, 2);
  return {
    id: v.accountId,
    account_number: 'PAEMULATOR1',
    status: v.flags.accountBlocked ? 'ACCOUNT_CLOSED' : 'ACTIVE',
    crypto_status: 'INACTIVE',
    currency: 'USD',
    cash: decimal(a.cash, 2),
    buying_power: bp,
    regt_buying_power: bp,
    daytrading_buying_power: '0',
    non_marginable_buying_power: bp,
    options_buying_power: '0',
    effective_buying_power: bp,
    accrued_fees: '0',
    pending_transfer_in: '0',
    pending_transfer_out: '0',
    equity: decimal(a.equity, 2),
    last_equity: decimal(a.lastEquity, 2),
    portfolio_value: decimal(a.equity, 2),
    long_market_value: decimal(a.longMarketValue, 2),
    short_market_value: '0',
    position_market_value: decimal(a.longMarketValue, 2),
    initial_margin: '0',
    maintenance_margin: '0',
    last_maintenance_margin: '0',
    multiplier: '1',
    sma: '0',
    daytrade_count: 0,
    pattern_day_trader: false,
    shorting_enabled: false,
    trading_blocked: v.flags.tradingBlocked || v.flags.accountBlocked,
    transfers_blocked: false,
    account_blocked: v.flags.accountBlocked,
    trade_suspended_by_user: v.configurations.suspend_trade,
    created_at: rfc3339(v.createdAt),
    balance_asof: nyDateOf(now),
    intraday_adjustments: '0',
    pending_reg_taf_fees: '0',
    options_approved_level: 0,
    options_trading_level: 0,
  };
}

/** GET /v2/clock: the emulator's market time, with New York's offset. */
export function clockJson(calendar: MarketCalendar, now: number): Record<string, unknown> {
  const today = calendar.session(nyDateOf(now));
  const isOpen = today !== null && today.open <= now && now < today.close;
  const next = calendar.nextSession(now);
  const nextClose = isOpen ? today.close : next.close;
  return { timestamp: newYorkTime(now), is_open: isOpen, next_open: newYorkTime(next.open), next_close: newYorkTime(nextClose) };
}

const hhmm = (ms: number): string => newYorkTime(ms).slice(11, 16);

/** One GET /v2/calendar day: regular hours, extended session 04:00–20:00, settlement one session later (T+1). */
export function calendarDayJson(s: Session, calendar: MarketCalendar): Record<string, unknown> {
  return {
    date: s.date,
    open: hhmm(s.open),
    close: hhmm(s.close),
    session_open: '0400',
    session_close: s.earlyClose ? '1700' : '2000',
    settlement_date: calendar.nextSession(s.close).date,
  };
}

/** Alpaca's Asset object for a replayed symbol, on its exchange when the data says (`assets.csv`), else NYSE. */
export function assetJson(symbol: string, id: string, listing?: { readonly exchange: string; readonly name?: string }): Record<string, unknown> {
  return {
    id,
    class: 'us_equity',
    exchange: listing?.exchange ?? 'NYSE',
    symbol,
    name: listing?.name ?? `${symbol} (replayed by the emulator)`,
    status: 'active',
    tradable: true,
    marginable: false,
    maintenance_margin_requirement: 100,
    margin_requirement_long: '100',
    margin_requirement_short: '100',
    shortable: false,
    easy_to_borrow: false,
    fractionable: true,
    attributes: [],
    min_order_size: '0.000000001',
    min_trade_increment: '0.000000001',
    price_increment: '0.01',
    cusip: null,
  };
}
