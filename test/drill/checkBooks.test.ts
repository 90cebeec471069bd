import { describe, expect, it } from 'vitest';
import { alertsOnce, breakersPreserved, fillsBookedOnce, ledgersSumToVenue, removedStrategies, uniqueIntendedOrders, type StateBooks } from '../../drill/checkBooks.js';

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

  it('alerts: a delivery logged in the second before a kill -9, the outbox not yet saved, may be logged again after the restart', () => {
    // Wall times of the log on the drill's clock: origin 1,000,000 ms, so 00:16:40.300 is 300.
    const at = (ms: number): string => new Date(1_000_000 + ms).toISOString();
    const log = [queued(1), queued(2, 3), { ...delivered(1), time: at(100) }, { ...delivered(2, 3), time: at(300) }, { ...delivered(2, 3), time: at(2500) }];
    // Killed at 700: 2 and 3 were delivered at 300 and sent again by the restarted daemon.
    expect(alertsOnce(log, [100, 300, 2500], 0, [700], 1_000_000)).toEqual({ pass: true, detail: '3 alerts in 3 messages, each once (1 sent again after a kill -9 hit while Telegram had it)' });
    // Killed long after: a repeat with no excuse.
    expect(alertsOnce(log, [100, 300, 2500], 0, [1800], 1_000_000).detail).toBe('delivered twice: ids 2, 3');
    // Without the log's times on the drill's clock, no repeat is excused.
    expect(alertsOnce(log, [100, 300, 2500], 0, [700]).detail).toBe('delivered twice: ids 2, 3');
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

  const uuid = (n: number): string => `0000000${n}-aaaa-4bbb-8ccc-dddddddddddd`;
  const ledger = (cash: number, positions: Array<{ symbol: string; qty: number }> = []) => ({ cash, positions });

  it('legs: a bracket exit (a UUID of Alpaca’s) is its entry’s strategy’s, through parent_client_order_id', () => {
    const venue = {
      orders: [
        { client_order_id: 'a-r1-1', parent_client_order_id: null, symbol: 'TSLA', side: 'buy' as const, status: 'filled', filled_qty: 10, filled_avg_price: 300 },
        // The stop-loss filled, the take-profit canceled with it.
        { client_order_id: uuid(1), parent_client_order_id: 'a-r1-1', symbol: 'TSLA', side: 'sell' as const, status: 'filled', filled_qty: 10, filled_avg_price: 299.4 },
        { client_order_id: uuid(2), parent_client_order_id: 'a-r1-1', symbol: 'TSLA', side: 'sell' as const, status: 'canceled', filled_qty: 0, filled_avg_price: null },
        // A second bracket: entry filled, legs working.
        { client_order_id: 'a-r1-2', parent_client_order_id: null, symbol: 'MU', side: 'buy' as const, status: 'filled', filled_qty: 5, filled_avg_price: 40 },
        { client_order_id: uuid(3), parent_client_order_id: 'a-r1-2', symbol: 'MU', side: 'sell' as const, status: 'new', filled_qty: 0, filled_avg_price: null },
        // The daemon's own trailing stop, named after its entry.
        { client_order_id: 'a-r1-2-ts', symbol: 'MU', side: 'sell' as const, status: 'canceled', filled_qty: 0, filled_avg_price: null },
      ],
      positions: [{ symbol: 'MU', qty: 5 }],
      cash: 100_000 - 3000 + 2994 - 200,
    };
    const state = (positions: Array<{ symbol: string; qty: number }>, cash: number): StateBooks => ({ strategies: { a: { capital: 10_000, circuitBreaker: null, ledger: ledger(cash, positions) } } });
    const ids = new Set(['a']);
    expect(uniqueIntendedOrders(venue, ids)).toEqual({ pass: true, detail: '6 orders (3 bracket legs), ids unique' });
    expect(fillsBookedOnce(venue, state([{ symbol: 'MU', qty: 5 }], 9794)).pass).toBe(true);
    expect(ledgersSumToVenue(venue, state([{ symbol: 'MU', qty: 5 }], 9794), 100_000).pass).toBe(true);
    // The stop-loss's fill never booked: the ledger still holds the shares and lacks the cash.
    expect(fillsBookedOnce(venue, state([{ symbol: 'MU', qty: 5 }, { symbol: 'TSLA', qty: 10 }], 6800)).detail).toBe('a TSLA: ledger 10, venue fills 0; a cash: ledger 6800.0000, venue fills say 9794.0000');
    // A leg of an entry no strategy of ours sent, and a hand-placed order: not intended.
    const foreign = { ...venue, orders: [...venue.orders, { client_order_id: uuid(4), parent_client_order_id: 'manual-1', symbol: 'MU', side: 'sell' as const, status: 'held', filled_qty: 0, filled_avg_price: null }, { client_order_id: uuid(5), symbol: 'MU', side: 'buy' as const, status: 'new', filled_qty: 0, filled_avg_price: null }] };
    expect(uniqueIntendedOrders(foreign, ids).detail).toBe(`not a strategy's: ${uuid(4)}, ${uuid(5)}`);
  });

  it('a strategy a restore removed: its fills are at the venue, its cash went back to the account (capital flows)', () => {
    // r made $50 on AAPL and was removed holding only cash ($20,050 back to the account); a kept its $30,000.
    const venue = {
      orders: [
        { client_order_id: 'r-r1-1', symbol: 'AAPL', side: 'buy' as const, status: 'filled', filled_qty: 10, filled_avg_price: 100 },
        { client_order_id: 'r-r1-2', symbol: 'AAPL', side: 'sell' as const, status: 'filled', filled_qty: 10, filled_avg_price: 105 },
        { client_order_id: 'a-r2-3', symbol: 'MSFT', side: 'buy' as const, status: 'filled', filled_qty: 2, filled_avg_price: 100 },
      ],
      positions: [{ symbol: 'MSFT', qty: 2 }],
      cash: 100_000 + 50 - 200,
    };
    const before: StateBooks = {
      strategies: {
        r: { capital: 20_000, circuitBreaker: { state: 'PAUSED' }, ledger: ledger(20_050) },
        a: { capital: 30_000, circuitBreaker: { state: 'ARMED' }, ledger: ledger(30_000) },
      },
    };
    // Restored with r removed and a's capital raised to $35,000 (a deposit of $5,000 to its cash).
    const after = (rCash: number): StateBooks => ({
      strategies: { a: { capital: 35_000, circuitBreaker: { state: 'ARMED' }, ledger: ledger(34_800, [{ symbol: 'MSFT', qty: 2 }]) } },
      engine: {
        capitalFlows: [
          { strategyId: 'r', amount: -rCash, why: 'removed from the configuration' },
          { strategyId: 'a', amount: 5000, why: 'capital_allocation $30000.00 → $35000.00' },
        ],
      },
    });
    const removed = removedStrategies(after(20_050), [before]);
    expect([...removed]).toEqual([['r', { capital: 20_000, cashOut: 20_050 }]]);
    expect(uniqueIntendedOrders(venue, new Set(['a', ...removed.keys()])).pass).toBe(true);
    expect(fillsBookedOnce(venue, after(20_050), removed)).toEqual({ pass: true, detail: "3 filled orders, each strategy's shares and cash exact (r removed, its cash handed back exact)" });
    expect(ledgersSumToVenue(venue, after(20_050), 100_000, removed).pass).toBe(true);
    // Without the removed strategy's P&L the account's cash is $50 short.
    expect(ledgersSumToVenue(venue, after(20_050), 100_000).detail).toBe('cash: ledgers + unallocated 99800.00, venue 99850.00');
    // Handed back the wrong amount.
    const wrong = removedStrategies(after(20_000), [before]);
    expect(fillsBookedOnce(venue, after(20_000), wrong).detail).toBe('r (removed) cash handed back 20000.0000, its capital and venue fills say 20050.0000');
    // Its paused breaker is gone with it, not re-armed.
    expect(breakersPreserved(before, after(20_050))).toEqual({ pass: true, detail: '0 tripped breaker(s) still tripped' });
    expect(breakersPreserved(before, { strategies: after(20_050).strategies }).detail).toBe('re-armed by a restart: r');
  });
  it('breakers: a restart keeps every trip, but a daily rule’s once the close of its day was handled', () => {
    const books = (state: string, trip: { rule: string; time: number } | null, lastClose: string | null): StateBooks => ({
      strategies: { s: { capital: 1000, circuitBreaker: { state, trip }, ledger: { cash: 1000, positions: [] } } },
      engine: { lastClose },
    });
    // A daily loss tripped on Tuesday 2019-02-12 at 15:00 New York.
    const daily = { rule: 'max_daily_loss', time: Date.parse('2019-02-12T20:00:00Z') };
    expect(breakersPreserved(books('PAUSED', daily, '2019-02-11'), books('ARMED', null, '2019-02-11')).detail).toBe(
      're-armed by a restart: s (max_daily_loss at 2019-02-12T20:00:00.000Z, last close handled 2019-02-11)',
    );
    expect(breakersPreserved(books('PAUSED', daily, '2019-02-11'), books('ARMED', null, '2019-02-12'))).toEqual({ pass: true, detail: '0 tripped breaker(s) still tripped, 1 daily trip(s) re-armed by a close' });
    // A losing streak waits for a hand whatever the closes.
    const streak = { rule: 'max_consecutive_losses', time: daily.time };
    expect(breakersPreserved(books('PAUSED', streak, '2019-02-11'), books('ARMED', null, '2019-02-13')).pass).toBe(false);
    expect(breakersPreserved(books('PAUSED', streak, '2019-02-11'), books('PAUSED', streak, '2019-02-13'))).toEqual({ pass: true, detail: '1 tripped breaker(s) still tripped' });
  });
});
