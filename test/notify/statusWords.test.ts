import { describe, expect, it } from 'vitest';
import { commandViews } from '../../src/notify/commandViews.js';
import { formatDailySummary } from '../../src/notify/formatDailySummary.js';
import type { PortfolioSnapshot } from '../../src/persistence/PortfolioSnapshot.js';

const TRIP = Date.parse('2019-02-12T15:27:00Z');
const perf = { trades: 2, winRate: 0.5, sharpe: null, tradingDays: 3, maxDrawdown: { depth: 0.006 } };
const breaker = (trip: { rule: string; message: string; time: number } | null) => ({ state: trip === null ? 'ARMED' : 'PAUSED', trip });
const strategy = (cb: ReturnType<typeof breaker>) => ({ status: 'active', pauseReason: null, capital: 15_000, equity: 14_900, circuitBreaker: cb, ledger: { positions: [], realizedPnl: -100 }, performance: perf });

/** The parts of a state file the summary and the Telegram views read: one strategy paused by its breaker, one active. */
const snapshot = {
  mode: 'sim',
  marketTime: '2019-02-12T21:00:00.000Z',
  account: { value: 99_800 },
  performance: { ...perf, realizedPnl: -200, unrealizedPnl: 0 },
  circuitBreaker: breaker(null),
  strategies: {
    rsi_fast_etf: strategy(breaker({ rule: 'max_drawdown', message: 'drawdown 0.60% reached the 0.50% limit', time: TRIP })),
    rsi_banks: strategy(breaker(null)),
  },
} as unknown as PortfolioSnapshot;

describe('status words agree with the circuit breakers', () => {
  it('the daily summary says PAUSED (rule) for a strategy whose runner is active but whose breaker tripped', () => {
    const lines = formatDailySummary(snapshot, '2019-02-12').split('\n');
    expect(lines.find((l) => l.startsWith('• rsi_fast_etf'))).toMatch(/ · PAUSED \(max_drawdown\)$/);
    expect(lines.find((l) => l.startsWith('• rsi_banks'))).not.toMatch(/PAUSED|active/);
  });

  it('Telegram /status says the same word, with the reason, and the market time in ET', () => {
    expect(commandViews(() => snapshot).status().split('\n')).toEqual([
      'offline simulation · market time 2019-02-12 16:00 ET · account $99,800.00',
      'rsi_fast_etf: PAUSED (max_drawdown) – drawdown 0.60% reached the 0.50% limit · equity $14,900.00',
      'rsi_banks: active · equity $14,900.00',
    ]);
  });

  it('an account breaker pauses every strategy in the words too', () => {
    const all = { ...snapshot, circuitBreaker: breaker({ rule: 'max_daily_loss', message: 'loss today 5.00%', time: TRIP }), strategies: { rsi_banks: strategy(breaker(null)) } } as unknown as PortfolioSnapshot;
    expect(commandViews(() => all).status().split('\n')[1]).toBe("rsi_banks: PAUSED (account: max_daily_loss) – the account's breaker: loss today 5.00% · equity $14,900.00");
    expect(formatDailySummary(all, '2019-02-12').split('\n').at(-1)).toMatch(/ · PAUSED \(account: max_daily_loss\)$/);
  });
});
