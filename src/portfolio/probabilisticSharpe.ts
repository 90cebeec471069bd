import { TRADING_DAYS_PER_YEAR } from './metrics.js';

/** ln √(2π): the normal density's constant. */
const LN_SQRT_2PI = 0.9189385332046727;

/**
 * The standard normal distribution function Φ(x), by Marsaglia's series (J. Stat. Software 11(4),
 * 2004): Φ(x) = ½ + φ(x)·(x + x³/3 + x⁵/(3·5) + …), every term positive, summed until it no longer
 * changes the sum; absolute error about 1e-15. Beyond ±8 it is 0 or 1 to double precision.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < -8) return 0;
  if (x > 8) return 1;
  const q = x * x;
  let sum = x;
  let term = x;
  let previous = Number.NaN;
  for (let i = 3; sum !== previous; i += 2) {
    previous = sum;
    term *= q / i;
    sum += term;
  }
  return 0.5 + sum * Math.exp(-0.5 * q - LN_SQRT_2PI);
}

/**
 * How much a Sharpe ratio measured on `n` daily returns can be trusted (Bailey & López de Prado,
 * "The Sharpe Ratio Efficient Frontier", 2012). With SR the daily Sharpe (mean excess return over
 * the sample standard deviation), γ₃ the skewness and γ₄ the kurtosis of the returns (population
 * moments; 3 for normal returns), the estimate's standard error is
 *   σ(SR) = √((1 − γ₃·SR + (γ₄ − 1)/4·SR²) / (n − 1))
 * and the probabilistic Sharpe ratio against a benchmark SR* is PSR(SR*) = Φ((SR − SR*)/σ(SR)):
 * the probability that the true Sharpe exceeds SR*. Fat tails and negative skew widen the error,
 * as do few days: one lucky month cannot show an edge.
 */
export interface SharpeEvidence {
  /** Daily returns used. */
  readonly n: number;
  /** Annualized (×√252). */
  readonly sharpe: number;
  readonly dailySharpe: number;
  readonly skewness: number;
  /** Kurtosis (not excess): 3 for normal returns. */
  readonly kurtosis: number;
  /** Standard error of the annualized Sharpe. */
  readonly standardError: number;
  /** A 95 % interval of the annualized Sharpe (estimate ± 1.96 standard errors). */
  readonly low95: number;
  readonly high95: number;
}

/** The evidence in `returns` (daily, as fractions) against a daily risk-free rate; null with fewer than 2 returns or none varying. */
export function sharpeEvidence(returns: readonly number[], dailyRiskFree = 0): SharpeEvidence | null {
  const n = returns.length;
  if (n < 2) return null;
  const excess = returns.map((r) => r - dailyRiskFree);
  const mean = excess.reduce((a, x) => a + x, 0) / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const x of excess) {
    const d = x - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  if (m2 === 0) return null;
  const sd = Math.sqrt(m2 / (n - 1));
  const population = m2 / n;
  const skewness = m3 / n / population ** 1.5;
  const kurtosis = m4 / n / population ** 2;
  const sr = mean / sd;
  const annual = Math.sqrt(TRADING_DAYS_PER_YEAR);
  const se = Math.sqrt(Math.max(0, 1 - skewness * sr + ((kurtosis - 1) / 4) * sr * sr) / (n - 1));
  return { n, sharpe: sr * annual, dailySharpe: sr, skewness, kurtosis, standardError: se * annual, low95: (sr - 1.96 * se) * annual, high95: (sr + 1.96 * se) * annual };
}

/** PSR: the probability that the true annualized Sharpe exceeds `benchmark` (annualized), given the evidence. */
export function probabilisticSharpe(e: SharpeEvidence, benchmark: number): number {
  const annual = Math.sqrt(TRADING_DAYS_PER_YEAR);
  const se = e.standardError / annual;
  if (se === 0) return e.dailySharpe > benchmark / annual ? 1 : 0;
  return normalCdf((e.dailySharpe - benchmark / annual) / se);
}
