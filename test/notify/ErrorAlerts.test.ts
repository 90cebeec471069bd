import { describe, expect, it } from 'vitest';
import { SimClock } from '../../src/core/SimClock.js';
import { ErrorAlerts } from '../../src/notify/ErrorAlerts.js';
import type { Alert, Notifier } from '../../src/notify/Notifier.js';

describe('ErrorAlerts', () => {
  it('alerts the first error at once and its repeats once, counted, when the window ends', () => {
    const sent: Alert[] = [];
    const notifier: Notifier = { notify: (a) => sent.push(a), notifyPhoto: (a) => sent.push(a), close: async () => {} };
    const clock = new SimClock(0);
    const alerts = new ErrorAlerts(() => notifier, clock, 600_000);
    for (let i = 0; i < 42; i++) alerts.report('state could not be saved', 'engine');
    alerts.report('Telegram unreachable', 'notifier');
    alerts.report('order could not be sent', 'broker');
    expect(sent.map((a) => a.text)).toEqual(['❌ [engine] state could not be saved', '❌ [broker] order could not be sent']);
    clock.advanceTo(600_000);
    expect(sent.map((a) => a.text).slice(2)).toEqual(['❌ [engine] state could not be saved (repeated 41 more times in 10 min)']);
    alerts.report('state could not be saved', 'engine');
    expect(sent.length).toBe(4);
  });
});
