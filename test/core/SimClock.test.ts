import { describe, expect, it } from 'vitest';
import { SimClock } from '../../src/core/SimClock.js';

describe('SimClock', () => {
  it('fires due timers in time order, ties in creation order, and repeats intervals', () => {
    const clock = new SimClock(1000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`t30@${clock.now()}`), 30);
    clock.setInterval(() => fired.push(`i20@${clock.now()}`), 20);
    clock.setTimeout(() => fired.push(`t20@${clock.now()}`), 20);
    clock.advanceTo(1065);
    expect(fired).toEqual(['i20@1020', 't20@1020', 't30@1030', 'i20@1040', 'i20@1060']);
    expect(clock.now()).toBe(1065);
  });

  it('never goes back and cancels timers', () => {
    const clock = new SimClock(100);
    const fired: number[] = [];
    const h = clock.setTimeout(() => fired.push(1), 10);
    h.cancel();
    clock.advanceTo(50);
    expect(clock.now()).toBe(100);
    clock.advanceTo(200);
    expect(fired).toEqual([]);
  });
});
