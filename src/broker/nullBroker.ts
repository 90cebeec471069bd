import type { OrderRequest } from '../core/Order.js';
import type { Broker } from './Broker.js';

/** A broker that takes orders and does nothing with them (no event ever comes back): each is handed to `onSubmit`. */
export function nullBroker(onSubmit: (request: OrderRequest) => void): Broker {
  return {
    submit: onSubmit,
    cancel: () => {},
    getAccount: () => Promise.resolve({ cash: 0, equity: 0, buyingPower: 0 }),
    getPositions: () => Promise.resolve([]),
    getOpenOrders: () => Promise.resolve([]),
    onOrderEvent: () => () => {},
  };
}
