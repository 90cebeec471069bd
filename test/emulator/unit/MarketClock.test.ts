import { describe, expect, it } from 'vitest';
import { MarketClock } from '../../../src/emulator/MarketClock.js';

describe('MarketClock', () => {
  it('runs N times faster than the wall, pauses, steps, jumps forward only', () => {
    let wall = 1_000;
    const c = new MarketClock({ now: () => wall }, 50_000, 60);
    wall += 1_000;
    expect(c.now()).toBe(110_000);
    c.pause();
    wall += 5_000;
    expect(c.now()).toBe(110_000);
    c.advance(30_000);
    expect(c.now()).toBe(140_000);
    c.setSpeed(2);
    c.resume();
    wall += 1_000;
    expect(c.now()).toBe(142_000);
    c.jumpTo(100_000);
    expect(c.now()).toBe(142_000);
    c.jumpTo(200_000);
    expect(c.now()).toBe(200_000);
    expect(() => c.setSpeed(0)).toThrow(RangeError);
    expect(() => c.advance(-1)).toThrow(RangeError);
  });
});
