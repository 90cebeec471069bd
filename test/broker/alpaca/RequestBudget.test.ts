import { describe, expect, it } from 'vitest';
import { RequestBudget, RequestPriority } from '../../../src/broker/alpaca/RequestBudget.js';
import { SimClock } from '../../../src/core/SimClock.js';
import { VenueClock } from '../../../src/core/VenueClock.js';

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('RequestBudget', () => {
  it('spends its tokens, then lets cancels and exits go before entries, entries before reads', async () => {
    const clock = new SimClock(0);
    const budget = new RequestBudget(clock, 60); // a token a second
    const order: string[] = [];
    const req = (name: string) => async () => {
      order.push(name);
    };
    for (let i = 0; i < 60; i++) void budget.run(RequestPriority.Background, req(`warm${i}`));
    await flush();
    expect(order.length).toBe(60);
    void budget.run(RequestPriority.Background, req('read'));
    void budget.run(RequestPriority.Normal, req('entry'));
    void budget.run(RequestPriority.Urgent, req('exit'));
    await flush();
    expect(order.length).toBe(60);
    for (const name of ['exit', 'entry', 'read']) {
      clock.advanceTo(clock.now() + 1000);
      await flush();
      expect(order[order.length - 1]).toBe(name);
    }
  });

  it('holds everything after a 429 until the reset', async () => {
    const clock = new SimClock(0);
    const budget = new RequestBudget(clock, 100);
    budget.holdFor(5000);
    let ran = false;
    void budget.run(RequestPriority.Urgent, async () => {
      ran = true;
    });
    clock.advanceTo(4999);
    await flush();
    expect(ran).toBe(false);
    clock.advanceTo(5000);
    await flush();
    expect(ran).toBe(true);
  });
});

describe('VenueClock', () => {
  it('follows the venue forward, never back, and runs with the wall in between', () => {
    const wall = new SimClock(1_000);
    const c = new VenueClock(wall, 50_000);
    wall.advanceTo(2_000);
    expect(c.now()).toBe(51_000);
    c.sync(120_000);
    expect(c.now()).toBe(120_000);
    c.sync(60_000);
    expect(c.now()).toBe(120_000);
    wall.advanceTo(2_500);
    expect(c.now()).toBe(120_500);
  });
});
