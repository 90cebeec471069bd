import { describe, expect, it } from 'vitest';
import { removeAt, removeItem } from '../../src/core/removeItem.js';

describe('removeAt / removeItem', () => {
  it('removes one element in place, the others keeping their order, as splice(i, 1) does', () => {
    const list = ['a', 'b', 'c', 'd'];
    const same = list;
    removeAt(list, 1);
    expect(list).toEqual(['a', 'c', 'd']);
    expect(list).toBe(same);
    removeAt(list, 2);
    expect(list).toEqual(['a', 'c']);
    removeAt(list, 0);
    expect(list).toEqual(['c']);
    removeAt(list, 0);
    expect(list).toEqual([]);
  });

  it('keeps the order whichever side of the removed element moves (near the front, near the back)', () => {
    const list = Array.from({ length: 9 }, (_, i) => i);
    removeAt(list, 1);
    expect(list).toEqual([0, 2, 3, 4, 5, 6, 7, 8]);
    removeAt(list, 6);
    expect(list).toEqual([0, 2, 3, 4, 5, 6, 8]);
    removeAt(list, 3);
    expect(list).toEqual([0, 2, 3, 5, 6, 8]);
    removeAt(list, 0);
    removeAt(list, 4);
    expect(list).toEqual([2, 3, 5, 6]);
    list.push(9);
    expect(list).toEqual([2, 3, 5, 6, 9]);
  });

  it('removes the first equal item only; an index outside the list or an absent item changes nothing', () => {
    const x = { id: 1 };
    const y = { id: 2 };
    const list = [x, y, x];
    removeItem(list, x);
    expect(list).toEqual([y, x]);
    expect(list[1]).toBe(x);
    removeItem(list, { id: 2 });
    removeAt(list, -1);
    removeAt(list, 2);
    expect(list).toEqual([y, x]);
  });
});
