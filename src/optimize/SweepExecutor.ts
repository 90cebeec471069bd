import type { CombinationResult } from './runCombination.js';
import type { SweepJob } from './SweepSetup.js';

/** Runs a sweep's backtests somewhere (threads of this process, or workers behind a queue). */
export interface SweepExecutor {
  /** Every job's result, in the order of `jobs`; `progress` after each one finished. */
  run(jobs: readonly SweepJob[], progress: (done: number) => void): Promise<CombinationResult[]>;
  close(): Promise<void>;
}
