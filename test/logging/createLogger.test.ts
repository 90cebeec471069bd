import { mkdtempSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
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

describe('createLogger: the file and the console', () => {
  const MARKET = Date.parse('2019-02-12T15:27:00.000Z');
  const scratch = (): string => join(mkdtempSync(join(tmpdir(), 'log-')), 'logs');
  const raw = (dir: string, file = 'paper_engine.log'): string[] => readFileSync(join(dir, file), 'utf8').trim().split('\n');

  it('writes each file line with its message first and every figure at full precision', async () => {
    const dir = scratch();
    const { logger, close } = createLogger({ dir, level: 'info', console: false });
    logger.child({ component: 'engine' }).info({ equity: 89986.2449, realizedPnl: -5.979999999999791 }, 'P&L (final): total -$13.76');
    await close();
    const [line] = raw(dir);
    expect(line).toMatch(/^\{"msg":"P&L \(final\): total -\$13\.76","level":30,"time":"[^"]+","component":"engine","equity":89986\.2449,"realizedPnl":-5\.979999999999791\}$/);
  });

  it('pretty console: the message alone at info (no JSON tail), the market time when it is not the wall time', async () => {
    const dir = scratch();
    const out: string[] = [];
    let market: number | null = MARKET;
    const { logger, close } = createLogger({ dir, level: 'info', console: { format: 'pretty', colors: false, out: (t) => out.push(t) }, marketTime: () => market });
    const trades = logger.child({ component: 'trades' });
    trades.info({ qty: 23, realizedPnl: -5.979999999999791 }, '📉 Sold 23 AAPL @ $170.06');
    trades.debug('not at info');
    market = Date.now();
    trades.info('live again');
    market = null;
    trades.info('before the venue opened');
    await close();
    expect(out.map((l) => l.replace(/^\d\d:\d\d:\d\d/, 'HH:MM:SS'))).toEqual([
      'HH:MM:SS (market 2019-02-12 10:27 ET) INFO  [trades] 📉 Sold 23 AAPL @ $170.06\n',
      'HH:MM:SS INFO  [trades] live again\n',
      'HH:MM:SS INFO  [trades] before the venue opened\n',
    ]);
    // The file has the market time as a field on the replayed line only.
    expect(lines(dir).map((l) => l['marketTime'] ?? null)).toEqual(['2019-02-12T15:27:00.000Z', null, null]);
  });

  it('pretty console at debug: the fields too, rounded', async () => {
    const dir = scratch();
    const out: string[] = [];
    const { logger, close } = createLogger({ dir, level: 'debug', console: { format: 'pretty', colors: false, out: (t) => out.push(t) } });
    logger.child({ component: 'trades' }).debug({ qty: 23, realizedPnl: -5.979999999999791 }, 'details');
    await close();
    expect(out.map((l) => l.slice(9))).toEqual(['DEBUG [trades] details · qty=23 realizedPnl=-5.98\n']);
  });

  it('journal console: warnings and errors only, with their syslog priority; the file keeps everything', async () => {
    const dir = scratch();
    const out: string[] = [];
    const { logger, close } = createLogger({ dir, level: 'info', console: { format: 'journal', colors: false, out: (t) => out.push(t) } });
    const log = logger.child({ component: 'telegram' });
    log.info('daemon running');
    log.warn({ reason: 'ETIMEDOUT' }, 'Telegram polling failed (ETIMEDOUT)');
    log.error('boom');
    await close();
    expect(out).toEqual(['<4>[telegram] Telegram polling failed (ETIMEDOUT)\n', '<3>[telegram] boom\n']);
    expect(lines(dir).map((l) => l['msg'])).toEqual(['daemon running', 'Telegram polling failed (ETIMEDOUT)', 'boom']);
  });

  it('json console: the file’s lines', async () => {
    const dir = scratch();
    const out: string[] = [];
    const { logger, close } = createLogger({ dir, level: 'info', console: { format: 'json', colors: false, out: (t) => out.push(t) } });
    logger.child({ component: 'main' }).info({ runId: 'r1' }, 'daemon running');
    await close();
    expect(out).toEqual([`${raw(dir)[0]}\n`]);
    expect(out[0]).toMatch(/^\{"msg":"daemon running","level":30,"time":"[^"]+","component":"main","runId":"r1"\}\n$/);
  });

  it('a console that fails is dropped; the file goes on', async () => {
    const dir = scratch();
    let calls = 0;
    const out = (): void => {
      calls++;
      throw Object.assign(new Error('write EIO'), { code: 'EIO' });
    };
    const { logger, close } = createLogger({ dir, level: 'info', console: { format: 'pretty', colors: false, out } });
    logger.info('one');
    logger.info('two');
    await close();
    expect(calls).toBe(1);
    expect(lines(dir).map((l) => l['msg'])).toEqual(['one', 'two']);
  });

  it('reopen: after the files were moved away, lines go to new files at the paths; none lost, none twice', async () => {
    const dir = scratch();
    const { logger, breakerLog, reopen, close } = createLogger({ dir, level: 'info', console: false });
    logger.info('before 1');
    breakerLog.info('trip before');
    logger.info('before 2');
    renameSync(join(dir, 'paper_engine.log'), join(dir, 'paper_engine.log.1'));
    renameSync(join(dir, 'circuit_breaker.log'), join(dir, 'circuit_breaker.log.1'));
    // Between the move and the reopen, lines still reach the moved file.
    logger.info('between');
    reopen();
    logger.info('after');
    breakerLog.info('trip after');
    await close();
    const msgs = (file: string): string[] => raw(dir, file).map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(msgs('paper_engine.log.1')).toEqual(['before 1', 'before 2', 'between']);
    expect(msgs('paper_engine.log')).toEqual(['after']);
    expect(msgs('circuit_breaker.log.1')).toEqual(['trip before']);
    expect(msgs('circuit_breaker.log')).toEqual(['trip after']);
    expect(statSync(join(dir, 'paper_engine.log')).mode & 0o777).toBe(0o600);
  });

  it('reopen refuses a link planted at the path and keeps writing the old file', async () => {
    const dir = scratch();
    const { logger, reopen, close } = createLogger({ dir, level: 'info', console: false });
    logger.info('one');
    renameSync(join(dir, 'paper_engine.log'), join(dir, 'old.log'));
    const victim = join(mkdtempSync(join(tmpdir(), 'victim-')), 'victim.txt');
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, join(dir, 'paper_engine.log'));
    expect(() => reopen()).toThrow(`${join(dir, 'paper_engine.log')} is a symbolic link`);
    logger.info('two');
    await close();
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(readFileSync(join(dir, 'old.log'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['one', 'two']);
  });
});
