import { describe, expect, it } from 'vitest';
import { WilderRSI } from '../../../src/strategies/indicators/WilderRSI.js';

describe('WilderRSI', () => {
  it('seeds with the mean of the first moves, then smooths by 1/period', () => {
    const rsi = new WilderRSI(2);
    expect(rsi.add(10)).toBeNull();
    expect(rsi.add(12)).toBeNull(); // up 2
    // moves: +2, -1 → avgUp 1, avgDown 0.5, RS 2, RSI 100 − 100/3
    expect(rsi.add(11)).toBe(100 - 100 / 3);
    // move +3: avgUp = 1·0.5 + 3·0.5 = 2, avgDown = 0.5·0.5 + 0 = 0.25, RS 8
    expect(rsi.add(14)).toBe(100 - 100 / 9);
  });

  it('is 100 without down moves and 50 without any move', () => {
    const up = new WilderRSI(2);
    [1, 2, 3].forEach((c) => up.add(c));
    expect(up.getResult()).toBe(100);
    const flat = new WilderRSI(2);
    [5, 5, 5].forEach((c) => flat.add(c));
    expect(flat.getResult()).toBe(50);
  });

  it('replace revises the last close, during the seed and after it', () => {
    const a = new WilderRSI(2);
    [10, 12, 99].forEach((c) => a.add(c));
    expect(a.replace(11)).toBe(100 - 100 / 3);
    expect(a.add(14)).toBe(100 - 100 / 9);
    const b = new WilderRSI(2);
    [10, 12].forEach((c) => b.add(c));
    b.add(50);
    b.replace(11);
    expect(b.getResult()).toBe(100 - 100 / 3);
  });
});
