/**
 * A worker thread of the optimizer: takes the shared bars and the sweep's settings once (workerData),
 * then runs one combination per message and posts its result back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runCombination } from './runCombination.js';
import { sweepStrategy } from './sweepStrategy.js';
import type { SharedTape } from './SharedTape.js';
import type { SweepJob, SweepSetup } from './SweepSetup.js';

const { tape, setup } = workerData as { tape: SharedTape; setup: SweepSetup };
const port = parentPort!;
// A strategy module of your own is compiled here, once, before the first combination (messages wait).
const loading = sweepStrategy(setup);
port.on('message', (job: SweepJob) => {
  void loading.then(
    (create) => {
      try {
        port.postMessage({ ok: true, result: runCombination(tape, setup, job, create) });
      } catch (error) {
        port.postMessage({ ok: false, index: job.index, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    },
    (error: unknown) => port.postMessage({ ok: false, index: job.index, error: error instanceof Error ? error.message : String(error) }),
  );
});
