import { describe, expect, it } from 'vitest';
import { lastClosedSession } from '../../src/risk/calendar/lastClosedSession.js';
import { StaticNyseCalendar } from '../../src/risk/calendar/StaticNyseCalendar.js';

const cal = new StaticNyseCalendar();
const at = (iso: string): number => Date.parse(iso);

describe('lastClosedSession', () => {
  it('is today once the close has passed, the day before until then', () => {
    // Tuesday 2019-02-12 closes at 16:00 New York (21:00 UTC in winter).
    expect(lastClosedSession(cal, at('2019-02-12T21:00:00Z'))?.date).toBe('2019-02-12');
    expect(lastClosedSession(cal, at('2019-02-12T20:59:59.999Z'))?.date).toBe('2019-02-11');
  });

  it('reaches back over a weekend and a holiday', () => {
    // Monday 2019-02-18 is Presidents' Day: on Tuesday morning the last close is Friday the 15th.
    expect(lastClosedSession(cal, at('2019-02-19T14:00:00Z'))?.date).toBe('2019-02-15');
  });

  it('knows the early closes', () => {
    // Friday 2019-11-29 (after Thanksgiving) closes at 13:00 New York.
    const s = lastClosedSession(cal, at('2019-11-29T18:00:00Z'));
    expect(s?.date).toBe('2019-11-29');
    expect(s?.earlyClose).toBe(true);
  });
});
