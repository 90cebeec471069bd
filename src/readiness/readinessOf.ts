import type { Logger } from 'pino';
import type { DaemonConfig } from '../config/configSchema.js';
import type { DaemonEnv } from '../config/env.js';
import { StaticNyseCalendar } from '../risk/calendar/StaticNyseCalendar.js';
import type { StrategyCatalog } from '../strategies/StrategyCatalog.js';
import { buildReadinessReport, type ReadinessReport } from './buildReadinessReport.js';
import { readPaperRecord } from './readPaperRecord.js';

/** The paper record a configuration is judged on: `live.paper_state_dir` (a live configuration names its paper daemon's), else its own `state.dir`. */
export function paperRecordDir(config: DaemonConfig): string {
  return config.live?.paper_state_dir ?? config.state.dir;
}

/** The live checklist of a configuration's enabled strategies (or those named), from the paper record on disk. */
export async function readinessOf(
  config: DaemonConfig,
  o: { readonly env: DaemonEnv; readonly strategyIds?: readonly string[]; readonly now: number; readonly logger: Logger; readonly measureFills?: boolean; readonly strategies?: StrategyCatalog },
): Promise<ReadinessReport> {
  const recordDir = paperRecordDir(config);
  const record = readPaperRecord({ stateDir: recordDir, logDir: config.logging.dir });
  return buildReadinessReport({
    config,
    ...(o.strategyIds === undefined ? {} : { strategyIds: o.strategyIds }),
    record,
    recordDir,
    telegram: o.env.telegram !== null,
    feed: o.env.alpaca?.feed ?? 'iex',
    calendar: new StaticNyseCalendar(),
    now: o.now,
    logger: o.logger,
    ...(o.measureFills === undefined ? {} : { measureFills: o.measureFills }),
    ...(o.strategies === undefined ? {} : { createStrategy: (spec) => o.strategies!.create(spec), sourceOf: (type: string) => o.strategies!.userSource(type) }),
  });
}
