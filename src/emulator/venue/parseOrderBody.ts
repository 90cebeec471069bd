import { AlpacaCode, ApiError, invalid } from '../http/ApiError.js';
import type { NewOrder, OrderChanges, OrderClass, WireTif, WireType } from './NewOrder.js';

type Body = Readonly<Record<string, unknown>>;

/** Alpaca sends amounts as strings and accepts numbers: both are read, anything else is refused naming the field. */
function amount(body: Body, field: string, label = field): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  if (!(Number.isFinite(n) && n > 0)) throw invalid(`invalid ${label}: ${JSON.stringify(v)} (a positive decimal is required)`);
  return n;
}

function oneOf<T extends string>(body: Body, field: string, allowed: readonly T[], unsupported: readonly string[] = []): T | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  if (typeof v === 'string' && unsupported.includes(v)) throw invalid(`${field} "${v}" is valid at Alpaca but not simulated by this emulator`);
  throw invalid(`invalid ${field}: ${JSON.stringify(v)}`);
}

function text(body: Body, field: string): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid(`invalid ${field}: ${JSON.stringify(v)}`);
  return v;
}

function asBody(raw: unknown): Body {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid('request body must be a JSON object');
  return raw as Body;
}

const TYPES = ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'] as const satisfies readonly WireType[];
const TIFS = ['day', 'gtc', 'opg', 'cls', 'ioc', 'fok'] as const satisfies readonly WireTif[];

/** Whole shares and up to 9 decimals (Alpaca's quantity precision). */
function checkQtyPrecision(field: string, n: number): void {
  if (Math.abs(n * 1e9 - Math.round(n * 1e9)) > 1e-3) throw invalid(`invalid ${field}: ${n} (at most 9 decimals)`);
}

/**
 * Reads a POST /v2/orders body; every refusal names the field, as Alpaca's 422s do. The rules are
 * Alpaca's (docs "Orders at Alpaca" and the POST /v2/orders schema): fractional quantities on market
 * and limit day orders, notional on market day orders; `opg`/`cls`/`ioc`/`fok` with market and limit
 * orders; extended hours on limit day/gtc orders; brackets and OTOs with day/gtc, OCO exits as a limit
 * take-profit plus a stop or stop-limit stop-loss.
 */
export function parseOrderBody(raw: unknown): NewOrder {
  const body = asBody(raw);
  const symbol = text(body, 'symbol');
  if (symbol === undefined || symbol === '') throw invalid('symbol is required');
  const qty = amount(body, 'qty');
  const notional = amount(body, 'notional');
  if (qty !== undefined && notional !== undefined) throw invalid('qty and notional are mutually exclusive: give one');
  if (qty === undefined && notional === undefined) throw invalid('qty or notional is required');
  if (qty !== undefined) checkQtyPrecision('qty', qty);
  if (notional !== undefined && Math.abs(notional * 100 - Math.round(notional * 100)) > 1e-6) throw invalid(`invalid notional: ${notional} (whole cents)`);
  const side = oneOf(body, 'side', ['buy', 'sell'] as const);
  if (side === undefined) throw invalid('side is required');
  const type = oneOf(body, 'type', TYPES);
  if (type === undefined) throw invalid('type is required');
  const timeInForce = oneOf(body, 'time_in_force', TIFS);
  if (timeInForce === undefined) throw invalid('time_in_force is required');
  const classText = text(body, 'order_class');
  if (classText !== undefined && !['', 'simple', 'bracket', 'oto', 'oco'].includes(classText)) {
    if (classText === 'mleg') throw invalid('order_class "mleg" (options) is valid at Alpaca but not simulated by this emulator');
    throw invalid(`invalid order_class: "${classText}"`);
  }
  const orderClass: OrderClass = classText === undefined || classText === 'simple' ? '' : (classText as OrderClass);

  const trailPercent = amount(body, 'trail_percent');
  const trailPrice = amount(body, 'trail_price');
  if (type === 'trailing_stop' && (trailPercent === undefined) === (trailPrice === undefined)) throw invalid('trailing_stop orders take exactly one of trail_percent or trail_price');
  if (type !== 'trailing_stop' && (trailPercent !== undefined || trailPrice !== undefined)) throw invalid('trail_percent and trail_price are for trailing_stop orders');
  if (trailPercent !== undefined && trailPercent >= 100) throw invalid(`invalid trail_percent: ${trailPercent} (under 100)`);
  const trail = type !== 'trailing_stop' ? undefined : trailPercent !== undefined ? { percent: trailPercent / 100 } : { price: trailPrice! };

  let limitPrice = amount(body, 'limit_price');
  const stopPrice = amount(body, 'stop_price');
  const needsLimit = type === 'limit' || type === 'stop_limit';
  const needsStop = type === 'stop' || type === 'stop_limit';
  if (type === 'market' && (limitPrice !== undefined || stopPrice !== undefined)) throw invalid('market orders take no limit_price or stop_price');
  if (type === 'trailing_stop' && (stopPrice !== undefined || limitPrice !== undefined)) throw invalid('trailing_stop orders take no stop_price or limit_price');
  if (type === 'limit' && stopPrice !== undefined) throw invalid('stop_price is not allowed for limit orders (that is a stop_limit)');
  if (type === 'stop' && limitPrice !== undefined) throw invalid('limit_price is not allowed for stop orders (that is a stop_limit)');
  if (needsStop && stopPrice === undefined) throw invalid(`stop_price is required for ${type} orders`);

  const extendedHours = body['extended_hours'] === true;
  if (body['extended_hours'] !== undefined && body['extended_hours'] !== null && typeof body['extended_hours'] !== 'boolean') throw invalid('extended_hours must be a boolean');
  if (extendedHours && !(type === 'limit' && (timeInForce === 'day' || timeInForce === 'gtc'))) throw invalid('extended hours order must be DAY or GTC limit orders');
  if (extendedHours && orderClass !== '') throw invalid(`extended_hours is not supported for ${orderClass} orders`);

  const fractional = qty !== undefined && !Number.isInteger(qty);
  if (notional !== undefined && !(type === 'market' && timeInForce === 'day')) throw invalid('notional orders must be market orders with time_in_force day');
  if (fractional && !((type === 'market' || type === 'limit') && timeInForce === 'day')) throw invalid('fractional orders must be market or limit orders with time_in_force day');
  if ((notional !== undefined || fractional) && orderClass !== '') throw invalid(`fractional and notional orders cannot be ${orderClass} orders`);
  if ((timeInForce === 'opg' || timeInForce === 'cls' || timeInForce === 'ioc' || timeInForce === 'fok') && !(type === 'market' || type === 'limit')) {
    throw invalid(`time_in_force ${timeInForce} takes market and limit orders only`);
  }
  if (type === 'trailing_stop' && timeInForce !== 'day' && timeInForce !== 'gtc') throw invalid('trailing_stop orders take time_in_force day or gtc');

  let takeProfit: number | undefined;
  let stopLoss: NewOrder['stopLoss'];
  if (orderClass !== '') {
    if (timeInForce !== 'day' && timeInForce !== 'gtc') throw invalid(`${orderClass} orders take time_in_force day or gtc`);
    ({ takeProfit, stopLoss } = parseExits(body, orderClass));
    if (orderClass === 'oco') {
      if (type !== 'limit') throw invalid('oco orders must be type limit (the take-profit)');
      if (side !== 'sell') throw invalid('oco orders exit a long position here: side must be sell (no shorting)');
      if (limitPrice !== undefined && takeProfit !== undefined && Math.abs(limitPrice - takeProfit) > 1e-9) throw invalid(`limit_price ${limitPrice} and take_profit.limit_price ${takeProfit} differ`);
      takeProfit ??= limitPrice;
      if (takeProfit === undefined) throw invalid('take_profit.limit_price is required for an oco order');
      if (stopLoss === undefined) throw invalid('stop_loss is required for an oco order');
      limitPrice = takeProfit;
    } else if (side !== 'buy') {
      throw invalid(`${orderClass} orders open long positions here: side must be buy (no shorting)`);
    }
    if (takeProfit !== undefined && stopLoss !== undefined && !(takeProfit > stopLoss.stopPrice + 0.009)) {
      throw invalid(`take_profit.limit_price ${takeProfit} must be above stop_loss.stop_price ${stopLoss.stopPrice}`);
    }
  } else if (body['take_profit'] !== undefined || body['stop_loss'] !== undefined) {
    throw invalid('take_profit and stop_loss need order_class bracket, oto or oco');
  }
  if (needsLimit && limitPrice === undefined) throw invalid(`limit_price is required for ${type} orders`);
  const clientOrderId = text(body, 'client_order_id');
  return {
    symbol,
    side,
    type,
    timeInForce,
    extendedHours,
    orderClass,
    ...(qty === undefined ? {} : { qty }),
    ...(notional === undefined ? {} : { notional }),
    ...(limitPrice === undefined ? {} : { limitPrice }),
    ...(stopPrice === undefined ? {} : { stopPrice }),
    ...(clientOrderId === undefined ? {} : { clientOrderId }),
    ...(trail === undefined ? {} : { trail }),
    ...(takeProfit === undefined ? {} : { takeProfit }),
    ...(stopLoss === undefined ? {} : { stopLoss }),
  };
}

/**
 * A group's exits: a bracket takes both (`take_profit.limit_price` above `stop_loss.stop_price`), an
 * OTO exactly one, an OCO both (its take-profit may come as `limit_price`). `stop_loss.limit_price`
 * makes the stop-loss a stop-limit.
 */
function parseExits(body: Body, orderClass: Exclude<OrderClass, ''>): { takeProfit?: number; stopLoss?: { stopPrice: number; limitPrice?: number } } {
  const tp = body['take_profit'];
  const sl = body['stop_loss'];
  const hasTp = typeof tp === 'object' && tp !== null;
  const hasSl = typeof sl === 'object' && sl !== null;
  if (orderClass === 'bracket' && !hasTp) throw invalid('take_profit is required for a bracket order');
  if (orderClass === 'bracket' && !hasSl) throw invalid('stop_loss is required for a bracket order');
  if (orderClass === 'oto' && hasTp === hasSl) throw invalid('an oto order takes exactly one of take_profit or stop_loss');
  const takeProfit = hasTp ? amount(tp as Body, 'limit_price', 'take_profit.limit_price') : undefined;
  if (hasTp && takeProfit === undefined && orderClass !== 'oco') throw invalid('take_profit.limit_price is required');
  if (!hasSl) return takeProfit === undefined ? {} : { takeProfit };
  const stop = amount(sl as Body, 'stop_price', 'stop_loss.stop_price');
  if (stop === undefined) throw invalid('stop_loss.stop_price is required');
  const limit = amount(sl as Body, 'limit_price', 'stop_loss.limit_price');
  return { ...(takeProfit === undefined ? {} : { takeProfit }), stopLoss: { stopPrice: stop, ...(limit === undefined ? {} : { limitPrice: limit }) } };
}

/** Reads a PATCH /v2/orders/{id} body (qty, time_in_force, limit_price, stop_price, client_order_id). */
export function parseOrderChanges(raw: unknown): OrderChanges {
  const body = asBody(raw);
  if (body['trail'] !== undefined) throw invalid('trail is valid at Alpaca but not simulated by this emulator');
  const qty = amount(body, 'qty');
  if (qty !== undefined) checkQtyPrecision('qty', qty);
  const timeInForce = oneOf(body, 'time_in_force', ['day', 'gtc'] as const, ['opg', 'cls', 'ioc', 'fok']);
  const limitPrice = amount(body, 'limit_price');
  const stopPrice = amount(body, 'stop_price');
  const clientOrderId = text(body, 'client_order_id');
  return {
    ...(qty === undefined ? {} : { qty }),
    ...(timeInForce === undefined ? {} : { timeInForce }),
    ...(limitPrice === undefined ? {} : { limitPrice }),
    ...(stopPrice === undefined ? {} : { stopPrice }),
    ...(clientOrderId === undefined ? {} : { clientOrderId }),
  };
}

/** Alpaca's price increments: whole cents from $1 up, hundredths of a cent below (422, code 42210000). */
export function checkTick(field: string, price: number | undefined): void {
  if (price === undefined) return;
  const scaled = price * 10 ** (price >= 1 ? 2 : 4);
  if (Math.abs(scaled - Math.round(scaled)) > 1e-6) {
    throw new ApiError(422, AlpacaCode.Unprocessable, `invalid ${field} ${price}. sub-penny increment does not fulfill minimum pricing criteria`);
  }
}
