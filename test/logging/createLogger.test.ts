import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/createLogger.js';

const lines = (dir: string): Array<Record<string, unknown>> =>
  readFileSync(join(dir, 'paper_engine.log'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('createLogger', () => {
  it('writes JSON lines with the component of each child and redacts secrets at any depth', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'log-')), 'logs');
    const { logger, close } = createLogger({ dir, level: 'info', console: false });
    logger.child({ component: 'engine' }).info({ secretKey: 's1', env: { alpaca: { keyId: 'k2', secretKey: 's2' }, telegram: { botToken: 't3' } } }, 'P&L +$1.00');
    logger.child({ component: 'trades' }).debug('hidden at info');
    logger.child({ component: 'trades' }).warn({ headers: { 'APCA-API-SECRET-KEY': 's4' } }, 'second');
    await close();
    const [first, second, ...rest] = lines(dir);
    expect(rest).toEqual([]);
    expect(first).toMatchObject({
      level: 30,
      component: 'engine',
      msg: 'P&L +$1.00',
      secretKey: '[redacted]',
      env: { alpaca: { keyId: '[redacted]', secretKey: '[redacted]' }, telegram: { botToken: '[redacted]' } },
    });
    expect(second).toMatchObject({ level: 40, component: 'trades', headers: { 'APCA-API-SECRET-KEY': '[redacted]' } });
    expect(readFileSync(join(dir, 'paper_engine.log'), 'utf8')).not.toMatch(/s1|k2|s2|t3|s4/);
  });

  it('writes debug lines at debug level, and appends to an existing log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-'));
    const a = createLogger({ dir, level: 'debug', console: false });
    a.logger.child({ component: 'bus' }).debug('one');
    await a.close();
    await a.close();
    const b = createLogger({ dir, level: 'info', console: false });
    b.logger.child({ component: 'bus' }).info('two');
    await b.close();
    expect(lines(dir).map((l) => [l.component, l.msg])).toEqual([
      ['bus', 'one'],
      ['bus', 'two'],
    ]);
  });
});
