/** The shape of a series of returns, as the deflated Sharpe ratio needs it. */
export interface ReturnMoments {
  readonly count: number;
  readonly mean: number;
  /** Skewness E[(r − μ)³]/σ³ (population moments; 0 for a normal distribution). */
  readonly skewness: number;
  /** Kurtosis E[(r − μ)⁴]/σ⁴ (not excess: 3 for a normal distribution). */
  readonly kurtosis: number;
}

/** Mean, skewness and kurtosis of returns; a series without variation has skewness 0 and kurtosis 3 (the normal's). */
export function returnMoments(r: readonly number[]): ReturnMoments {
  const n = r.length;
  if (n === 0) return { count: 0, mean: 0, skewness: 0, kurtosis: 3 };
  let sum = 0;
  for (const x of r) sum += x;
  const mean = sum / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const x of r) {
    const d = x - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  if (m2 === 0) return { count: n, mean, skewness: 0, kurtosis: 3 };
  return { count: n, mean, skewness: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) };
}
