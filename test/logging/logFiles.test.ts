import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnsafePathError } from '../../src/core/UnsafePathError.js';
import { createLogger } from '../../src/logging/createLogger.js';

const mode = (p: string): number => statSync(p).mode & 0o777;
const scratch = (): string => mkdtempSync(join(tmpdir(), 'log-files-'));

describe('log files are the owner’s only, whatever the umask', () => {
  let umask = 0;
  beforeEach(() => {
    umask = process.umask(0);
  });
  afterEach(() => {
    process.umask(umask);
  });

  it('creates the logs directory 0700 and both log files 0600 under umask 000', async () => {
    const dir = join(scratch(), 'logs');
    const { logger, breakerLog, close } = createLogger({ dir, level: 'info', console: false });
    logger.info('one');
    breakerLog.info('trip');
    await close();
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'paper_engine.log'))).toBe(0o600);
    expect(mode(join(dir, 'circuit_breaker.log'))).toBe(0o600);
    expect(readFileSync(join(dir, 'paper_engine.log'), 'utf8')).toContain('"msg":"one"');
    expect(readFileSync(join(dir, 'circuit_breaker.log'), 'utf8')).toContain('"msg":"trip"');
  });

  it('tightens a logs directory and log files an older version left readable by all, and appends to them', async () => {
    const dir = join(scratch(), 'logs');
    mkdirSync(dir, { mode: 0o755 });
    writeFileSync(join(dir, 'paper_engine.log'), '{"msg":"before"}\n', { mode: 0o644 });
    writeFileSync(join(dir, 'circuit_breaker.log'), '', { mode: 0o666 });
    const { logger, close } = createLogger({ dir, level: 'info', console: false });
    logger.info('after');
    await close();
    expect([mode(dir), mode(join(dir, 'paper_engine.log')), mode(join(dir, 'circuit_breaker.log'))]).toEqual([0o700, 0o600, 0o600]);
    expect(readFileSync(join(dir, 'paper_engine.log'), 'utf8')).toMatch(/^\{"msg":"before"\}\n.*"msg":"after"/);
  });

  it('refuses a symbolic link planted at a log file; the file it points to is untouched', () => {
    const dir = scratch();
    const victim = join(scratch(), 'victim.txt');
    writeFileSync(victim, 'precious\n');
    chmodSync(victim, 0o644);
    const link = join(dir, 'circuit_breaker.log');
    symlinkSync(victim, link);
    expect(() => createLogger({ dir, level: 'info', console: false })).toThrow(new UnsafePathError(`${link} is a symbolic link; the daemon does not write through links (remove it: the file it points to was left untouched)`, link));
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(mode(victim)).toBe(0o644);
  });

  it('refuses a logs directory that is a symbolic link or another user’s', () => {
    const base = scratch();
    mkdirSync(join(base, 'real'));
    symlinkSync(join(base, 'real'), join(base, 'logs'));
    expect(() => createLogger({ dir: join(base, 'logs'), level: 'info', console: false })).toThrow(`logging.dir: ${join(base, 'logs')} is a symbolic link`);
    let theirs = '/';
    if (process.getuid?.() === 0) {
      theirs = join(base, 'theirs');
      mkdirSync(theirs);
      chownSync(theirs, 65534, 65534);
    }
    expect(() => createLogger({ dir: theirs, level: 'info', console: false })).toThrow(`logging.dir: ${theirs} belongs to another user`);
  });
});
