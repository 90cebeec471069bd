import { CliError } from '../core/errors.js';
import { numberFlag, parseArgs } from './parseArgs.js';

/** How long a graceful stop may take before the process gives up and exits 1 (a service manager's stop timeout must be longer). */
export const STOP_TIMEOUT_MS = 5_000;

/** The start command's flags, as read. */
export interface StartArgs {
  readonly config: string;
  readonly restore: boolean;
  /** With `restore`: no state file at all is a fresh start, not an error (a service's very first start). */
  readonly allowFresh: boolean;
  readonly verbose: boolean;
  /** Seconds of wall time to run, then stop gracefully; null: until a signal. */
  readonly duration: number | null;
  readonly mode: 'sim' | 'alpaca' | null;
  readonly live: boolean;
}

/**
 * `start [--config FILE] [--restore [--allow-fresh]] [--verbose] [--duration SECONDS] [--mode sim|alpaca] [--live]`,
 * checked: a bad flag is a CliError naming it.
 */
export function parseStartArgs(args: string[]): StartArgs {
  const v = parseArgs(
    args,
    {
      config: { type: 'string', default: 'config/paper-trading.json' },
      restore: { type: 'boolean', default: false },
      'allow-fresh': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      duration: { type: 'string' },
      mode: { type: 'string' },
      live: { type: 'boolean', default: false },
    },
    'start',
  );
  if (v['allow-fresh'] && !v.restore) throw new CliError('--allow-fresh goes with --restore (a first start with nothing to restore yet)');
  const duration = v.duration === undefined ? null : numberFlag(v.duration, 'duration', 0, (n) => n > 0);
  if (v.mode !== undefined && v.mode !== 'sim' && v.mode !== 'alpaca') throw new CliError(`--mode: must be sim or alpaca, got "${v.mode}"`);
  return { config: v.config, restore: v.restore, allowFresh: v['allow-fresh'], verbose: v.verbose, duration, mode: v.mode ?? null, live: v.live };
}
