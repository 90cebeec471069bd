import { CliError } from '../core/errors.js';
import { commandSpecs } from './commandSpecs.js';
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
  /** With `live`: start every enabled strategy although the live checklist says not ready, for this reason (logged, alerted, recorded). */
  readonly overrideReadiness: string | null;
}

/**
 * The start command's options (commandSpecs.start), checked: a bad flag is a CliError naming it.
 */
export function parseStartArgs(args: string[]): StartArgs {
  const v = parseArgs(args, commandSpecs.start);
  if (v['allow-fresh'] === true && v.restore !== true) throw new CliError('--allow-fresh goes with --restore (a first start with nothing to restore yet)');
  const duration = v.duration === undefined ? null : numberFlag(v.duration, 'duration', 0, (n) => n > 0);
  if (v.mode !== undefined && v.mode !== 'sim' && v.mode !== 'alpaca') throw new CliError(`--mode: must be sim or alpaca, got "${v.mode}"`);
  const override = v['override-readiness'];
  if (override !== undefined && v.live !== true) throw new CliError('--override-readiness goes with --live');
  if (override !== undefined && override.trim() === '') throw new CliError('--override-readiness: give the reason you start live trading although the checklist says not ready');
  return {
    config: v.config,
    restore: v.restore === true,
    allowFresh: v['allow-fresh'] === true,
    verbose: v.verbose === true,
    duration,
    mode: v.mode ?? null,
    live: v.live === true,
    overrideReadiness: override === undefined ? null : override.trim(),
  };
}
