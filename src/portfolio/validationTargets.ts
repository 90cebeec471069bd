import type { Metrics } from './metrics.js';
import { flatNote, honestRatio, tooFewDays, tooFewTrades } from './sampleRules.js';

/**
 * The seed's bar for a strategy worth real money, judged on its paper-trading (or backtest)
 * metrics: Sharpe above 1.5, more winning than losing trades, a worst drawdown under 15 %, and
 * fewer than 20 trades a day. `met` is null when the sample is too small to tell (sampleRules).
 */
export const VALIDATION_TARGETS = [
  { name: 'Sharpe > 1.5', met: (m: Metrics): boolean | null => measured(honestRatio(m, 'sharpe').value, tooFewDays(m), (x) => x > 1.5) },
  { name: 'win rate > 50%', met: (m: Metrics): boolean | null => measured(honestRatio(m, 'winRate').value, tooFewTrades(m), (x) => x > 0.5) },
  { name: 'max drawdown < 15%', met: (m: Metrics): boolean | null => m.maxDrawdown.depth < 0.15 },
  { name: 'trades/day < 20', met: (m: Metrics): boolean | null => m.tradesPerDay < 20 },
] as const;

/** A target on a ratio: unknown from too small a sample, missed when the ratio has no value (no variation, no trades). */
function measured(value: number | null, tooSmall: string | null, ok: (x: number) => boolean): boolean | null {
  if (tooSmall !== null) return null;
  return value !== null && ok(value);
}

/** The names of the targets `m` misses (a ratio the sample cannot give is not a miss: see `judgeTargets`). */
export function missedTargets(m: Metrics): string[] {
  return VALIDATION_TARGETS.filter((t) => t.met(m) === false).map((t) => t.name);
}

/** A circuit-breaker trip during the period judged. */
export interface TargetTrip {
  readonly rule: string;
}

export interface TargetsVerdict {
  /** `meets` only with enough days and trades, every target met and no breaker trip. */
  readonly verdict: 'meets' | 'misses' | 'not judged';
  readonly missed: readonly string[];
  /** Why the sample is too small to judge (empty when it is not). */
  readonly tooSmall: readonly string[];
  readonly trips: number;
  /** The verdict in one line: `meets all four (…)`, `misses …`, `not judged: …`. */
  readonly text: string;
}

/**
 * The seed targets as a verdict a trader can trust: judged only on at least 20 trading days and 10
 * closed trades (SAMPLE_RULES; below that, `not judged` says how many there are), and a strategy whose circuit
 * breaker tripped in the period misses, whatever its ratios (a pause hides the losses it stopped).
 * A Sharpe computed on mostly idle days is said so.
 */
export function judgeTargets(m: Metrics, trips: readonly TargetTrip[]): TargetsVerdict {
  const tooSmall = [tooFewDays(m), tooFewTrades(m)].filter((x): x is string => x !== null);
  const missed = missedTargets(m);
  const notes: string[] = [];
  if (missed.length > 0) notes.push(`misses ${missed.join(', ')}`);
  if (trips.length > 0) {
    const rules = [...new Set(trips.map((t) => t.rule))].join(', ');
    notes.push(`circuit breaker tripped ${trips.length === 1 ? 'once' : `${trips.length} times`} (${rules})`);
  }
  const sharpe = honestRatio(m, 'sharpe');
  if (sharpe.flat) notes.push(`Sharpe on mostly idle days (${flatNote(m)})`);
  if (tooSmall.length > 0) {
    return { verdict: 'not judged', missed, tooSmall, trips: trips.length, text: [`not judged (too small a sample): ${tooSmall.join(', ')}`, ...notes].join('; ') };
  }
  if (missed.length > 0 || trips.length > 0) return { verdict: 'misses', missed, tooSmall, trips: trips.length, text: notes.join('; ') };
  const head = `meets all four (${m.tradingDays} trading days, ${m.trades} trades, no breaker trip)`;
  return { verdict: 'meets', missed, tooSmall, trips: 0, text: [head, ...notes].join('; ') };
}
