import type { Logger } from 'pino';
import { formatMoney, formatPnl } from '../core/formatMoney.js';
import { AlertPriority, type Notifier } from '../notify/Notifier.js';
import { formatTrade } from '../notify/formatTrade.js';
import { renderEquityChart } from '../notify/chart/renderEquityChart.js';
import { formatDailySummary } from '../notify/formatDailySummary.js';
import { strategyStatus } from '../risk/strategyStatus.js';
import type { LiveStart, PortfolioSnapshot } from '../persistence/PortfolioSnapshot.js';
import type { TradingCore } from './buildTradingCore.js';

export interface EngineEventSinks {
  readonly logger: Logger;
  /** Where circuit-breaker trips and resumes are logged as well (`logs/circuit_breaker.log`). */
  readonly breakerLog: Logger | undefined;
  readonly notifier: () => Notifier | null;
  readonly telegramOnAllTrades: boolean;
  /**
   * Something worth saving happened: a fill, or a breaker tripped or resumed (`breaker`: that save
   * writes a backup too, so a latest file lost later never takes a trip back with it).
   */
  readonly onChange: (what?: 'breaker') => void;
  readonly onFill: (strategyId: string) => void;
}

/** What the daemon does with the core's events, in either mode: trade and breaker logs, alerts, the state's dirty flag. */
export function wireEngineEvents(core: TradingCore, o: EngineEventSinks): void {
  const tradeLog = o.logger.child({ component: 'trades' });
  core.bus.on('breaker.tripped', () => o.onChange('breaker'));
  core.bus.on('breaker.resumed', () => o.onChange('breaker'));
  core.bus.on('fill.booked', (e) => {
    o.onChange();
    o.onFill(e.strategyId);
    const text = formatTrade(e);
    const runner = core.runner.get(e.strategyId);
    tradeLog.info(
      {
        strategy: e.strategyId,
        symbol: e.fill.symbol,
        side: e.fill.side,
        qty: e.fill.qty,
        price: e.fill.price,
        clientOrderId: e.fill.clientOrderId,
        marketTime: new Date(e.fill.time).toISOString(),
        realizedPnl: e.realizedPnl,
        strategyRealizedPnl: runner?.ledger.realizedPnl,
      },
      e.closedTrade === null ? text : `${text} · ${e.strategyId} realized P&L ${formatPnl(runner?.ledger.realizedPnl ?? 0)}`,
    );
    if (o.telegramOnAllTrades) o.notifier()?.notify({ priority: AlertPriority.Trade, text });
  });
  const breakerLog = o.breakerLog ?? o.logger.child({ component: 'circuit_breaker' });
  const riskLog = o.logger.child({ component: 'circuit_breaker' });
  core.bus.on('breaker.tripped', (e) => {
    const what = e.action === 'halt_all' ? 'all its orders are halted' : e.action === 'flatten' ? 'its positions are being closed; entries are blocked' : 'entries are blocked, exits allowed';
    const text = `🛑 Circuit breaker ${e.scope} tripped on ${e.rule}: ${e.message}; ${what}`;
    const fields = { scope: e.scope, rule: e.rule, value: e.value, threshold: e.threshold, action: e.action, marketTime: new Date(e.time).toISOString() };
    riskLog.warn(fields, text);
    breakerLog.warn(fields, text);
    o.notifier()?.notify({ priority: AlertPriority.Risk, text });
  });
  core.bus.on('breaker.resumed', (e) => {
    const text = `✅ Circuit breaker ${e.scope} (${e.rule}) ${e.reason}`;
    const fields = { scope: e.scope, rule: e.rule, marketTime: new Date(e.time).toISOString() };
    riskLog.info(fields, text);
    breakerLog.info(fields, text);
    o.notifier()?.notify({ priority: AlertPriority.Risk, text });
  });
  core.bus.on('strategy.faulted', (e) => {
    const message = e.error instanceof Error ? e.error.message : String(e.error);
    o.notifier()?.notify({ priority: AlertPriority.Error, text: `❌ Strategy ${e.strategyId} faulted and paused: ${message}` });
  });
}

/** The P&L lines (`grep "P&L"`): the portfolio, then each strategy. */
export function logPnl(log: Logger, core: TradingCore, when: string, accountEquity: number | null): void {
  const p = core.portfolio;
  const total = p.equity() - p.startingCash;
  log.info(
    { equity: p.equity(), cash: p.cash(), realizedPnl: p.realizedPnl(), unrealizedPnl: p.unrealizedPnl() },
    `P&L (${when}): total ${formatPnl(total)} · realized ${formatPnl(p.realizedPnl())} · unrealized ${formatPnl(p.unrealizedPnl())} · ` +
      `strategies ${formatMoney(p.equity())} of account ${formatMoney(accountEquity ?? p.equity())}`,
  );
  const account = core.breakers?.account.status() ?? null;
  for (const r of core.runner.runners) {
    const status = strategyStatus(r, core.breakers?.get(r.id)?.status() ?? null, account);
    const trades = r.ledger.closedTrades.length;
    log.info(
      { strategy: r.id, equity: r.ledger.equity(), realizedPnl: r.ledger.realizedPnl, status: status.word, ...(status.reason === null ? {} : { statusReason: status.reason }) },
      `P&L ${r.id}: ${formatPnl(r.ledger.equity() - r.capital)} (realized ${formatPnl(r.ledger.realizedPnl)}, ${trades} trade${trades === 1 ? '' : 's'}, ${status.label})`,
    );
  }
}

/**
 * After the close: the day's summary with the strategies' equity curve (every daily close and today)
 * as a PNG; the weekly edition (the week's last session) adds `weekly`, the readiness checklist,
 * sent once it is judged (it reads the saved record: never on the bar path).
 */
export function sendDailySummary(notifier: Notifier | null, core: TradingCore, snapshot: PortfolioSnapshot, date: string, weekly: Promise<string | null> | null = null): void {
  if (notifier === null) return;
  const h = core.portfolio.curve().history();
  const png = renderEquityChart([...h.dailyCloses, ...h.today], core.portfolio.startingCash);
  const text = formatDailySummary(snapshot, date);
  const send = (extra: string | null): void => notifier.notifyPhoto({ priority: AlertPriority.Summary, text: extra === null ? text : `${text}\n\n${extra}` }, png);
  if (weekly === null) send(null);
  else weekly.then(send, (error: unknown) => send(`Live readiness could not be judged: ${error instanceof Error ? error.message : String(error)}`));
}

/** What the start alert adds for a live start: the strategies the readiness checklist held back, and an override, loud. */
export function liveStartNote(live: LiveStart | undefined): string {
  if (live === undefined) return '';
  const lines: string[] = [];
  if (live.override !== null) lines.push(`⚠️ Live readiness OVERRIDDEN: ${live.override}`);
  if (live.held.length > 0) lines.push(`Held back (not ready for live): ${live.held.join(', ')}`);
  return lines.length === 0 ? '' : `\n${lines.join('\n')}`;
}
