import { loadConfig } from '../config/loadConfig.js';
import { formatMoney, formatPnl } from '../core/formatMoney.js';
import { CliError } from '../core/errors.js';
import type { PortfolioSnapshot } from '../persistence/PortfolioSnapshot.js';
import { SnapshotStore } from '../persistence/SnapshotStore.js';
import { strategyParamSchemas } from '../strategies/builtInStrategies.js';
import { parseArgs } from './parseArgs.js';

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);

/**
 * `npm run status -- [--config FILE] [--json]`: the newest saved state of that configuration (the
 * daemon need not run): account, positions, each strategy's P&L and circuit breaker, when it was saved.
 */
export async function runStatusCommand(args: string[]): Promise<number> {
  const v = parseArgs(args, { config: { type: 'string' }, json: { type: 'boolean' } }, 'status');
  const config = loadConfig(v.config ?? 'config/paper-trading.json', { strategyParams: strategyParamSchemas() });
  const store = new SnapshotStore(config.state.dir, config.state.max_backups);
  const loaded = store.loadNewest((w) => process.stderr.write(`warning: skipped ${w}\n`));
  if (loaded === null) throw new CliError(`no saved state in ${config.state.dir} (start the daemon first)`);
  // The file passed validation for restore; its human part is read as the daemon wrote it.
  const s = loaded.snapshot as unknown as PortfolioSnapshot;
  const strategies = Object.entries(s.strategies).map(([id, x]) => ({
    id,
    status: x.status,
    breaker: x.circuitBreaker?.state ?? 'n/a',
    trip: x.circuitBreaker?.trip ?? null,
    capital: x.capital,
    equity: x.equity,
    pnl: x.equity - x.capital,
    realizedPnl: x.ledger.realizedPnl,
    trades: x.performance.trades,
    winRate: x.performance.winRate,
    maxDrawdown: x.performance.maxDrawdown.depth,
    positions: x.ledger.positions.map((p) => ({ symbol: p.symbol, qty: p.qty, avgPrice: p.avgPrice, marketPrice: p.marketPrice, unrealizedPnl: p.unrealizedPnl })),
    denials: x.denials,
  }));
  const summary = {
    file: loaded.file,
    savedAt: s.timestamp,
    runId: s.runId,
    mode: s.mode,
    marketTime: s.marketTime,
    account: { value: s.account.value, cash: s.account.cash, allocated: s.account.allocated, circuitBreaker: s.circuitBreaker?.state ?? 'n/a', trip: s.circuitBreaker?.trip ?? null },
    pnl: { total: s.account.allocated.value - strategies.reduce((a, x) => a + x.capital, 0), realized: s.performance.realizedPnl, unrealized: s.performance.unrealizedPnl },
    strategies,
  };
  if (v.json === true) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `state of ${summary.file}`,
    `saved ${summary.savedAt} by run ${summary.runId} (${summary.mode}), market time ${summary.marketTime ?? 'n/a'}`,
    `account ${formatMoney(summary.account.value)} · cash ${formatMoney(summary.account.cash)} · strategies ${formatMoney(summary.account.allocated.value)} · account breaker ${summary.account.circuitBreaker}`,
    `P&L ${formatPnl(summary.pnl.total)} (realized ${formatPnl(summary.pnl.realized)}, unrealized ${formatPnl(summary.pnl.unrealized)})`,
    '',
  ];
  const rows = [['strategy', 'status', 'breaker', 'equity', 'P&L', 'realized', 'trades', 'win rate', 'max DD', 'positions']];
  for (const x of strategies) {
    rows.push([
      x.id,
      x.status,
      x.trip === null ? x.breaker : `${x.breaker} (${x.trip.rule})`,
      formatMoney(x.equity),
      formatPnl(x.pnl),
      formatPnl(x.realizedPnl),
      String(x.trades),
      pct(x.winRate),
      pct(x.maxDrawdown),
      x.positions.length === 0 ? '—' : x.positions.map((p) => `${p.symbol} ${p.qty} @ ${p.avgPrice.toFixed(2)}`).join(', '),
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) lines.push(r.map((c, i) => (i === 0 || i === 1 || i === 2 || i === r.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd());
  for (const x of strategies) if (x.trip !== null) lines.push(`${x.id}: paused since ${new Date(x.trip.time).toISOString()}: ${x.trip.message}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
