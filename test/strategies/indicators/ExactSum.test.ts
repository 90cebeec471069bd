import { describe, expect, it } from 'vitest';
import { ExactSum } from '../../../src/strategies/indicators/ExactSum.js';

function sumOf(values: number[]): number {
  const s = new ExactSum();
  for (const v of values) s.add(v);
  return s.value();
}

describe('ExactSum', () => {
  it('rounds the exact sum once, where a plain sum drifts', () => {
    expect(0.1 + 0.2 + 0.3).toBe(0.6000000000000001);
    expect(sumOf([0.1, 0.2, 0.3])).toBe(0.6);
    expect(sumOf([1e16, 1, -1e16])).toBe(1);
    expect(sumOf([1e100, 1, -1e100, 1e-100])).toBe(1);
  });

  it('rounds half to even like Python math.fsum', () => {
    // 2**53 + 1 is a tie between 2**53 and 2**53 + 2: even wins. A tiny extra term breaks the tie upward.
    expect(sumOf([2 ** 53, 1])).toBe(2 ** 53);
    expect(sumOf([2 ** 53, 1, 1e-10])).toBe(2 ** 53 + 2);
    expect(sumOf([2 ** 53, 1, -1e-10])).toBe(2 ** 53);
  });

  it('gives the same value for the same window however it was reached', () => {
    const prices = [277.27, 277.25, 277.2201, 277.16, 277.31, 277.19, 277.4];
    const sliding = new ExactSum();
    for (const p of prices) sliding.add(p);
    for (const p of prices.slice(0, 3)) sliding.remove(p);
    expect(sliding.value()).toBe(sumOf(prices.slice(3)));
  });

  it('is zero when empty or cleared', () => {
    const s = new ExactSum();
    expect(s.value()).toBe(0);
    s.add(3.5);
    s.clear();
    expect(s.value()).toBe(0);
  });
});
