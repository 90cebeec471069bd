import { describe, expect, it } from 'vitest';
import { BreakerAction, BreakerRule, CircuitBreaker, type BreakerChange, type BreakerLimits } from '../../src/risk/CircuitBreaker.js';

// New York is UTC−5 in February: 15:00Z is 10:00 in New York.
const DAY1 = Date.parse('2019-02-11T15:00:00Z');
const DAY2 = Date.parse('2019-02-12T15:00:00Z');
const MIN = 60_000;
const off: BreakerLimits = { maxDrawdownPct: null, maxDailyLossPct: null, maxConsecutiveLosses: null, maxTradesPerDay: null, action: BreakerAction.BlockEntries };

function breaker(limits: Partial<BreakerLimits>): { b: CircuitBreaker; changes: BreakerChange[] } {
  const changes: BreakerChange[] = [];
  const b = new CircuitBreaker('s1', { ...off, ...limits }, (c) => changes.push(c));
  return { b, changes };
}

describe('CircuitBreaker', () => {
  describe('drawdown from the high-water mark', () => {
    // High-water mark 1,200 (not the start, 1,000): a 20 % limit trips at 960.
    const run = (low: number) => {
      const t = breaker({ maxDrawdownPct: 0.2 });
      t.b.onEquity(DAY1, 1000);
      t.b.onEquity(DAY1 + MIN, 1200);
      t.b.onEquity(DAY1 + 2 * MIN, low);
      return t;
    };
    it('just under the limit: armed', () => {
      // (1200 − 960.01) / 1200 = 19.999 %.
      expect(run(960.01).b.state).toBe('ARMED');
    });
    it('at the limit: trips with rule, value, threshold and time', () => {
      const { b, changes } = run(960);
      expect(b.state).toBe('PAUSED');
      expect(b.trip).toEqual({
        rule: BreakerRule.Drawdown,
        value: 0.2,
        threshold: 0.2,
        time: DAY1 + 2 * MIN,
        message: 'drawdown 20.00% from the high-water mark $1200.00 reached the 20.00% limit',
      });
      expect(changes.map((c) => c.kind)).toEqual(['tripped']);
    });
    it('over the limit: trips, and stays paused the next day until resumed by hand', () => {
      const { b, changes } = run(900);
      expect(b.trip?.value).toBeCloseTo(0.25, 12);
      b.onEquity(DAY2, 950);
      expect(b.state).toBe('PAUSED');
      expect(b.resume(DAY2 + MIN, 'ctl')).toBe(true);
      expect(changes.at(-1)).toMatchObject({ kind: 'resumed', reason: 'resumed by hand (ctl)' });
      // The high-water mark is re-based on 950: 950 → 800 is 15.8 %, no trip.
      b.onEquity(DAY2 + 2 * MIN, 800);
      expect(b.state).toBe('ARMED');
      expect(b.status().highWaterMark).toBe(950);
    });
  });

  describe('daily loss from the start of the New York day', () => {
    // Day 1 goes 1,000 → 1,020 → 1,000 (−1.96 % from its high, no trip); day 2 starts from its
    // close, 1,000: a 5 % limit trips at 950.
    const run = (low: number) => {
      const t = breaker({ maxDailyLossPct: 0.05 });
      t.b.onEquity(DAY1, 1000);
      t.b.onEquity(DAY1 + MIN, 1020);
      t.b.onEquity(DAY1 + 2 * MIN, 1000);
      t.b.onEquity(DAY2, low);
      return t;
    };
    it('just under: armed', () => expect(run(950.01).b.state).toBe('ARMED'));
    it('at the limit: trips', () => {
      const { b } = run(950);
      expect(b.trip).toMatchObject({ rule: BreakerRule.DailyLoss, value: 0.05, threshold: 0.05 });
      expect(b.status().dayStartEquity).toBe(1000);
    });
    it('over the limit: trips, and re-arms by itself at the next session', () => {
      const { b, changes } = run(900);
      expect(b.state).toBe('PAUSED');
      b.onEquity(DAY2 + 10 * MIN, 1000);
      expect(b.state).toBe('PAUSED');
      b.onEquity(Date.parse('2019-02-13T14:31:00Z'), 1000);
      expect(b.state).toBe('ARMED');
      expect(changes.map((c) => c.kind)).toEqual(['tripped', 'resumed']);
      expect(changes[1]).toMatchObject({ reason: 're-armed at the session of 2019-02-13' });
    });
  });

  describe('consecutive losing trades after costs', () => {
    const run = (pnls: number[]) => {
      const t = breaker({ maxConsecutiveLosses: 3 });
      pnls.forEach((p, i) => t.b.onClosedTrade(DAY1 + i * MIN, p));
      return t;
    };
    it('just under: two losses in a row', () => expect(run([-1, -1]).b.state).toBe('ARMED'));
    it('a winning or flat trade ends the streak', () => {
      expect(run([-1, -1, 5, -1, -1]).b.state).toBe('ARMED');
      expect(run([-1, -1, 0, -1, -1]).b.state).toBe('ARMED');
    });
    it('at the limit: the third loss trips', () => expect(run([-1, -1, -0.01]).b.trip).toMatchObject({ rule: BreakerRule.LossStreak, value: 3, threshold: 3 }));
    it('over the limit: stays paused across days until resumed, and the streak restarts', () => {
      const { b } = run([-1, -1, -1, -1]);
      expect(b.trip?.value).toBe(3);
      b.onEquity(DAY2, 1000);
      expect(b.state).toBe('PAUSED');
      b.resume(DAY2, 'telegram');
      expect(b.status().lossesInRow).toBe(0);
      b.onClosedTrade(DAY2 + MIN, -1);
      expect(b.state).toBe('ARMED');
    });
  });

  describe('orders per New York day', () => {
    const sent = (n: number) => {
      const t = breaker({ maxTradesPerDay: 3 });
      for (let i = 0; i < n; i++) {
        expect(t.b.check(DAY1 + i * MIN, true)).toBeNull();
        t.b.onOrderSent(DAY1 + i * MIN);
      }
      return t;
    };
    it('just under and at the limit: the third order of the day goes', () => expect(sent(3).b.state).toBe('ARMED'));
    it('over the limit: the fourth entry trips and is denied; an exit still goes', () => {
      const { b } = sent(3);
      expect(b.check(DAY1 + 10 * MIN, true)).toBe(
        'circuit breaker s1 is paused by max_trades_per_day since 2019-02-11T15:10:00.000Z: order 4 today is over the limit of 3 a day; entries are blocked until the next session',
      );
      expect(b.trip).toMatchObject({ rule: BreakerRule.TradesPerDay, value: 4, threshold: 3 });
      expect(b.check(DAY1 + 11 * MIN, false)).toBeNull();
    });
    it('an exit over the limit does not trip', () => {
      const { b } = sent(3);
      expect(b.check(DAY1 + 10 * MIN, false)).toBeNull();
      expect(b.state).toBe('ARMED');
    });
    it('re-arms at the next session with a fresh count', () => {
      const { b } = sent(3);
      b.check(DAY1 + 10 * MIN, true);
      expect(b.check(DAY2, true)).toBeNull();
      expect(b.status()).toMatchObject({ state: 'ARMED', ordersToday: 0, day: '2019-02-12' });
    });
  });

  it('halt_all denies exits too', () => {
    const { b } = breaker({ maxDrawdownPct: 0.1, action: BreakerAction.HaltAll });
    b.onEquity(DAY1, 1000);
    b.onEquity(DAY1 + MIN, 800);
    expect(b.check(DAY1 + 2 * MIN, false)).toMatch(/all orders are halted \(halt_all\) until resumed$/);
  });

  it('pauses and resumes by hand; a second pause or resume is a no-op', () => {
    const { b, changes } = breaker({});
    expect(b.pause(DAY1, 'ctl')).toBe(true);
    expect(b.pause(DAY1, 'ctl')).toBe(false);
    expect(b.check(DAY1, true)).toMatch(/paused by manual .*: paused by hand \(ctl\); entries are blocked until resumed$/);
    expect(b.check(DAY1, false)).toBeNull();
    // A manual pause is not a daily rule: the next day it is still paused.
    expect(b.check(DAY2, true)).not.toBeNull();
    expect(b.resume(DAY2, 'ctl')).toBe(true);
    expect(b.resume(DAY2, 'ctl')).toBe(false);
    expect(changes.map((c) => c.kind)).toEqual(['tripped', 'resumed']);
  });
});
