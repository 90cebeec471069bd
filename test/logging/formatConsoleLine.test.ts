import { describe, expect, it } from 'vitest';
import { formatConsoleLine, roundNoise } from '../../src/logging/formatConsoleLine.js';

const fill = {
  msg: '📉 Sold 23 AAPL @ $170.06 [sma_slow_tech] · trade P&L -$5.98',
  level: 30,
  time: '2026-03-02T14:51:46.120Z',
  component: 'trades',
  marketTime: '2019-02-12T15:27:00.000Z',
  strategy: 'sma_slow_tech',
  qty: 23,
  price: 170.06,
  realizedPnl: -5.979999999999791,
};
const pretty = { format: 'pretty', colors: false, details: false, timeZone: 'UTC' } as const;

describe('formatConsoleLine', () => {
  it('pretty at info: wall time, the market time when it is not the wall time (ET), level, component, message; no fields', () => {
    expect(formatConsoleLine(fill, pretty)).toBe('14:51:46 (market 2019-02-12 10:27 ET) INFO  [trades] 📉 Sold 23 AAPL @ $170.06 [sma_slow_tech] · trade P&L -$5.98\n');
  });

  it('leaves the market time out when it is within a minute of the wall time (live trading)', () => {
    const live = { ...fill, marketTime: '2026-03-02T14:51:00.000Z' };
    expect(formatConsoleLine(live, pretty)).toBe('14:51:46 INFO  [trades] 📉 Sold 23 AAPL @ $170.06 [sma_slow_tech] · trade P&L -$5.98\n');
    expect(formatConsoleLine({ level: 40, time: fill.time, msg: 'no component' }, { ...pretty, timeZone: 'America/New_York' })).toBe('09:51:46 WARN  no component\n');
  });

  it('at debug: the fields follow as key=value, float noise rounded away, errors as type and message', () => {
    const line = formatConsoleLine({ ...fill, err: { type: 'RateLimitError', message: 'rate limit exceeded', stack: 'at …' }, ids: [1, 2], note: 'two words' }, { ...pretty, details: true });
    expect(line).toBe(
      '14:51:46 (market 2019-02-12 10:27 ET) INFO  [trades] 📉 Sold 23 AAPL @ $170.06 [sma_slow_tech] · trade P&L -$5.98' +
        ' · strategy=sma_slow_tech qty=23 price=170.06 realizedPnl=-5.98 err="RateLimitError: rate limit exceeded" ids=[1,2] note="two words"\n',
    );
  });

  it('a warning or error at info still names its error’s cause, once', () => {
    const base = { time: fill.time, component: 'broker' };
    expect(formatConsoleLine({ ...base, level: 40, msg: 'account refresh failed', err: { type: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:1\n  at …', stack: 'x' } }, pretty)).toBe(
      '14:51:46 WARN  [broker] account refresh failed — connect ECONNREFUSED 127.0.0.1:1\n',
    );
    expect(formatConsoleLine({ ...base, level: 50, msg: 'state could not be saved: EISDIR', err: { type: 'Error', message: 'EISDIR' } }, pretty)).toBe('14:51:46 ERROR [broker] state could not be saved: EISDIR\n');
    expect(formatConsoleLine({ ...base, level: 40, msg: 'stream error', error: '[object Event]' }, pretty)).toBe('14:51:46 WARN  [broker] stream error\n');
    expect(formatConsoleLine({ ...base, level: 30, msg: 'info line', err: { type: 'Error', message: 'hidden at info' } }, pretty)).toBe('14:51:46 INFO  [broker] info line\n');
  });

  it('colours the level on a terminal', () => {
    expect(formatConsoleLine({ level: 50, time: fill.time, component: 'engine', msg: 'boom' }, { ...pretty, colors: true })).toBe('14:51:46 \u001b[31mERROR\u001b[39m [engine] boom\n');
  });

  it('indents the further lines of a message of several lines', () => {
    expect(formatConsoleLine({ level: 30, time: fill.time, component: 'notifier', msg: '📅 Daily summary\nAccount $1.00' }, pretty)).toBe('14:51:46 INFO  [notifier] 📅 Daily summary\n    Account $1.00\n');
  });

  it('journal: the syslog priority, component and message on one line, no time', () => {
    const journal = { format: 'journal', colors: false, details: false } as const;
    expect(formatConsoleLine({ ...fill, level: 40, msg: 'Telegram polling failed\n(twice)' }, journal)).toBe('<4>[trades] Telegram polling failed ⏎ (twice)\n');
    expect([30, 50, 60, 20].map((level) => formatConsoleLine({ level, msg: 'm' }, journal))).toEqual(['<6>m\n', '<3>m\n', '<2>m\n', '<7>m\n']);
  });

  it('rounds binary noise, keeps meaningful decimals and integers', () => {
    expect([roundNoise(-5.979999999999791), roundNoise(89986.2449), roundNoise(99998.99000000002), roundNoise(315.7139), roundNoise(0.005), roundNoise(42)]).toEqual([-5.98, 89986.2449, 99998.99, 315.7139, 0.005, 42]);
  });
});
