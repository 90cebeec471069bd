/**
 * A worker thread of the optimizer: takes the shared bars and the sweep's settings once (workerData),
 * then runs one combination per message and posts its result back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runCombination } from './runCombination.js';
import type { SharedTape } from './SharedTape.js';
import type { SweepJob, SweepSetup } from './SweepSetup.js';

const { tape, setup } = workerData as { tape: SharedTape; setup: SweepSetup };
const port = parentPort!;
port.on('message', (job: SweepJob) => {
  try {
    port.postMessage({ ok: true, result: runCombination(tape, setup, job) });
  } catch (error) {
    port.postMessage({ ok: false, index: job.index, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
