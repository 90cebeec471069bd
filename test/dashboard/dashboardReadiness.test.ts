import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../src/core/SimClock.js';
import { DashboardReadiness, READINESS_AFTER_CLOSE_MS } from '../../src/dashboard/DashboardReadiness.js';
import { DRIFT_NOT_RUN, type ReadinessReport, type StrategyReadiness } from '../../src/readiness/buildReadinessReport.js';
import { ITEM_NAMES, type ReadinessItem } from '../../src/readiness/ReadinessItem.js';

const item = (n: 1 | 2 | 3 | 4 | 5 | 6, pass: boolean): ReadinessItem => ({ item: n, name: ITEM_NAMES[n], pass, measured: '', missing: pass ? [] : ['x'] });

function strategy(id: string, passing: ReadonlyArray<1 | 2 | 3 | 4 | 5 | 6>, measured: boolean): StrategyReadiness {
  const items = ([1, 2, 3, 4, 5, 6] as const).map((n) => item(n, passing.includes(n)));
  return { id, ready: items.every((i) => i.pass), items, figures: null, drift: measured ? null : { measured: false, reason: DRIFT_NOT_RUN } };
}

const report = (strategies: StrategyReadiness[]): ReadinessReport => ({ recordDir: '/state', found: true, mode: 'sim', savedAt: null, marketTime: null, warnings: [], strategies, ready: strategies.every((s) => s.ready) });

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('DashboardReadiness', () => {
  it('judges soon after the start and after each session close, not in between; a failure is shown as unavailable with its reason', async () => {
    const clock = new SimClock(1_000_000);
    const answers: Array<() => ReadinessReport> = [
      () => report([strategy('alpha', [1, 2, 3, 4, 5, 6], true), strategy('beta', [3, 4, 5], false)]),
      () => {
        throw new Error('state.json: unexpected end of JSON input');
      },
      () => report([strategy('alpha', [1, 2, 3, 4, 5], false)]),
    ];
    let changes = 0;
    const r = new DashboardReadiness({ judge: async () => answers.shift()!(), clock, logger: pino({ level: 'silent' }), onChange: () => changes++ });
    expect(r.view()).toEqual({ state: 'pending' });
    r.start();
    // Not inside start's own turn: on the clock's next tick.
    expect(r.view()).toEqual({ state: 'pending' });
    clock.advanceTo(1_000_000);
    await flush();
    expect(r.view()).toEqual({
      state: 'judged',
      at: 1_000_000,
      found: true,
      recordDir: '/state',
      strategies: [
        { id: 'alpha', ready: true, failing: [], unchecked: null },
        { id: 'beta', ready: false, failing: ['1. 3 months of profitable paper trading', '2. Sharpe > 2.0, an edge not luck'], unchecked: '6. paper fills vs backtest (npm run readiness)' },
      ],
    });
    expect(changes).toBe(1);
    // A whole day without a close: nothing judged again.
    clock.advanceTo(1_000_000 + 86_400_000);
    await flush();
    expect(changes).toBe(1);
    // A close: judged once its save has had time to land, not before.
    const closed = clock.now();
    r.sessionClosed();
    clock.advanceTo(closed + READINESS_AFTER_CLOSE_MS - 1);
    await flush();
    expect(changes).toBe(1);
    clock.advanceTo(closed + READINESS_AFTER_CLOSE_MS);
    await flush();
    expect(r.view()).toEqual({ state: 'unavailable', reason: 'state.json: unexpected end of JSON input', at: closed + READINESS_AFTER_CLOSE_MS });
    // Two closes in quick succession (a restart after days away): one judgement.
    r.sessionClosed();
    r.sessionClosed();
    clock.advanceTo(closed + 3 * READINESS_AFTER_CLOSE_MS);
    await flush();
    // Items 1–5 pass, item 6 left to npm run readiness: not ready yet, nothing failing here.
    expect(r.view()).toMatchObject({ state: 'judged', strategies: [{ id: 'alpha', ready: false, failing: [], unchecked: '6. paper fills vs backtest (npm run readiness)' }] });
    expect(changes).toBe(3);
    r.stop();
    r.sessionClosed();
    clock.advanceTo(closed + 10 * READINESS_AFTER_CLOSE_MS);
    await flush();
    expect(changes).toBe(3);
  });

  it('runs one judgement at a time', async () => {
    const clock = new SimClock(0);
    let release: () => void = () => {};
    let calls = 0;
    const r = new DashboardReadiness({
      judge: () => {
        calls++;
        return new Promise<ReadinessReport>((resolve) => (release = () => resolve(report([]))));
      },
      clock,
      logger: pino({ level: 'silent' }),
      onChange: () => {},
    });
    const first = r.refresh();
    await r.refresh();
    expect(calls).toBe(1);
    release();
    await first;
    expect(r.view()).toMatchObject({ state: 'judged', strategies: [] });
  });
});
