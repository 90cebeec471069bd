import { describe, expect, it } from 'vitest';
import { formatEt } from '../../src/market-data/formatEt.js';

describe('formatEt', () => {
  it('New York time with ET, in winter (EST) and summer (EDT), with seconds on request', () => {
    expect(formatEt(Date.parse('2019-02-12T15:27:00Z'))).toBe('2019-02-12 10:27 ET');
    expect(formatEt(Date.parse('2019-07-01T13:30:05Z'), true)).toBe('2019-07-01 09:30:05 ET');
    // 01:30 UTC is still the evening before in New York.
    expect(formatEt(Date.parse('2019-03-01T01:30:00Z'))).toBe('2019-02-28 20:30 ET');
  });
});
