import { describe, expect, it } from 'vitest';
import { ExactSMA } from '../../../src/strategies/indicators/ExactSMA.js';

describe('ExactSMA', () => {
  it('averages the last interval values once enough have arrived', () => {
    const sma = new ExactSMA(3);
    expect(sma.add(1)).toBeNull();
    expect(sma.add(2)).toBeNull();
    expect(sma.add(3)).toBe(2);
    expect(sma.add(10)).toBe(5);
    expect(sma.getResult()).toBe(5);
    expect(sma.isStable).toBe(true);
  });

  it('uses the exact window sum (0.1 + 0.2 + 0.3 = 0.6, not 0.6000000000000001)', () => {
    const sma = new ExactSMA(3);
    sma.add(0.1);
    sma.add(0.2);
    expect(sma.add(0.3)).toBe(0.6 / 3);
  });

  it('replaces the last value (a revised bar)', () => {
    const sma = new ExactSMA(2);
    sma.add(4);
    sma.add(6);
    expect(sma.replace(8)).toBe(6);
    expect(sma.add(10)).toBe(9);
  });

  it('refuses an interval that is not a positive integer', () => {
    expect(() => new ExactSMA(0)).toThrow(RangeError);
    expect(() => new ExactSMA(2.5)).toThrow(RangeError);
  });
});
