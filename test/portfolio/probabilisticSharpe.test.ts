import { describe, expect, it } from 'vitest';
import { normalCdf, probabilisticSharpe, sharpeEvidence } from '../../src/portfolio/probabilisticSharpe.js';

describe('normalCdf', () => {
  it('matches the standard normal distribution to 1e-15 (absolute)', () => {
    // Reference values: ½·erfc(−x/√2) in double precision (Python's math.erfc).
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 15);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 15);
    expect(normalCdf(-1.5)).toBeCloseTo(0.06680720126885809, 15);
    expect(normalCdf(3)).toBeCloseTo(0.9986501019683699, 15);
    // Far in the tail the error is absolute, not relative: within 1e-15 of 3.19e-14.
    expect(Math.abs(normalCdf(-7.5) - 3.19089167291092e-14)).toBeLessThan(1e-15);
    expect(normalCdf(9)).toBe(1);
    expect(normalCdf(-9)).toBe(0);
  });
});

describe('the probabilistic Sharpe ratio', () => {
  it('agrees with a hand-worked example', () => {
    // Daily returns 2 %, 0 %, 1 %, 3 %, −1 %. Mean 0.01; deviations 0.01, −0.01, 0, 0.02, −0.02.
    // Sum of squares 0.001: sample variance 0.001/4 = 0.00025, σ = 0.0158114; population variance 0.0002.
    // Daily Sharpe SR = 0.01/0.0158114 = √0.4 = 0.6324555.
    // Skewness: Σd³ = (1 − 1 + 0 + 8 − 8)·1e-6 = 0.
    // Kurtosis: Σd⁴/n = (1 + 1 + 0 + 16 + 16)·1e-8/5 = 6.8e-8, over 0.0002² = 4e-8: 1.7.
    // Variance of SR: (1 − 0·SR + (1.7 − 1)/4·0.4)/(n − 1) = 1.07/4 = 0.2675, σ(SR) = 0.5172040.
    // PSR(0) = Φ(0.6324555/0.5172040) = Φ(1.2228357) = 0.8893041.
    // Against an annual Sharpe of 2 (2/√252 = 0.1259882 a day): Φ((0.6324555 − 0.1259882)/0.5172040) = Φ(0.9792410) = 0.8362695.
    const e = sharpeEvidence([0.02, 0, 0.01, 0.03, -0.01])!;
    expect(e.n).toBe(5);
    expect(e.dailySharpe).toBeCloseTo(Math.sqrt(0.4), 14);
    expect(e.sharpe).toBeCloseTo(Math.sqrt(0.4) * Math.sqrt(252), 12);
    expect(e.sharpe).toBeCloseTo(10.039920318408907, 12);
    expect(e.skewness).toBeCloseTo(0, 12);
    expect(e.kurtosis).toBeCloseTo(1.7, 12);
    expect(e.standardError).toBeCloseTo(Math.sqrt(1.07 / 4) * Math.sqrt(252), 12);
    expect(e.standardError).toBeCloseTo(8.210359310042406, 11);
    expect(e.low95).toBeCloseTo(10.039920318408907 - 1.96 * 8.210359310042406, 10);
    expect(e.high95).toBeCloseTo(10.039920318408907 + 1.96 * 8.210359310042406, 10);
    // The expected probabilities: Python's ½·erfc(−z/√2) at z = 1.222835681031486 and 0.9792409826175297.
    expect(probabilisticSharpe(e, 0)).toBeCloseTo(0.8893041171218268, 12);
    expect(probabilisticSharpe(e, 2)).toBeCloseTo(0.8362695383070301, 12);
  });

  it('widens with negative skew and fat tails: the same mean and σ with one loss among small gains is less convincing', () => {
    // A: 1 %, −0.2 % five times each. B: 0.6 % nine times, then −1.4 %. Both: mean 0.004, sample σ √0.00004.
    // B's deviations 0.002 (nine) and −0.018: skewness −72δ³/10 / (9δ²)^1.5 = −8/3, kurtosis 6570δ⁴/10 / 81δ⁴ = 657/81.
    const a = sharpeEvidence([0.01, -0.002, 0.01, -0.002, 0.01, -0.002, 0.01, -0.002, 0.01, -0.002])!;
    const b = sharpeEvidence([0.006, 0.006, 0.006, 0.006, 0.006, 0.006, 0.006, 0.006, 0.006, -0.014])!;
    expect(b.dailySharpe).toBeCloseTo(a.dailySharpe, 12);
    expect(a.skewness).toBeCloseTo(0, 12);
    expect(a.kurtosis).toBeCloseTo(1, 12);
    expect(b.skewness).toBeCloseTo(-8 / 3, 12);
    expect(b.kurtosis).toBeCloseTo(657 / 81, 12);
    expect(b.standardError).toBeGreaterThan(a.standardError);
    expect(probabilisticSharpe(b, 0)).toBeLessThan(probabilisticSharpe(a, 0));
  });

  it('has nothing to say about fewer than 2 returns or returns that never vary', () => {
    expect(sharpeEvidence([0.01])).toBeNull();
    expect(sharpeEvidence([0.01, 0.01, 0.01])).toBeNull();
  });
});
