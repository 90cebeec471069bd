import { DaemonPhase, type DashboardSource } from './DashboardSource.js';

export interface HealthVerdict {
  readonly ok: boolean;
  readonly phase: DaemonPhase;
  /** Why not healthy, one line each (empty when healthy). */
  readonly reasons: readonly string[];
  readonly broker: string;
  readonly feed: string;
}

/**
 * Healthy: the daemon is trading (its start completed, no stop begun), the broker can be relied on
 * and the data feed is live (offline: the replay plays or has ended). Anything else is unhealthy,
 * with the reason, for /healthz (503) and the page.
 */
export function healthVerdict(source: DashboardSource): HealthVerdict {
  const phase = source.phase();
  const h = source.health();
  const reasons: string[] = [];
  if (phase === DaemonPhase.Starting) reasons.push('the daemon is starting (connecting, warming up)');
  if (phase === DaemonPhase.Stopping) reasons.push('the daemon is stopping');
  if (h.broker !== null) reasons.push(`broker: ${h.broker}`);
  if (h.feedProblem !== null) reasons.push(`data feed: ${h.feedProblem}`);
  return { ok: reasons.length === 0, phase, reasons, broker: h.broker === null ? 'ok' : h.broker, feed: h.feed };
}
