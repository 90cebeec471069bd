import type { Order, OrderRequest, OrderStatus } from '../core/Order.js';

/** The broker's view of a request it has just accepted (`new`) or refused (`rejected`), before any fill. */
export function orderFromRequest(r: OrderRequest, id: string, status: OrderStatus, time: number): Order {
  return {
    id,
    clientOrderId: r.clientOrderId,
    symbol: r.symbol,
    side: r.side,
    type: r.type,
    qty: r.qty,
    limitPrice: r.limitPrice ?? null,
    stopPrice: r.stopPrice ?? null,
    timeInForce: r.timeInForce,
    status,
    filledQty: 0,
    filledAvgPrice: null,
    submittedAt: time,
    updatedAt: time,
  };
}

/** A snapshot of an order, field by field (one object shape, cheaper than a spread on the fill path). */
export function copyOrder(o: Order): Order {
  return {
    id: o.id,
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    qty: o.qty,
    limitPrice: o.limitPrice,
    stopPrice: o.stopPrice,
    timeInForce: o.timeInForce,
    status: o.status,
    filledQty: o.filledQty,
    filledAvgPrice: o.filledAvgPrice,
    submittedAt: o.submittedAt,
    updatedAt: o.updatedAt,
  };
}
