import { normalCdf } from '../portfolio/probabilisticSharpe.js';
import { normalQuantile } from './normalQuantile.js';

/** The Euler–Mascheroni constant. */
const EULER_GAMMA = 0.5772156649015329;

/**
 * The Sharpe ratio the best of `trials` independent strategies with no skill would show, given the
 * variance of the trials' Sharpe ratios (Bailey & López de Prado 2014, eq. 10 — the expected
 * maximum of `trials` normal draws): √V · ((1 − γ) Φ⁻¹(1 − 1/N) + γ Φ⁻¹(1 − 1/(N e))). One trial
 * selects nothing: 0.
 */
export function expectedMaxSharpe(trials: number, variance: number): number {
  if (trials <= 1 || variance <= 0) return 0;
  return Math.sqrt(variance) * ((1 - EULER_GAMMA) * normalQuantile(1 - 1 / trials) + EULER_GAMMA * normalQuantile(1 - 1 / (trials * Math.E)));
}

export interface DeflatedSharpeInput {
  /** The selected strategy's Sharpe ratio, per period (not annualized). */
  readonly sharpe: number;
  /** Returns it was measured on. */
  readonly periods: number;
  /** Skewness of those returns (0 for normal ones). */
  readonly skewness: number;
  /** Kurtosis of those returns (3 for normal ones, not the excess). */
  readonly kurtosis: number;
  /** Combinations tried. */
  readonly trials: number;
  /** Variance of the trials' per-period Sharpe ratios. */
  readonly variance: number;
}

/**
 * The deflated Sharpe ratio (Bailey & López de Prado 2014): the probability that the true Sharpe
 * ratio beats the best that luck alone gives after `trials` tries, corrected for the length of the
 * record and for non-normal returns:
 * Φ( (SR − SR₀) √(T − 1) / √(1 − γ₃ SR + (γ₄ − 1)/4 · SR²) ), SR₀ = expectedMaxSharpe(N, V).
 * Null when it is not defined (fewer than two returns, or a non-positive variance of the estimate).
 */
export function deflatedSharpe(i: DeflatedSharpeInput): { readonly benchmark: number; readonly probability: number | null } {
  const benchmark = expectedMaxSharpe(i.trials, i.variance);
  const spread = 1 - i.skewness * i.sharpe + ((i.kurtosis - 1) / 4) * i.sharpe * i.sharpe;
  if (i.periods < 2 || !(spread > 0)) return { benchmark, probability: null };
  return { benchmark, probability: normalCdf(((i.sharpe - benchmark) * Math.sqrt(i.periods - 1)) / Math.sqrt(spread)) };
}
