import { describe, expect, it } from 'vitest';
import { Ema } from '../../../src/strategies/indicators/Ema.js';

describe('Ema', () => {
  it('is seeded with the simple average of the first period values, then smooths by 2 / (period + 1)', () => {
    const ema = new Ema(3);
    expect(ema.add(1)).toBeNull();
    expect(ema.add(2)).toBeNull();
    expect(ema.value).toBeNull();
    expect(ema.add(6)).toBe(3);
    // 3 + 0.5 × (7 − 3)
    expect(ema.add(7)).toBe(5);
    expect(ema.value).toBe(5);
  });

  it('push gives the same averages as numbers, NaN until seeded (what hot loops read: nothing boxed)', () => {
    const a = new Ema(4);
    const b = new Ema(4);
    const closes = [10.01, 10.17, 9.93, 10.42, 10.39, 10.05, 9.87, 10.66, 10.71, 10.2];
    const pushed = closes.map((c) => b.push(c));
    const added = closes.map((c) => a.add(c));
    expect(pushed.slice(0, 3)).toEqual([Number.NaN, Number.NaN, Number.NaN]);
    expect(pushed.slice(3)).toEqual(added.slice(3));
    expect(added.slice(0, 3)).toEqual([null, null, null]);
    expect(b.value).toBe(a.value);
  });
});
