import { describe, expect, it } from 'vitest';
import { toIso } from '../../src/core/toIso.js';

describe('toIso', () => {
  it('formats like Date.toISOString, across days, leap days and odd milliseconds', () => {
    const instants = [0, 1, 999, 59_999, Date.parse('2019-02-11T14:31:00Z'), Date.parse('2020-02-29T23:59:59.999Z'), Date.parse('2020-03-01T00:00:00.007Z'), 86_399_999, -1, -86_400_001];
    for (const t of instants) expect(toIso(t)).toBe(new Date(t).toISOString());
    // A deterministic sweep over ten years, at irregular steps.
    for (let t = Date.parse('2015-01-01T00:00:00Z'), i = 0; i < 5000; i++, t += 63_113_851) expect(toIso(t)).toBe(new Date(t).toISOString());
  });

  it('leaves years outside 0000–9999 to Date', () => {
    const far = Date.UTC(10_000, 0, 1, 12);
    expect(toIso(far)).toBe(new Date(far).toISOString());
  });
});
