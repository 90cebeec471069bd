import { describe, expect, it } from 'vitest';
import { AlpacaCalendar } from '../../src/risk/calendar/AlpacaCalendar.js';
import { StaticNyseCalendar } from '../../src/risk/calendar/StaticNyseCalendar.js';

describe('AlpacaCalendar', () => {
  // As /v2/calendar gives them: Friday, (weekend), Monday as an early close (a made-up one).
  const days = [
    { date: '2019-02-15', open: '09:30', close: '16:00' },
    { date: '2019-02-19', open: '09:30', close: '13:00' },
    { date: '2019-02-20', open: '09:30', close: '16:00' },
  ];
  const c = new AlpacaCalendar(days, new StaticNyseCalendar());

  it('reads sessions, early closes and closed days from Alpaca’s days', () => {
    expect(c.session('2019-02-19')).toEqual({ date: '2019-02-19', open: Date.parse('2019-02-19T14:30:00Z'), close: Date.parse('2019-02-19T18:00:00Z'), earlyClose: true });
    expect(c.session('2019-02-18')).toBeNull();
    expect(c.nextSession(Date.parse('2019-02-15T21:00:00Z')).date).toBe('2019-02-19');
    expect(c.days).toEqual(days);
  });

  it('asks the static NYSE calendar outside its range', () => {
    expect(c.session('2019-02-11')?.earlyClose).toBe(false);
    expect(c.nextSession(Date.parse('2019-02-20T21:00:00Z')).date).toBe('2019-02-21');
  });
});
