import { describe, expect, it } from 'vitest';
import { SimClock } from '../../src/core/SimClock.js';
import { ErrorAlerts } from '../../src/notify/ErrorAlerts.js';
import type { Alert, Notifier } from '../../src/notify/Notifier.js';

/** Error alerts with a 10-minute window on a simulated clock, and what they sent. */
function setUp(): { sent: Alert[]; clock: SimClock; alerts: ErrorAlerts } {
  const sent: Alert[] = [];
  const notifier: Notifier = { notify: (a) => sent.push(a), notifyPhoto: (a) => sent.push(a), close: async () => {} };
  const clock = new SimClock(0);
  return { sent, clock, alerts: new ErrorAlerts(() => notifier, clock, 600_000) };
}

describe('ErrorAlerts', () => {
  it('alerts the first error at once and its repeats once, counted, when the window ends', () => {
    const { sent, clock, alerts } = setUp();
    for (let i = 0; i < 42; i++) alerts.report('state could not be saved', 'engine');
    alerts.report('Telegram unreachable', 'notifier');
    alerts.report('order could not be sent', 'broker');
    expect(sent.map((a) => a.text)).toEqual(['❌ [engine] state could not be saved', '❌ [broker] order could not be sent']);
    clock.advanceTo(600_000);
    expect(sent.map((a) => a.text).slice(2)).toEqual(['❌ [engine] state could not be saved (repeated 41 more times in 10 min)']);
    // Still repeating: counted in the next window, reported once when it ends.
    alerts.report('state could not be saved', 'engine');
    expect(sent.length).toBe(3);
    clock.advanceTo(1_200_000);
    expect(sent.map((a) => a.text).slice(3)).toEqual(['❌ [engine] state could not be saved (repeated 1 more time in 10 min)']);
    // A window without a repeat closes quietly; the next one is alerted at once.
    clock.advanceTo(1_800_000);
    expect(sent.length).toBe(4);
    alerts.report('state could not be saved', 'engine');
    expect(sent.map((a) => a.text).slice(4)).toEqual(['❌ [engine] state could not be saved']);
  });

  it('flush reports the repeats still counted and forgets them', () => {
    const { sent, clock, alerts } = setUp();
    for (let i = 0; i < 3; i++) alerts.report('order could not be sent', 'broker');
    alerts.flush();
    clock.advanceTo(600_000);
    expect(sent.map((a) => a.text)).toEqual(['❌ [broker] order could not be sent', '❌ [broker] order could not be sent (repeated 2 more times in 10 min)']);
  });
});
