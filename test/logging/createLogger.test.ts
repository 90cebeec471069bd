import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errors } from '@alpacahq/alpaca-trade-api';
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

  it('logs an SDK error that carries its fetch Response as plain data (walking the Response for redaction crashed the daemon)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'log-')), 'logs');
    const { logger, close } = createLogger({ dir, level: 'info', console: false });
    const response = new Response('{"code":42910000,"message":"rate limit exceeded"}', { status: 429, headers: { 'retry-after': '2' } });
    const error = new errors.RateLimitError(response, 429, 42910000, 'rate limit exceeded', undefined, 2000, 'req-1');
    expect(() => logger.warn({ err: error }, 'order POST refused')).not.toThrow();
    expect(() => logger.warn({ error }, 'stream error')).not.toThrow();
    await close();
    const [first, second] = lines(dir);
    expect(first).toMatchObject({ msg: 'order POST refused', err: { type: 'RateLimitError', status: 429, code: 42910000, retryAfterMs: 2000, message: 'rate limit exceeded' } });
    expect((first!['err'] as Record<string, unknown>)['response']).toBeUndefined();
    expect(second).toMatchObject({ msg: 'stream error', error: { type: 'RateLimitError', status: 429 } });
  });
});
