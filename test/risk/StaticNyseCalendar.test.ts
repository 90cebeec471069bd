import { describe, expect, it } from 'vitest';
import { easterSunday, nyseEarlyCloses, nyseHolidays } from '../../src/risk/calendar/nyseHolidays.js';
import { StaticNyseCalendar } from '../../src/risk/calendar/StaticNyseCalendar.js';

const sorted = (s: Set<string>): string[] => [...s].sort();

describe('NYSE holidays and early closes', () => {
  // The exchange's published calendars.
  it.each([
    [2019, ['2019-01-01', '2019-01-21', '2019-02-18', '2019-04-19', '2019-05-27', '2019-07-04', '2019-09-02', '2019-11-28', '2019-12-25'], ['2019-07-03', '2019-11-29', '2019-12-24']],
    // New Year's Day on a Saturday is not observed; Juneteenth on a Sunday is observed on Monday.
    [2022, ['2022-01-17', '2022-02-21', '2022-04-15', '2022-05-30', '2022-06-20', '2022-07-04', '2022-09-05', '2022-11-24', '2022-12-26'], ['2022-11-25']],
    [2024, ['2024-01-01', '2024-01-15', '2024-02-19', '2024-03-29', '2024-05-27', '2024-06-19', '2024-07-04', '2024-09-02', '2024-11-28', '2024-12-25'], ['2024-07-03', '2024-11-29', '2024-12-24']],
    // The national day of mourning for President Carter.
    [2025, ['2025-01-01', '2025-01-09', '2025-01-20', '2025-02-17', '2025-04-18', '2025-05-26', '2025-06-19', '2025-07-04', '2025-09-01', '2025-11-27', '2025-12-25'], ['2025-07-03', '2025-11-28', '2025-12-24']],
    // Independence Day on a Saturday is observed on Friday July 3, which then cannot close early.
    [2026, ['2026-01-01', '2026-01-19', '2026-02-16', '2026-04-03', '2026-05-25', '2026-06-19', '2026-07-03', '2026-09-07', '2026-11-26', '2026-12-25'], ['2026-11-27', '2026-12-24']],
  ])('%i', (year, holidays, early) => {
    expect(sorted(nyseHolidays(year))).toEqual(holidays);
    expect(sorted(nyseEarlyCloses(year))).toEqual(early);
  });

  it('finds Easter Sunday', () => {
    expect(easterSunday(2019)).toEqual({ month: 4, day: 21 });
    expect(easterSunday(2024)).toEqual({ month: 3, day: 31 });
    expect(easterSunday(2025)).toEqual({ month: 4, day: 20 });
  });
});

describe('StaticNyseCalendar', () => {
  const cal = new StaticNyseCalendar();

  it('opens at 09:30 and closes at 16:00 New York time, in winter and in summer', () => {
    expect(cal.session('2019-02-15')).toEqual({ date: '2019-02-15', open: Date.parse('2019-02-15T14:30:00Z'), close: Date.parse('2019-02-15T21:00:00Z'), earlyClose: false });
    expect(cal.session('2024-07-01')).toMatchObject({ open: Date.parse('2024-07-01T13:30:00Z'), close: Date.parse('2024-07-01T20:00:00Z') });
  });

  it('closes at 13:00 on early-close days and not at all on weekends and holidays', () => {
    expect(cal.session('2019-11-29')).toMatchObject({ close: Date.parse('2019-11-29T18:00:00Z'), earlyClose: true });
    expect(cal.session('2019-02-16')).toBeNull();
    expect(cal.session('2019-02-18')).toBeNull();
  });

  it('finds the next session after an instant', () => {
    // Friday after the close → Tuesday (Monday 2019-02-18 is Presidents' Day).
    expect(cal.nextSession(Date.parse('2019-02-15T21:00:00Z')).date).toBe('2019-02-19');
    // Before the open → the same day.
    expect(cal.nextSession(Date.parse('2019-02-15T14:00:00Z')).date).toBe('2019-02-15');
    // During the session → the next day.
    expect(cal.nextSession(Date.parse('2019-02-15T15:00:00Z')).date).toBe('2019-02-19');
  });

  it('refuses a malformed date', () => {
    expect(() => cal.session('2019-2-15')).toThrow(RangeError);
  });
});
