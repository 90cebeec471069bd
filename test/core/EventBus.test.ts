import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/EventBus.js';

interface Events {
  a: number;
  b: string;
}

describe('EventBus', () => {
  it('delivers in subscription order, and events emitted by handlers after the current one (FIFO)', () => {
    const seen: string[] = [];
    const bus = new EventBus<Events>(() => {});
    bus.on('a', (n) => {
      seen.push(`h1:a${n}`);
      if (n === 1) bus.emit('b', 'x');
    });
    bus.on('a', (n) => seen.push(`h2:a${n}`));
    bus.on('b', (s) => seen.push(`b:${s}`));
    bus.emit('a', 1);
    expect(seen).toEqual(['h1:a1', 'h2:a1', 'b:x']);
  });

  it('reports a throwing handler and still runs the others', () => {
    const errors: unknown[] = [];
    const bus = new EventBus<Events>((e, type) => errors.push([type, (e as Error).message]));
    const seen: number[] = [];
    bus.on('a', () => {
      throw new Error('boom');
    });
    bus.on('a', (n) => seen.push(n));
    bus.emit('a', 7);
    expect(seen).toEqual([7]);
    expect(errors).toEqual([['a', 'boom']]);
  });

  it('unsubscribes', () => {
    const bus = new EventBus<Events>(() => {});
    const seen: number[] = [];
    const off = bus.on('a', (n) => seen.push(n));
    bus.emit('a', 1);
    off();
    bus.emit('a', 2);
    expect(seen).toEqual([1]);
  });
});
