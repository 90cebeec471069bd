import { describe, expect, it } from 'vitest';
import { SimClock } from '../../src/core/SimClock.js';
import { FeedWatchdog } from '../../src/market-data/FeedWatchdog.js';
import { StaticNyseCalendar } from '../../src/risk/calendar/StaticNyseCalendar.js';

const MINUTE = 60_000;
const at = (iso: string): number => Date.parse(iso);
const hhmm = (ms: number): string => new Date(ms).toISOString().slice(11, 16);

/** A watchdog whose venue runs at `speed`× the wall clock (the emulator's replay), started at `venueStart`. */
function rig(venueStart: number, speed = 1, silenceMs = 3 * MINUTE) {
  const wall = new SimClock(1_000_000);
  const venueNow = (): number => venueStart + (wall.now() - 1_000_000) * speed;
  const events: string[] = [];
  const dog = new FeedWatchdog({
    calendar: new StaticNyseCalendar(),
    venueNow,
    wall,
    silenceMs,
    onSilent: (since, first) => events.push(`${first ? 'silent' : 'still silent'} since ${hhmm(since)} at ${hhmm(venueNow())}`),
    onBack: (since) => events.push(`back (silent since ${hhmm(since)}) at ${hhmm(venueNow())}`),
  });
  dog.start(1_000);
  /** Wall milliseconds pass; a live bar is heard at each of `bars` (wall offsets). */
  const run = (ms: number, bars: readonly number[] = []): void => {
    const from = wall.now();
    for (const b of bars) {
      wall.advanceTo(from + b);
      dog.heard();
    }
    wall.advanceTo(from + ms);
  };
  return { dog, events, run };
}

describe('FeedWatchdog', () => {
  it('real time: a feed quiet for 3 minutes of the session is silent, nudged every 3 minutes after, and back at the next bar', () => {
    // 2019-02-12 10:00 New York (15:00 UTC).
    const { events, run } = rig(at('2019-02-12T15:00:00Z'));
    run(2 * MINUTE, [MINUTE]); // a bar at 10:01
    expect(events).toEqual([]);
    run(3 * MINUTE); // quiet from 10:01: silent at 10:04 (checked each second)
    expect(events).toEqual(['silent since 15:01 at 15:04']);
    run(3 * MINUTE);
    expect(events).toEqual(['silent since 15:01 at 15:04', 'still silent since 15:01 at 15:07']);
    run(30_000, [10_000]);
    expect(events.at(-1)).toBe('back (silent since 15:01) at 15:08');
    expect(events).toHaveLength(3);
  });

  it('says nothing outside the session, and counts a morning from the open, not from the last bar of the day before', () => {
    // 2019-02-12 09:00 New York: half an hour before the open, no bar since the day before.
    const { events, run } = rig(at('2019-02-12T14:00:00Z'));
    run(32 * MINUTE);
    expect(events).toEqual([]);
    run(MINUTE + 1_000); // 09:33:01: three minutes into the session, nothing came
    expect(events).toEqual(['silent since 14:30 at 14:33']);
  });

  it('a venue at 600×: silence needs a couple of wall seconds too, so a busy moment is not a silence', () => {
    // 10 market minutes go by in one wall second: quiet in market time, not in wall time.
    const { events, run } = rig(at('2019-02-12T15:00:00Z'), 600);
    run(1_000);
    expect(events).toEqual([]);
    run(1_000);
    expect(events).toEqual(['silent since 15:00 at 15:20']);
  });

  it('stops checking when stopped', () => {
    const { dog, events, run } = rig(at('2019-02-12T15:00:00Z'));
    dog.stop();
    run(10 * MINUTE);
    expect(events).toEqual([]);
  });
});

describe('FeedWatchdog while the connection is down', () => {
  it('counts no silence until the connection is back, then counts from then', () => {
    const { dog, events, run } = rig(at('2019-02-12T15:00:00Z'));
    dog.suspend();
    run(10 * MINUTE);
    expect(events).toEqual([]);
    dog.resume();
    run(3 * MINUTE - 1_000);
    expect(events).toEqual([]);
    run(1_000);
    expect(events).toEqual(['silent since 15:10 at 15:13']);
  });
});
