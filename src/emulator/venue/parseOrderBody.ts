import { AlpacaCode, ApiError, invalid } from '../http/ApiError.js';
import type { NewOrder, OrderChanges } from './NewOrder.js';

type Body = Readonly<Record<string, unknown>>;

/** Alpaca sends amounts as strings and accepts numbers: both are read, anything else is refused naming the field. */
function amount(body: Body, field: string): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  if (!(Number.isFinite(n) && n > 0)) throw invalid(`invalid ${field}: ${JSON.stringify(v)} (a positive decimal is required)`);
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

/** Reads a POST /v2/orders body; every refusal names the field, as Alpaca's 422s do. */
export function parseOrderBody(raw: unknown): NewOrder {
  const body = asBody(raw);
  const symbol = text(body, 'symbol');
  if (symbol === undefined || symbol === '') throw invalid('symbol is required');
  if (body['notional'] !== undefined && body['notional'] !== null) throw invalid('notional orders are valid at Alpaca but not simulated by this emulator: give qty');
  const qty = amount(body, 'qty');
  if (qty === undefined) throw invalid('qty is required');
  const side = oneOf(body, 'side', ['buy', 'sell'] as const);
  if (side === undefined) throw invalid('side is required');
  const wire = oneOf(body, 'type', ['market', 'limit', 'stop', 'trailing_stop'] as const, ['stop_limit']);
  if (wire === undefined) throw invalid('type is required');
  // A trailing stop is a stop whose price follows the high-water mark.
  const type = wire === 'trailing_stop' ? 'stop' : wire;
  const trailPercent = amount(body, 'trail_percent');
  const trailPrice = amount(body, 'trail_price');
  if (wire === 'trailing_stop' && (trailPercent === undefined) === (trailPrice === undefined)) throw invalid('trailing_stop orders take exactly one of trail_percent or trail_price');
  if (wire !== 'trailing_stop' && (trailPercent !== undefined || trailPrice !== undefined)) throw invalid('trail_percent and trail_price are for trailing_stop orders');
  if (trailPercent !== undefined && trailPercent >= 100) throw invalid(`invalid trail_percent: ${trailPercent} (under 100)`);
  const trail = wire !== 'trailing_stop' ? undefined : trailPercent !== undefined ? { percent: trailPercent / 100 } : { price: trailPrice! };
  const timeInForce = oneOf(body, 'time_in_force', ['day', 'gtc'] as const, ['opg', 'cls', 'ioc', 'fok']);
  if (timeInForce === undefined) throw invalid('time_in_force is required');
  const orderClass = text(body, 'order_class');
  if (orderClass !== undefined && orderClass !== '' && orderClass !== 'simple' && orderClass !== 'bracket' && orderClass !== 'oto') throw invalid(`order_class "${orderClass}" is valid at Alpaca but not simulated by this emulator`);
  const bracket = orderClass === 'bracket' || orderClass === 'oto' ? parseBracket(body, orderClass) : undefined;
  const limitPrice = amount(body, 'limit_price');
  const stopPrice = amount(body, 'stop_price');
  if (type === 'limit' && limitPrice === undefined) throw invalid('limit_price is required for limit orders');
  if (wire === 'stop' && stopPrice === undefined) throw invalid('stop_price is required for stop orders');
  if (wire === 'trailing_stop' && (stopPrice !== undefined || limitPrice !== undefined)) throw invalid('trailing_stop orders take no stop_price or limit_price');
  if (type === 'market' && (limitPrice !== undefined || stopPrice !== undefined)) throw invalid('market orders take no limit_price or stop_price');
  if (type === 'limit' && stopPrice !== undefined) throw invalid('stop_price is not allowed for limit orders');
  if (type === 'stop' && limitPrice !== undefined) throw invalid('limit_price is not allowed for stop orders (that is a stop_limit)');
  const extendedHours = body['extended_hours'] === true;
  if (body['extended_hours'] !== undefined && typeof body['extended_hours'] !== 'boolean') throw invalid('extended_hours must be a boolean');
  if (extendedHours && !(type === 'limit' && timeInForce === 'day')) throw invalid('extended hours order must be DAY limit orders');
  if (!Number.isInteger(qty) && !(type === 'market' && timeInForce === 'day')) throw invalid('fractional orders must be DAY orders (and market orders)');
  const clientOrderId = text(body, 'client_order_id');
  return {
    symbol,
    qty,
    side,
    type,
    timeInForce,
    extendedHours,
    ...(limitPrice === undefined ? {} : { limitPrice }),
    ...(stopPrice === undefined ? {} : { stopPrice }),
    ...(clientOrderId === undefined ? {} : { clientOrderId }),
    ...(bracket === undefined ? {} : { bracket }),
    ...(trail === undefined ? {} : { trail }),
  };
}

/**
 * A bracket's exits (`take_profit.limit_price` above `stop_loss.stop_price`, both required), or an
 * OTO's one exit (exactly one of them).
 */
function parseBracket(body: Body, orderClass: 'bracket' | 'oto'): { stopLoss?: number; takeProfit?: number } {
  const tp = body['take_profit'];
  const sl = body['stop_loss'];
  const hasTp = typeof tp === 'object' && tp !== null;
  const hasSl = typeof sl === 'object' && sl !== null;
  if (orderClass === 'bracket' && !hasTp) throw invalid('take_profit is required for a bracket order');
  if (orderClass === 'bracket' && !hasSl) throw invalid('stop_loss is required for a bracket order');
  if (orderClass === 'oto' && hasTp === hasSl) throw invalid('an oto order takes exactly one of take_profit or stop_loss');
  if (hasSl && (sl as Body)['limit_price'] !== undefined) throw invalid('stop_loss.limit_price (a stop-limit exit) is valid at Alpaca but not simulated by this emulator');
  const takeProfit = hasTp ? amount(tp as Body, 'limit_price') : undefined;
  const stopLoss = hasSl ? amount(sl as Body, 'stop_price') : undefined;
  if (hasTp && takeProfit === undefined) throw invalid('take_profit.limit_price is required');
  if (hasSl && stopLoss === undefined) throw invalid('stop_loss.stop_price is required');
  if (body['side'] !== 'buy') throw invalid(`${orderClass} orders open long positions here: side must be buy (no shorting)`);
  if (takeProfit !== undefined && stopLoss !== undefined && !(takeProfit > stopLoss + 0.009)) throw invalid(`take_profit.limit_price ${takeProfit} must be above stop_loss.stop_price ${stopLoss}`);
  return { ...(stopLoss === undefined ? {} : { stopLoss }), ...(takeProfit === undefined ? {} : { takeProfit }) };
}

/** Reads a PATCH /v2/orders/{id} body (qty, time_in_force, limit_price, stop_price, client_order_id). */
export function parseOrderChanges(raw: unknown): OrderChanges {
  const body = asBody(raw);
  if (body['trail'] !== undefined) throw invalid('trail is valid at Alpaca but not simulated by this emulator');
  const qty = amount(body, 'qty');
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
