import { resolve } from 'node:path';
import type { DaemonConfig } from '../config/configSchema.js';
import { CliError } from '../core/errors.js';
import type { ReadinessReport } from './buildReadinessReport.js';
import { paperRecordDir } from './readinessOf.js';

/** What a live start runs: the configuration with the strategies that are not ready disabled, and what to say. */
export interface LiveGate {
  readonly config: DaemonConfig;
  readonly started: readonly string[];
  readonly held: readonly string[];
  /** The override's reason; null when the checklist decided. */
  readonly override: string | null;
  /** For the terminal and the log. */
  readonly lines: readonly string[];
}

const fails = (r: ReadinessReport, id: string): string => {
  const s = r.strategies.find((x) => x.id === id);
  return s === undefined ? 'not judged' : `fails ${s.items.filter((i) => !i.pass).map((i) => i.item).join(', ')}`;
};

/**
 * Real money goes only to strategies whose paper record passes the live checklist: the others are
 * held back (disabled for this run). `override` (`--override-readiness "<reason>"`) starts every
 * enabled strategy anyway; the reason is logged, alerted and recorded with the run (runs.json).
 * The paper record must lie in another state directory than the live run's own, which a fresh
 * start would otherwise archive.
 */
export function liveGate(config: DaemonConfig, report: ReadinessReport, override: string | null, configFile: string): LiveGate {
  if (resolve(paperRecordDir(config)) === resolve(config.state.dir)) {
    throw new CliError(
      `${configFile}: live trading keeps its own state: set live.paper_state_dir to the paper daemon's state directory and give this configuration a state.dir of its own (now both are ${config.state.dir})`,
    );
  }
  const enabled = config.strategies.filter((s) => s.enabled).map((s) => s.id);
  const ready = report.strategies.filter((s) => s.ready).map((s) => s.id);
  if (override !== null) {
    const notReady = enabled.filter((id) => !ready.includes(id));
    return {
      config,
      started: enabled,
      held: [],
      override,
      lines: [
        `LIVE READINESS OVERRIDDEN (${override}): starting ${enabled.join(', ')}`,
        ...notReady.map((id) => `  ${id} is not ready (${fails(report, id)}; npm run readiness -- --config ${configFile})`),
      ],
    };
  }
  const held = enabled.filter((id) => !ready.includes(id));
  if (ready.length === 0) {
    throw new CliError(
      `--live: no strategy passes the live checklist (${held.map((id) => `${id} ${fails(report, id)}`).join('; ')}): see npm run readiness -- --config ${configFile}; ` +
        '--override-readiness "<reason>" starts them anyway (logged, alerted, recorded)',
    );
  }
  return {
    config: { ...config, strategies: config.strategies.map((s) => (held.includes(s.id) ? { ...s, enabled: false } : s)) },
    started: ready,
    held,
    override: null,
    lines: [`live readiness: starting ${ready.join(', ')}`, ...held.map((id) => `  held back, not ready: ${id} (${fails(report, id)})`)],
  };
}
