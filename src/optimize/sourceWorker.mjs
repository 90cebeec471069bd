// The optimizer's worker thread when the code runs from its TypeScript source (tests, the bench):
// tsx compiles optimizeWorker.ts for the thread. The built dist/optimizeWorker.js needs none of this.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.entry, import.meta.url);
