import type { DaemonConfig } from '../config/configSchema.js';
import { formatMoney } from '../core/formatMoney.js';
import type { OutboxStatus } from '../notify/Outbox.js';
import type { BreakerLimits } from '../risk/CircuitBreaker.js';
import { ITEM_NAMES, pctText, type ReadinessItem } from './ReadinessItem.js';
import { READINESS_RULES as R } from './readinessRules.js';

/** What a live start of this configuration would run with. */
export interface LivePlan {
  /** The configuration's `live` section; undefined when it has none. */
  readonly section: DaemonConfig['live'];
  /** The capital the configuration gives the strategy: a live start's starting capital. */
  readonly capital: number;
  /** The paper capital in the record (null: the strategy has no paper record). */
  readonly paperCapital: number | null;
  /** The breaker limits live trading would apply (the configuration's, capped by its live section); null without one. */
  readonly limits: { readonly strategy: BreakerLimits; readonly account: BreakerLimits } | null;
  /** TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID are set. */
  readonly telegram: boolean;
  readonly deliveries: OutboxStatus | null;
  /** Wall time now. */
  readonly now: number;
}

const iso = (t: number): string => `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const ago = (ms: number): string => (ms < 7_200_000 ? `${Math.round(ms / 60_000)} min ago` : ms < 172_800_000 ? `${Math.round(ms / 3_600_000)} h ago` : `${Math.round(ms / 86_400_000)} days ago`);
const limit = (x: number | null): string => (x === null ? 'off' : pctText(x, 1));

/**
 * 5. The live plan: starting capital at most 10 % of the paper capital, breakers at least as strict
 * as the live caps (drawdown 5 %, daily loss 2 %) for the strategy and the account, monitoring
 * configured and working (Telegram set up, a delivery within 4 days, nothing waiting over an hour),
 * and an exit plan written in the configuration (`live.exit_plan`).
 */
export function livePlanItem(p: LivePlan): ReadinessItem {
  const measured: string[] = [];
  const missing: string[] = [];
  if (p.section === undefined) missing.push('a "live" section in the configuration (breaker caps, exit_plan; docs/readiness.md)');

  if (p.paperCapital === null) missing.push('a paper capital to compare with (no paper record of the strategy)');
  else {
    const most = p.paperCapital * R.maxLiveCapitalShare;
    measured.push(`live capital ${formatMoney(p.capital)} = ${pctText(p.capital / p.paperCapital, 1)} of the paper ${formatMoney(p.paperCapital)}`);
    if (p.capital > most + 1e-9) missing.push(`a live capital_allocation of at most ${formatMoney(most)} (${pctText(R.maxLiveCapitalShare, 0)} of the paper capital), not ${formatMoney(p.capital)}`);
  }

  if (p.limits !== null) {
    const { strategy: s, account: a } = p.limits;
    measured.push(`live breakers: drawdown ${limit(s.maxDrawdownPct)}, daily loss ${limit(s.maxDailyLossPct)} (account ${limit(a.maxDrawdownPct)}, ${limit(a.maxDailyLossPct)})`);
    const loose = (x: number | null, cap: number): boolean => x === null || x > cap + 1e-12;
    if ([s, a].some((l) => loose(l.maxDrawdownPct, R.liveMaxDrawdownPct) || loose(l.maxDailyLossPct, R.liveMaxDailyLossPct))) {
      missing.push(`breakers at least as strict as ${pctText(R.liveMaxDrawdownPct, 0)} drawdown and ${pctText(R.liveMaxDailyLossPct, 0)} daily loss (live.max_drawdown_pct, live.max_daily_loss_pct)`);
    }
  }

  if (!p.telegram) {
    measured.push('Telegram not configured');
    missing.push('monitoring: Telegram configured (TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID in .env)');
  } else {
    const d = p.deliveries;
    const last = d?.lastDeliveredAt ?? null;
    const waiting = d === null || d.oldestWaitingSince === null ? null : p.now - d.oldestWaitingSince;
    measured.push(`Telegram: ${last === null ? 'no delivery recorded' : `last delivery ${iso(last)} (${ago(p.now - last)})`}, ${d?.waiting ?? 0} waiting`);
    if (last === null || p.now - last > R.deliveredWithinMs) missing.push(`monitoring that works: a Telegram delivery in the last ${R.deliveredWithinMs / 86_400_000} days (the daemon sends a summary every session)`);
    if (waiting !== null && waiting > R.maxWaitingMs) missing.push(`monitoring that works: messages have waited since ${iso(d!.oldestWaitingSince!)} (Telegram unreachable?)`);
  }

  const plan = p.section?.exit_plan;
  if (plan === undefined) missing.push('an exit plan: live.exit_plan, when and how you stop trading real money');
  else measured.push(`exit plan: “${plan.length > 80 ? `${plan.slice(0, 77)}…` : plan}”`);

  return { item: 5, name: ITEM_NAMES[5], pass: missing.length === 0, measured: measured.join('; '), missing };
}
