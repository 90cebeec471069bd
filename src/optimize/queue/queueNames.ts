import { CliError } from '../../core/errors.js';
import type { SweepJob } from '../SweepSetup.js';

/** The BullMQ queue every optimizer and worker shares (one Redis can serve several sweeps at once). */
export const QUEUE_NAME = 'optimize';

/** Where a sweep's bars and settings wait for the workers (deleted when the optimizer is done). */
export const sweepKey = (sweep: string): string => `optimize:sweep:${sweep}`;

/** The job BullMQ carries: which sweep, and the backtest. */
export interface QueueJobData {
  readonly sweep: string;
  readonly job: SweepJob;
}

/** `--queue redis://HOST:PORT[/DB]` (or rediss://): its address for output, without a user or password. */
export function checkRedisUrl(url: string): string {
  let u: URL | null;
  try {
    u = new URL(url);
  } catch {
    u = null;
  }
  if (u === null || (u.protocol !== 'redis:' && u.protocol !== 'rediss:') || u.hostname === '') {
    throw new CliError(`--queue: must be a redis://HOST:PORT address, got "${url.replace(/\/\/[^@/]*@/, '//…@')}"`);
  }
  return `${u.protocol}//${u.host}${u.pathname === '/' || u.pathname === '' ? '' : u.pathname}`;
}
