import { describe, expect, it } from 'vitest';
import { alertsOnce, fillsBookedOnce, ledgersSumToVenue } from '../../drill/checkBooks.js';

const queued = (...ids: number[]) => ({ msg: 'alert queued', ids });
const delivered = (...ids: number[]) => ({ msg: 'alert delivered', ids });

describe('the drill’s invariant checks', () => {
  it('alerts: each queued id delivered once; a message Telegram took just before a kill -9 may come again, nothing else', () => {
    const log = [queued(1), queued(2, 3), delivered(1), delivered(2, 3)];
    expect(alertsOnce(log, [10, 20], 0)).toEqual({ pass: true, detail: '3 alerts in 2 messages, each once' });
    expect(alertsOnce([...log, delivered(1)], [10, 20, 30], 0).detail).toBe('delivered twice: ids 1');
    expect(alertsOnce([queued(1), queued(2)], [], 1).detail).toBe('never delivered: ids 1, 2; 1 still queued');
    // Taken at 10, killed at 500 before the daemon heard back: sent again after the restart.
    expect(alertsOnce(log, [10, 20, 40], 0, [500]).pass).toBe(true);
    expect(alertsOnce(log, [10, 20, 40], 0, [5000]).detail).toBe('Telegram received 3 messages for 2 deliveries (0 taken just before a kill -9)');
  });

  it('books: each strategy’s shares and cash equal its fills at the venue, and together the venue’s', () => {
    const venue = {
      orders: [
        { client_order_id: 'a-r1-1', symbol: 'AAPL', side: 'buy' as const, status: 'filled', filled_qty: 10, filled_avg_price: 100 },
        { client_order_id: 'a-r1-2', symbol: 'AAPL', side: 'sell' as const, status: 'partially_filled', filled_qty: 4, filled_avg_price: 101 },
        { client_order_id: 'b-r1-3', symbol: 'MSFT', side: 'buy' as const, status: 'canceled', filled_qty: 0, filled_avg_price: null },
      ],
      positions: [{ symbol: 'AAPL', qty: 6 }],
      cash: 100_000 - 1000 + 404,
    };
    const state = (aCash: number, aQty: number) => ({
      strategies: {
        a: { capital: 50_000, circuitBreaker: null, ledger: { cash: aCash, positions: aQty === 0 ? [] : [{ symbol: 'AAPL', qty: aQty }] } },
        b: { capital: 40_000, circuitBreaker: null, ledger: { cash: 40_000, positions: [] } },
      },
    });
    expect(fillsBookedOnce(venue, state(49_404, 6)).pass).toBe(true);
    expect(ledgersSumToVenue(venue, state(49_404, 6), 100_000).pass).toBe(true);
    // The sell's fill booked twice.
    expect(fillsBookedOnce(venue, state(49_808, 2)).detail).toBe('a AAPL: ledger 2, venue fills 6; a cash: ledger 49808.0000, venue fills say 49404.0000');
    expect(ledgersSumToVenue(venue, state(49_808, 2), 100_000).detail).toBe('AAPL: ledgers 2, venue 6; cash: ledgers + unallocated 99808.00, venue 99404.00');
  });
});
