import { describe, expect, it } from 'vitest';
import { SimClock } from '../../src/core/SimClock.js';
import { RepeatThrottle, repeatsText } from '../../src/logging/RepeatThrottle.js';

const FIVE_MIN = 300_000;

/** A log of what a caller would write: the first occurrences as they come, the counts as reported. */
function harness(clock: SimClock) {
  const said: string[] = [];
  const throttle = new RepeatThrottle(clock, FIVE_MIN);
  const warn = (key: string, text: string): void => {
    if (throttle.admit(key, (n, w) => said.push(`${clock.now()} ${text} (${repeatsText(n, w)})`))) said.push(`${clock.now()} ${text}`);
  };
  return { said, throttle, warn };
}

describe('RepeatThrottle', () => {
  it('says the first occurrence at once and the repeats of its window once, counted, when the window ends', () => {
    const clock = new SimClock(1_000);
    const { said, warn } = harness(clock);
    warn('poll', 'Telegram polling failed; retrying');
    for (let t = 2_000; t <= 38_000; t += 1_000) {
      clock.advanceTo(t);
      warn('poll', 'Telegram polling failed; retrying');
    }
    expect(said).toEqual(['1000 Telegram polling failed; retrying']);
    clock.advanceTo(1_000 + FIVE_MIN);
    expect(said).toEqual(['1000 Telegram polling failed; retrying', '301000 Telegram polling failed; retrying (×37 in the last 5 min)']);
  });

  it('an outage that goes on says one count a window; a quiet window closes and the next occurrence is said at once', () => {
    const clock = new SimClock(0);
    const { said, warn } = harness(clock);
    warn('poll', 'down');
    clock.advanceTo(100_000);
    warn('poll', 'down');
    clock.advanceTo(FIVE_MIN);
    // Still down in the second window: counted, not said as new.
    clock.advanceTo(FIVE_MIN + 10_000);
    warn('poll', 'down');
    warn('poll', 'down');
    clock.advanceTo(2 * FIVE_MIN);
    // The third window has no repeat: closed without a line.
    clock.advanceTo(3 * FIVE_MIN);
    warn('poll', 'down');
    expect(said).toEqual(['0 down', '300000 down (×1 in the last 5 min)', '600000 down (×2 in the last 5 min)', '900000 down']);
  });

  it('keeps kinds apart, reports with the newest text given, and forgets a kind whose trouble is over', () => {
    const clock = new SimClock(0);
    const said: string[] = [];
    const throttle = new RepeatThrottle(clock, 60_000);
    const warn = (key: string, text: string): void => {
      if (throttle.admit(key, (n, w) => said.push(`${text} (${repeatsText(n, w)})`))) said.push(text);
    };
    warn('a', 'a failed (timeout)');
    warn('b', 'b failed');
    warn('a', 'a failed (ECONNRESET)');
    warn('b', 'b failed');
    throttle.forget('b');
    warn('b', 'b failed again');
    clock.advanceTo(60_000);
    expect(said).toEqual(['a failed (timeout)', 'b failed', 'b failed again', 'a failed (ECONNRESET) (×1 in the last 1 min)']);
  });

  it('flush says every held-back count now and leaves no timer behind', () => {
    const clock = new SimClock(0);
    const { said, throttle, warn } = harness(clock);
    warn('x', 'x');
    warn('x', 'x');
    warn('x', 'x');
    warn('y', 'y');
    throttle.flush();
    expect(said).toEqual(['0 x', '0 y', '0 x (×2 in the last 5 min)']);
    clock.advanceTo(10 * FIVE_MIN);
    expect(said).toHaveLength(3);
    warn('x', 'x');
    expect(said.at(-1)).toBe('3000000 x');
  });

  it('names the window in minutes, or seconds below one; refuses a window that is not positive', () => {
    expect(repeatsText(37, 300_000)).toBe('×37 in the last 5 min');
    expect(repeatsText(2, 30_000)).toBe('×2 in the last 30 s');
    expect(() => new RepeatThrottle(new SimClock(0), 0)).toThrow('windowMs must be positive, got 0');
  });
});
