import { loadConfig } from '../config/loadConfig.js';
import { formatMoney, formatPnl } from '../core/formatMoney.js';
import { formatEt } from '../market-data/formatEt.js';
import { CliError } from '../core/errors.js';
import type { PortfolioSnapshot } from '../persistence/PortfolioSnapshot.js';
import { SnapshotStore } from '../persistence/SnapshotStore.js';
import { strategyStatus, type StrategyStatus } from '../risk/strategyStatus.js';
import { strategyParamSchemas } from '../strategies/builtInStrategies.js';
import { commandSpecs } from './commandSpecs.js';
import { npmBannerOnStdout } from './npmBannerOnStdout.js';
import { parseArgs } from './parseArgs.js';

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);

/** A strategy's trading status as the JSON and the table give it (the same word as the log and Telegram). */
const statusFields = (t: StrategyStatus) => ({ status: t.word, statusLabel: t.label, statusReason: t.reason, statusSince: t.since === null ? null : new Date(t.since).toISOString() });

/**
 * `npm run status` (options: commandSpecs.status): the newest saved state of that configuration (the
 * daemon need not run): account, positions, each strategy's P&L and trading status (its circuit
 * breaker's, or the account's), when it was saved. Times are New York market time (ET); `--json`
 * gives them as ISO-8601 UTC.
 */
export async function runStatusCommand(args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  const v = parseArgs(args, commandSpecs.status);
  const config = loadConfig(v.config, { strategyParams: strategyParamSchemas() });
  const store = new SnapshotStore(config.state.dir, config.state.max_backups);
  const loaded = store.loadNewest((w) => process.stderr.write(`warning: skipped ${w}\n`));
  if (loaded === null) throw new CliError(`no saved state in ${config.state.dir} (start the daemon first)`);
  // The file passed validation for restore; its human part is read as the daemon wrote it.
  const s = loaded.snapshot as unknown as PortfolioSnapshot;
  const strategies = Object.entries(s.strategies).map(([id, x]) => ({
    id,
    ...statusFields(strategyStatus(x, x.circuitBreaker, s.circuitBreaker)),
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
    if (process.stdout.isTTY !== true && npmBannerOnStdout(env)) {
      process.stderr.write("note: npm printed its banner on stdout ahead of this JSON; for a pipe, silence npm: npm run -s status -- --json\n");
    }
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return 0;
  }
  const accountTrip = summary.account.trip;
  const lines = [
    `state of ${summary.file}`,
    `saved ${formatEt(Date.parse(summary.savedAt), true)} by run ${summary.runId} (${summary.mode}), market time ${summary.marketTime === null ? 'n/a' : formatEt(Date.parse(summary.marketTime))}`,
    `account ${formatMoney(summary.account.value)} · cash ${formatMoney(summary.account.cash)} · strategies ${formatMoney(summary.account.allocated.value)} · account breaker ${summary.account.circuitBreaker}${accountTrip === null ? '' : ` (${accountTrip.rule}) since ${formatEt(accountTrip.time)}: ${accountTrip.message}`}`,
    `P&L ${formatPnl(summary.pnl.total)} (realized ${formatPnl(summary.pnl.realized)}, unrealized ${formatPnl(summary.pnl.unrealized)})`,
    '',
  ];
  const rows = [['strategy', 'status', 'equity', 'P&L', 'realized', 'trades', 'win rate', 'max DD', 'positions']];
  for (const x of strategies) {
    rows.push([
      x.id,
      x.statusLabel,
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
  for (const r of rows) lines.push(r.map((c, i) => (i === 0 || i === 1 || i === r.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd());
  for (const x of strategies) {
    if (x.statusReason !== null) lines.push(`${x.id}: ${x.status}${x.statusSince === null ? '' : ` since ${formatEt(Date.parse(x.statusSince))}`}: ${x.statusReason}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
