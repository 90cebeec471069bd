import type { Metrics } from './metrics.js';

/**
 * When a figure is shown as a number, everywhere (backtest summary and HTML report, `npm run status`,
 * the daily summary, the readiness report): docs/metrics.md.
 * - Ratios of daily returns (CAGR, volatility, Sharpe, Sortino) annualize a mean or a spread: from
 *   fewer than 20 trading days they are `n/a (5 of 20 trading days)`; 20 days is four weeks, the
 *   least over which a daily spread means anything.
 * - Ratios of closed trades (win rate, profit factor) count wins and losses: from fewer than 10
 *   round trips they are `n/a (4 of 10 closed trades)`.
 * - A strategy in the market less than half of the time has Sharpe and Sortino computed mostly on
 *   idle days (returns of zero): they are shown with a flag (`*`, `in the market 4 % of the time`).
 *   Losing on day 1 and then sitting paused gives any five-day run the same Sharpe (−7.10): the
 *   day rule hides it, the flag says why it is meaningless even over more days.
 * A ratio that would divide by zero stays n/a with that reason (no variation, no losing day …).
 */
export const SAMPLE_RULES = {
  minTradingDays: 20,
  minTrades: 10,
  /** Below this share of the time in the market (`Metrics.exposure`), Sharpe and Sortino are flagged. */
  flatExposure: 0.5,
} as const;

export type DailyRatio = 'cagr' | 'annualizedVolatility' | 'sharpe' | 'sortino';
export type TradeRatio = 'winRate' | 'profitFactor';
export type Ratio = DailyRatio | TradeRatio;

/** A ratio as it may be shown: its value, or null with the reason it is not given; flagged when computed on mostly idle days. */
export interface HonestRatio {
  readonly value: number | null;
  /** Why there is no value (too small a sample, a zero divisor); null when there is one. */
  readonly na: string | null;
  /** Sharpe and Sortino of a strategy mostly out of the market. */
  readonly flat: boolean;
}

const DAILY: readonly Ratio[] = ['cagr', 'annualizedVolatility', 'sharpe', 'sortino'];

/** Why the days are too few for daily ratios, or null when there are enough. */
export function tooFewDays(m: Pick<Metrics, 'tradingDays'>): string | null {
  return m.tradingDays < SAMPLE_RULES.minTradingDays ? `${m.tradingDays} of ${SAMPLE_RULES.minTradingDays} trading days` : null;
}

/** Why the trades are too few for trade ratios, or null when there are enough. */
export function tooFewTrades(m: Pick<Metrics, 'trades'>): string | null {
  return m.trades < SAMPLE_RULES.minTrades ? `${m.trades} of ${SAMPLE_RULES.minTrades} closed trades` : null;
}

/** Whether Sharpe and Sortino are flagged: the strategy was in the market less than half of the time. */
export function mostlyFlat(m: Pick<Metrics, 'exposure' | 'tradingDays'>): boolean {
  return m.tradingDays > 0 && m.exposure < SAMPLE_RULES.flatExposure;
}

/** The flag's words: `in the market 3.9 % of the time`. */
export function flatNote(m: Pick<Metrics, 'exposure'>): string {
  return `in the market ${(m.exposure * 100).toFixed(1)} % of the time`;
}

/** Why a ratio that the sample allows still has no value (its divisor is zero). */
function zeroDivisor(name: Ratio, m: Metrics): string {
  switch (name) {
    case 'cagr':
      return 'no final equity';
    case 'annualizedVolatility':
    case 'sharpe':
      return 'no variation';
    case 'sortino':
      return 'no losing day';
    case 'winRate':
      return 'no trades';
    case 'profitFactor':
      return m.trades === 0 ? 'no trades' : 'no losing trade';
  }
}

export function honestRatio(m: Metrics, name: Ratio): HonestRatio {
  const small = DAILY.includes(name) ? tooFewDays(m) : tooFewTrades(m);
  const flat = (name === 'sharpe' || name === 'sortino') && mostlyFlat(m);
  if (small !== null) return { value: null, na: small, flat: false };
  const value = m[name];
  return value === null ? { value: null, na: zeroDivisor(name, m), flat: false } : { value, na: null, flat };
}

/** `n/a (5 of 20 trading days)`, `1.23`, or `1.23 (in the market 3.9 % of the time)`: the inline form (status, daily summary). */
export function formatHonestRatio(r: HonestRatio, format: (x: number) => string, m: Pick<Metrics, 'exposure'>): string {
  if (r.value === null) return `n/a (${r.na})`;
  return r.flat ? `${format(r.value)} (${flatNote(m)})` : format(r.value);
}

const RATIOS: readonly Ratio[] = ['cagr', 'annualizedVolatility', 'sharpe', 'sortino', 'winRate', 'profitFactor'];

/** Every ratio as it may be shown (what a report's JSON carries beside the raw metrics). */
export function honestRatios(m: Metrics): Readonly<Record<Ratio, HonestRatio>> {
  return Object.fromEntries(RATIOS.map((r) => [r, honestRatio(m, r)])) as Record<Ratio, HonestRatio>;
}

/**
 * Under a table of metrics: why cells say n/a (one line per row concerned) and which Sharpe and
 * Sortino are flagged. Empty when every ratio is shown plainly.
 */
export function sampleNotes(rows: ReadonlyArray<readonly [string, Metrics]>): string[] {
  const na = rows
    .map(([id, m]) => [id, [...new Set(RATIOS.map((n) => honestRatio(m, n).na).filter((x): x is string => x !== null))]] as const)
    .filter(([, reasons]) => reasons.length > 0);
  const flat = rows.filter(([, m]) => honestRatio(m, 'sharpe').flat);
  const out: string[] = [];
  if (na.length > 0) {
    out.push(`n/a: CAGR, vol, Sharpe and Sortino need ${SAMPLE_RULES.minTradingDays} trading days, win rate and PF ${SAMPLE_RULES.minTrades} closed trades (docs/metrics.md):`);
    for (const [id, reasons] of na) out.push(`  ${id}: ${reasons.join(', ')}`);
  }
  if (flat.length > 0) out.push(`*: Sharpe and Sortino on mostly idle days: ${flat.map(([id, m]) => `${id} ${flatNote(m)}`).join('; ')}`);
  return out;
}
