import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../src/core/SimClock.js';
import { AlertPriority } from '../../src/notify/Notifier.js';
import { Outbox, readOutboxStatus, type SendFailure } from '../../src/notify/Outbox.js';

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

describe('the outbox’s record of deliveries (what the live checklist reads)', () => {
  it('counts deliveries and keeps the last one’s time across restarts; waiting messages show their age', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'outbox-')), 'telegram_outbox.json');
    expect(readOutboxStatus(file)).toBeNull();
    const clock = new SimClock(1_000_000);
    let down = false;
    const send = async (): Promise<void> => {
      if (down) throw { kind: 'transient', reason: 'ETIMEDOUT' } satisfies SendFailure;
    };
    const outbox = new Outbox({ file, clock, log: pino({ level: 'silent' }), send, paceMs: 0 });
    outbox.enqueue(AlertPriority.Info, 'one');
    clock.advanceTo(1_000_000);
    await settle();
    expect(readOutboxStatus(file)).toEqual({ file, delivered: 1, lastDeliveredAt: 1_000_000, waiting: 0, oldestWaitingSince: null });

    down = true;
    clock.advanceTo(2_000_000);
    outbox.enqueue(AlertPriority.Info, 'two');
    clock.advanceTo(2_000_000);
    await settle();
    await outbox.stop();
    expect(readOutboxStatus(file)).toEqual({ file, delivered: 1, lastDeliveredAt: 1_000_000, waiting: 1, oldestWaitingSince: 2_000_000 });

    // A restart reads its count back and goes on from it.
    down = false;
    const again = new Outbox({ file, clock, log: pino({ level: 'silent' }), send, paceMs: 0 });
    again.start();
    clock.advanceTo(3_000_000);
    await settle();
    await again.stop();
    expect(readOutboxStatus(file)).toEqual({ file, delivered: 2, lastDeliveredAt: 3_000_000, waiting: 0, oldestWaitingSince: null });
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')) as object)).toEqual(['nextId', 'items', 'delivered', 'lastDeliveredAt']);
  });

  it('reads a file of an earlier version (no delivery recorded)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'outbox-')), 'telegram_outbox.json');
    writeFileSync(file, JSON.stringify({ nextId: 3, items: [{ id: 2, priority: 1, text: 'x', queuedAt: 500 }] }));
    expect(readOutboxStatus(file)).toEqual({ file, delivered: 0, lastDeliveredAt: null, waiting: 1, oldestWaitingSince: 500 });
  });
});
