import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { alpacaEndpoints } from '../../src/broker/alpaca/alpacaClient.js';
import type { Bar } from '../../src/core/Bar.js';
import { LiveClock } from '../../src/core/LiveClock.js';
import { AlpacaData } from '../../src/market-data/AlpacaData.js';
import { BarAggregator } from '../../src/market-data/BarAggregator.js';
import { parseTimeframe } from '../../src/market-data/Timeframe.js';
import { historyMinutes, sessionsBetween, warmUpTimeframe } from '../../src/market-data/warmUpTimeframe.js';
import { StaticNyseCalendar } from '../../src/risk/calendar/StaticNyseCalendar.js';
import { KEY, OPEN_0211, SECRET, startEmulator, type TestEmulator } from '../emulator/harness.js';

const calendar = new StaticNyseCalendar();
const tf = (text: string) => parseTimeframe(text)!;

describe('warmUpTimeframe', () => {
  it('is the coarsest Alpaca bar on the grid of the buckets: the open, every bucket after it, and the close', () => {
    // July 2019: full sessions and the 13:00 close of July 3.
    const sessions = sessionsBetween(calendar, Date.parse('2019-07-01T12:00:00Z'), Date.parse('2019-07-10T12:00:00Z'));
    expect(sessions.length).toBe(7);
    const cases = ['1M', '5M', '7M', '15M', '20M', '45M', '1H', '2H', '1D'].map((t) => [t, warmUpTimeframe(tf(t), sessions)]);
    // 60 minutes from 09:30 are not Alpaca's hours (09:00, 10:00 …): 30-minute bars tile them; 20 minutes from 09:30 need 10.
    expect(cases).toEqual([
      ['1M', '1Min'],
      ['5M', '5Min'],
      ['7M', '1Min'],
      ['15M', '15Min'],
      ['20M', '10Min'],
      ['45M', '15Min'],
      ['1H', '30Min'],
      ['2H', '30Min'],
      ['1D', '1Day'],
    ]);
    // A session closing at 12:45 would put the close off the 30-minute grid.
    const odd = [...sessions, { open: Date.parse('2019-07-11T13:30:00Z'), close: Date.parse('2019-07-11T16:45:00Z') }];
    expect(warmUpTimeframe(tf('1H'), odd)).toBe('15Min');
    // No session known to align on: minutes.
    expect(warmUpTimeframe(tf('1H'), [])).toBe('1Min');
    expect([historyMinutes('30Min'), historyMinutes('1Min'), historyMinutes('1Day')]).toEqual([30, 1, 0]);
  });
});

describe('an hourly strategy warmed up on 30-minute bars', () => {
  let t: TestEmulator;
  afterEach(async () => {
    await t.stop();
    expect(t.contract.failures).toEqual([]);
  });

  it('gets the same bars as from minutes, in fewer requests', async () => {
    t = await startEmulator({ start: Date.parse('2019-02-13T21:00:00Z') });
    const e = alpacaEndpoints({ keyId: KEY, secretKey: SECRET, baseUrl: t.urls.baseUrl, dataUrl: t.urls.dataUrl, dataStreamUrl: t.urls.dataStreamUrl, feed: 'iex', live: false });
    const data = new AlpacaData({ client: e.client, streamUrl: e.dataStreamUrl, feed: 'iex', calendar, clock: new LiveClock(), log: pino({ level: 'silent' }), now: () => t.emulator.clock.now() });
    const from = OPEN_0211 - 86_400_000;
    const to = Date.parse('2019-02-12T21:00:00Z');
    const hourly = (bars: readonly Bar[]): Bar[] => {
      const a = new BarAggregator(tf('1H'), calendar);
      return bars.flatMap((b) => a.push(b));
    };
    const minutes = await data.history(['AAPL', 'SPY'], '1Min', from, to - 60_000);
    const minuteRequests = data.requests;
    data.requests = 0;
    const halfHours = await data.history(['AAPL', 'SPY'], '30Min', from, to - 30 * 60_000);
    // Two sessions of 13 half hours, two symbols; extended hours left out as for minutes.
    expect([halfHours.length, data.requests, minuteRequests]).toEqual([52, 1, 1]);
    expect(new Date(halfHours[0]!.time).toISOString()).toBe('2019-02-11T15:00:00.000Z');
    const fromMinutes = hourly(minutes);
    // Seven buckets a session (the last one 15:30–16:00), two sessions, two symbols.
    expect(fromMinutes.length).toBe(28);
    expect(hourly(halfHours)).toEqual(fromMinutes);
  });
});
