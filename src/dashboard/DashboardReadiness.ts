import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../core/Clock.js';
import type { ReadinessReport } from '../readiness/buildReadinessReport.js';
import { readinessVerdicts, type ReadinessView } from './readinessVerdicts.js';

/** How often the verdicts are judged again: the record changes slowly (a day's trading moves it a little). */
export const READINESS_INTERVAL_MS = 5 * 60_000;

export interface DashboardReadinessOptions {
  /** Judges the live checklist from the saved paper record (readinessOf without the fill comparison). */
  readonly judge: () => Promise<ReadinessReport>;
  /** Wall-clock time: when to judge again, and when it was judged. */
  readonly clock: Clock;
  readonly logger: Logger;
  /** Called when the view changed (the page gets it pushed). */
  readonly onChange: () => void;
  readonly intervalMs?: number;
}

/**
 * The dashboard's readiness verdicts: judged from the saved record shortly after the start and
 * every `intervalMs` after, on a timer of their own (a verdict never waits on, or holds up, a bar or
 * an order); one judgement at a time. A failure is shown as unavailable with its reason, never thrown.
 */
export class DashboardReadiness {
  readonly #o: DashboardReadinessOptions;
  #view: ReadinessView = { state: 'pending' };
  #timers: TimerHandle[] = [];
  #running = false;
  #stopped = false;

  constructor(o: DashboardReadinessOptions) {
    this.#o = o;
  }

  view(): ReadinessView {
    return this.#view;
  }

  /** Judges once soon (not inside the caller's turn) and then every interval. */
  start(): void {
    this.#stopped = false;
    this.#timers = [this.#o.clock.setTimeout(() => void this.refresh(), 0), this.#o.clock.setInterval(() => void this.refresh(), this.#o.intervalMs ?? READINESS_INTERVAL_MS)];
  }

  stop(): void {
    this.#stopped = true;
    for (const t of this.#timers) t.cancel();
    this.#timers = [];
  }

  /** Judges now unless a judgement is still running; resolves when done. */
  async refresh(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      const report = await this.#o.judge();
      if (!this.#stopped) this.#view = readinessVerdicts(report, this.#o.clock.now());
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.#o.logger.warn({ err: error }, `dashboard: live readiness unavailable: ${reason}`);
      if (!this.#stopped) this.#view = { state: 'unavailable', reason, at: this.#o.clock.now() };
    } finally {
      this.#running = false;
    }
    if (!this.#stopped) this.#o.onChange();
  }
}
