import { pino } from 'pino';
import { parseEnv, readDotEnv } from '../config/env.js';
import { formatMoney, formatPnl } from '../core/formatMoney.js';
import { formatEt } from '../market-data/formatEt.js';
import { CliError } from '../core/errors.js';
import type { LiveStart, PortfolioSnapshot } from '../persistence/PortfolioSnapshot.js';
import type { ClosedTrade } from '../portfolio/ClosedTrade.js';
import { closedTradesOf } from '../persistence/readClosedTrades.js';
import { loadNewestState } from '../persistence/SnapshotStore.js';
import { strategyStatus, type StrategyStatus } from '../risk/strategyStatus.js';
import { formatHonestRatio, honestRatio, honestRatios } from '../portfolio/sampleRules.js';
import { formatReadinessBrief } from '../readiness/formatReadiness.js';
import { readinessOf } from '../readiness/readinessOf.js';
import { loadConfigWithStrategies } from './loadConfigWithStrategies.js';
import { commandSpecs } from './commandSpecs.js';
import { npmBannerOnStdout } from './npmBannerOnStdout.js';
import { parseArgs } from './parseArgs.js';

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);
const two = (x: number): string => x.toFixed(2);

/** A live run's readiness decision, loud when it was overridden. */
function liveLines(live: LiveStart | null): string[] {
  if (live === null) return [];
  const held = live.held.length === 0 ? '' : `; held back (not ready): ${live.held.join(', ')}`;
  const head = `LIVE run: trading ${live.started.join(', ')}${held}`;
  return live.override === null ? [head] : [head, `⚠️ live readiness OVERRIDDEN: ${live.override}`];
}

/** A strategy's trading status as the JSON and the table give it (the same word as the log and Telegram). */
const statusFields = (t: StrategyStatus) => ({ status: t.word, statusLabel: t.label, statusReason: t.reason, statusSince: t.since === null ? null : new Date(t.since).toISOString() });

/** The newest closed trade of a strategy (ISO times), null before its first. */
const lastTrade = (trades: readonly ClosedTrade[]) => {
  const t = trades.at(-1);
  return t === undefined ? null : { symbol: t.symbol, direction: t.direction, qty: t.qty, exitTime: new Date(t.exitTime).toISOString(), netPnl: t.netPnl };
};

/**
 * `npm run status` (options: commandSpecs.status): the newest saved state of that configuration (the
 * daemon need not run): account, positions, each strategy's P&L and trading status (its circuit
 * breaker's, or the account's), win rate and Sharpe (n/a from too small a sample: docs/metrics.md),
 * when it was saved, a live run's readiness decision, and the live checklist's verdicts (items 1–5;
 * `npm run readiness` adds the fill comparison). Times are New York market time (ET); `--json` gives
 * them as ISO-8601 UTC.
 */
export async function runStatusCommand(args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  const v = parseArgs(args, commandSpecs.status);
  // Reads the saved state only: a strategy module being edited does not stop it.
  const { config } = await loadConfigWithStrategies(v.config, 'names');
  // Read only: the closed trades come from the logs beside the state, as far as that state goes.
  // Lines after the state's position are a running daemon's next save, not a problem: not reported.
  const loaded = loadNewestState(config.state.dir, { startingCash: null }, (w) => process.stderr.write(`warning: skipped ${w}\n`), () => {});
  if (loaded === null) throw new CliError(`no saved state in ${config.state.dir} (start the daemon first)`);
  const closed = closedTradesOf(loaded).strategies;
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
    lastTrade: lastTrade(closed[id] ?? []),
    winRate: x.performance.winRate,
    sharpe: x.performance.sharpe,
    /** The ratios as they may be shown (null with the reason from too small a sample). */
    ratios: honestRatios(x.performance),
    winRateText: formatHonestRatio(honestRatio(x.performance, 'winRate'), pct, x.performance),
    sharpeText: formatHonestRatio(honestRatio(x.performance, 'sharpe'), two, x.performance),
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
    /** A live run: what the readiness checklist started and held back, and an override's reason. */
    live: s.live ?? null,
    readiness: await readinessOf(config, { env: parseEnv({ ...readDotEnv('.env'), ...env }), now: Date.now(), logger: pino({ level: 'silent' }), measureFills: false }),
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
    ...liveLines(summary.live),
    '',
  ];
  const rows = [['strategy', 'status', 'equity', 'P&L', 'realized', 'trades', 'win rate', 'Sharpe', 'max DD', 'positions']];
  for (const x of strategies) {
    rows.push([
      x.id,
      x.statusLabel,
      formatMoney(x.equity),
      formatPnl(x.pnl),
      formatPnl(x.realizedPnl),
      String(x.trades),
      x.ratios.winRate.value === null ? 'n/a' : pct(x.ratios.winRate.value),
      x.ratios.sharpe.value === null ? 'n/a' : `${two(x.ratios.sharpe.value)}${x.ratios.sharpe.flat ? '*' : ''}`,
      pct(x.maxDrawdown),
      x.positions.length === 0 ? '—' : x.positions.map((p) => `${p.symbol} ${p.qty} @ ${p.avgPrice.toFixed(2)}`).join(', '),
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) lines.push(r.map((c, i) => (i === 0 || i === 1 || i === r.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd());
  for (const x of strategies) {
    if (x.statusReason !== null) lines.push(`${x.id}: ${x.status}${x.statusSince === null ? '' : ` since ${formatEt(Date.parse(x.statusSince))}`}: ${x.statusReason}`);
  }
  const notes = strategies.filter((x) => x.ratios.winRate.value === null || x.ratios.sharpe.value === null || x.ratios.sharpe.flat);
  if (notes.length > 0) lines.push('', 'Ratios from too small a sample are n/a, a Sharpe of mostly idle days has a * (docs/metrics.md):');
  for (const x of notes) lines.push(`  ${x.id}: win rate ${x.winRateText}; Sharpe ${x.sharpeText}`);
  lines.push('', ...formatReadinessBrief(summary.readiness));
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
