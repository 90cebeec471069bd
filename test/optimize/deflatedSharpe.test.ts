import { describe, expect, it } from 'vitest';
import { deflatedSharpe, expectedMaxSharpe } from '../../src/optimize/deflatedSharpe.js';
import { normalQuantile } from '../../src/optimize/normalQuantile.js';

describe('normalQuantile: Φ⁻¹', () => {
  it('gives the tabulated values to 1e-12 (1e-10 in the far tail)', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13);
    expect(normalQuantile(0.99)).toBeCloseTo(2.3263478740408408, 13);
    // Deep in the tail Φ's absolute error (1e-15) is a larger share of p: 1e-10 there.
    expect(normalQuantile(1e-6)).toBeCloseTo(-4.753424308822899, 10);
    expect(() => normalQuantile(1)).toThrow('normalQuantile: p must be in (0, 1), got 1');
  });
});

describe('the deflated Sharpe ratio (Bailey & López de Prado 2014)', () => {
  it("works the paper's example: 100 trials, annual SR 2.5 over 1,250 days, skew −3, kurtosis 10, V[SR] 0.5 a year", () => {
    // Daily figures (the paper's 250 days a year): SR = 2.5/√250 = 0.158114, V = 0.5/250 = 0.002.
    // SR₀ = √0.002 · ((1 − γ) Φ⁻¹(0.99) + γ Φ⁻¹(1 − 1/(100e)))
    //     = 0.0447214 · (0.4227843 · 2.3263479 + 0.5772157 · 2.6802104) = 0.0447214 · 2.5306161 = 0.1131720
    expect(expectedMaxSharpe(100, 0.5 / 250)).toBeCloseTo(0.11317200186513214, 13);
    // z = (0.158114 − 0.113172) · √1249 / √(1 + 3 · 0.158114 + (10 − 1)/4 · 0.158114²)
    //   = 0.0449419 · 35.341194 / √1.530592 = 1.2838160;  DSR = Φ(1.2838160) = 0.9004 (the paper's figure)
    const d = deflatedSharpe({ sharpe: 2.5 / Math.sqrt(250), periods: 1250, skewness: -3, kurtosis: 10, trials: 100, variance: 0.5 / 250 });
    expect(d.benchmark).toBeCloseTo(0.11317200186513214, 13);
    expect(d.probability).toBeCloseTo(0.9003968344493903, 13);
  });

  it('is the probabilistic Sharpe ratio against 0 for one trial: SR 0.1 over 101 normal returns → Φ(1/√1.005)', () => {
    // z = 0.1 · √100 / √(1 − 0 + (3 − 1)/4 · 0.01) = 1/√1.005 = 0.9975093; Φ(z) = 0.8407413
    expect(expectedMaxSharpe(1, 0.3)).toBe(0);
    const d = deflatedSharpe({ sharpe: 0.1, periods: 101, skewness: 0, kurtosis: 3, trials: 1, variance: 0 });
    expect(d.benchmark).toBe(0);
    expect(d.probability).toBeCloseTo(0.8407413278013518, 13);
  });

  it('is undefined for fewer than two returns', () => {
    expect(deflatedSharpe({ sharpe: 0.1, periods: 1, skewness: 0, kurtosis: 3, trials: 5, variance: 0.01 }).probability).toBeNull();
  });

  it('falls as the trials grow, the rest unchanged', () => {
    const p = (trials: number): number => deflatedSharpe({ sharpe: 0.1, periods: 500, skewness: 0, kurtosis: 3, trials, variance: 0.001 }).probability!;
    expect(p(10)).toBeGreaterThan(p(100));
    expect(p(100)).toBeGreaterThan(p(1000));
  });
});
