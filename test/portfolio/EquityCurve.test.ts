import { describe, expect, it } from 'vitest';
import { EquityCurve } from '../../src/portfolio/EquityCurve.js';

const at = (iso: string): number => Date.parse(iso);
const HOUR = 3_600_000;

describe('EquityCurve', () => {
  it('summarizes daily returns, the worst drawdown and exposure over every point', () => {
    // New York is UTC−5 in January: 15:00Z is 10:00 and 20:00Z is 15:00 in New York.
    const c = new EquityCurve(1000);
    c.push(at('2024-01-02T15:00:00Z'), 1000, false);
    c.push(at('2024-01-02T20:00:00Z'), 1100, true); // peak
    c.push(at('2024-01-03T15:00:00Z'), 990, true); // trough: (1100 − 990) / 1100 = 0.1
    c.push(at('2024-01-03T20:00:00Z'), 1050, true);
    c.push(at('2024-01-03T20:00:00Z'), 1045, true); // same time: replaces 1050
    c.push(at('2024-01-04T15:00:00Z'), 1045, false);
    c.push(at('2024-01-04T20:00:00Z'), 1045, false);
    c.push(at('2024-01-05T15:00:00Z'), 1120, true); // back above 1100: recovered
    c.push(at('2024-01-05T20:00:00Z'), 1149.5, false);
    const s = c.summary();
    expect(c.length).toBe(8);
    expect(s.startingEquity).toBe(1000);
    expect(s.finalEquity).toBe(1149.5);
    // Day closes 1100, 1045, 1045, 1149.5: 1100/1000 − 1, 1045/1100 − 1, 1045/1045 − 1, 1149.5/1045 − 1.
    expect(s.returns).toEqual([1100 / 1000 - 1, 1045 / 1100 - 1, 0, 1149.5 / 1045 - 1]);
    expect(s.returns.map((r) => Math.round(r * 1e12) / 1e12)).toEqual([0.1, -0.05, 0, 0.1]);
    expect(s.drawdown).toEqual({
      depth: (1100 - 990) / 1100,
      peakTime: at('2024-01-02T20:00:00Z'),
      troughTime: at('2024-01-03T15:00:00Z'),
      recoveryTime: at('2024-01-05T15:00:00Z'),
      // From Jan 2 20:00Z to Jan 5 15:00Z: 2 days and 19 hours = 67 h.
      durationMs: 67 * HOUR,
    });
    // Exposed at 4 of the 8 points (Jan 2 20:00, Jan 3 15:00 and 20:00, Jan 5 15:00).
    expect(s.points).toBe(8);
    expect(s.exposedPoints).toBe(4);
  });

  it('keeps the close of every finished day and every point of the current one', () => {
    const c = new EquityCurve(1000);
    c.push(at('2024-01-02T15:00:00Z'), 1000, false);
    c.push(at('2024-01-02T20:00:00Z'), 1100, true);
    c.push(at('2024-01-03T15:00:00Z'), 990, true);
    c.push(at('2024-01-03T20:00:00Z'), 1045, true);
    c.push(at('2024-01-04T15:00:00Z'), 1120, true);
    c.push(at('2024-01-04T20:00:00Z'), 1149.5, false);
    expect(c.history()).toEqual({
      dailyCloses: [
        { time: at('2024-01-02T20:00:00Z'), equity: 1100 },
        { time: at('2024-01-03T20:00:00Z'), equity: 1045 },
      ],
      today: [
        { time: at('2024-01-04T15:00:00Z'), equity: 1120 },
        { time: at('2024-01-04T20:00:00Z'), equity: 1149.5 },
      ],
    });
    // The next day's first point closes Jan 4 and starts a new "today".
    c.push(at('2024-01-05T15:00:00Z'), 1150, false);
    expect(c.history().dailyCloses.at(-1)).toEqual({ time: at('2024-01-04T20:00:00Z'), equity: 1149.5 });
    expect(c.history().today).toEqual([{ time: at('2024-01-05T15:00:00Z'), equity: 1150 }]);
  });

  it('restores exactly from its saved data', () => {
    const a = new EquityCurve(1000, 8);
    const b = new EquityCurve(1000, 8);
    for (let i = 0; i < 40; i++) a.push(at('2024-01-02T15:00:00Z') + i * 3_600_000, 1000 + ((i * 37) % 23) - 11, i % 3 === 0);
    b.restore(JSON.parse(JSON.stringify(a.toData())) as ReturnType<EquityCurve['toData']>);
    expect(b.summary()).toEqual(a.summary());
    expect(b.history()).toEqual(a.history());
    expect(b.samples()).toEqual(a.samples());
    // And both go on the same way.
    for (const c of [a, b]) c.push(at('2024-02-01T15:00:00Z'), 900, true);
    expect(b.summary()).toEqual(a.summary());
  });

  it('puts a point before New York midnight in that New York day', () => {
    const c = new EquityCurve(100);
    c.push(at('2024-01-02T20:00:00Z'), 110, false);
    // 04:30Z on Jan 3 is 23:30 on Jan 2 in New York: it closes Jan 2 at 120, not a new day.
    c.push(at('2024-01-03T04:30:00Z'), 120, false);
    c.push(at('2024-01-03T15:00:00Z'), 90, false);
    // Jan 2: 120/100 − 1 = 0.2; Jan 3: 90/120 − 1 = −0.25.
    expect(c.summary().returns).toEqual([120 / 100 - 1, 90 / 120 - 1]);
  });

  it('reports an unrecovered drawdown up to the last point', () => {
    const c = new EquityCurve(100);
    c.push(at('2024-01-02T15:00:00Z'), 120, false);
    c.push(at('2024-01-02T16:00:00Z'), 90, false);
    c.push(at('2024-01-02T17:00:00Z'), 100, false);
    // Peak 120, trough 90: 30/120 = 0.25; never back at 120, so it lasts from 15:00 to 17:00.
    expect(c.summary().drawdown).toEqual({
      depth: 0.25,
      peakTime: at('2024-01-02T15:00:00Z'),
      troughTime: at('2024-01-02T16:00:00Z'),
      recoveryTime: null,
      durationMs: 2 * HOUR,
    });
  });

  it('an empty curve has no returns and no drawdown', () => {
    const s = new EquityCurve(500).summary();
    expect(s).toEqual({
      startingEquity: 500,
      finalEquity: 500,
      returns: [],
      drawdown: { depth: 0, peakTime: null, troughTime: null, recoveryTime: null, durationMs: 0 },
      points: 0,
      exposedPoints: 0,
    });
  });

  it('keeps an evenly thinned sample that always ends with the newest point', () => {
    const c = new EquityCurve(0, 4);
    for (let i = 0; i < 10; i++) c.push(i * 60_000, i, false);
    // Points 0–3 fill the sample; at 4 it keeps 0, 2 and samples every 2nd point (4, 6); at 8 it
    // keeps 0, 4 and samples every 4th (8). Point 9 is the newest.
    expect(c.samples().map((p) => p.equity)).toEqual([0, 4, 8, 9]);
    expect(c.samples().map((p) => p.time)).toEqual([0, 4, 8, 9].map((i) => i * 60_000));
    // The summary still covers all ten points.
    expect(c.summary().points).toBe(10);
    expect(c.summary().finalEquity).toBe(9);
  });

  it('does not change when summarized', () => {
    const c = new EquityCurve(100);
    c.push(1, 110, true);
    const first = c.summary();
    c.push(2, 120, true);
    expect(first.finalEquity).toBe(110);
    expect(c.summary().points).toBe(2);
    expect(c.summary().exposedPoints).toBe(2);
  });
});
