import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../core/Clock.js';
import type { ReadinessReport } from '../readiness/buildReadinessReport.js';
import { readinessVerdicts, type ReadinessView } from './readinessVerdicts.js';

/**
 * How long after a session's close the verdicts are judged again: the close is saved on the engine's
 * next turn, the judgement reads what was saved.
 */
export const READINESS_AFTER_CLOSE_MS = 5_000;

export interface DashboardReadinessOptions {
  /** Judges the live checklist from the saved paper record (readinessOf without the fill comparison). */
  readonly judge: () => Promise<ReadinessReport>;
  /** Wall-clock time: when to judge, and when it was judged. */
  readonly clock: Clock;
  readonly logger: Logger;
  /** Called when the view changed (the page gets it pushed). */
  readonly onChange: () => void;
}

/**
 * The dashboard's readiness verdicts, judged from the saved record shortly after the start and after
 * each session's close: the checklist is about trading days (their count, daily returns, drawdown,
 * trades a day), so only a close moves it, and reading a months-long record (~0.2 s for 36,000
 * closed trades) happens once a day, when the market is shut, rather than beside live bars. On a
 * timer of its own (a verdict never waits on, or holds up, a bar or an order); one judgement at a
 * time. A failure is shown as unavailable with its reason, never thrown.
 */
export class DashboardReadiness {
  readonly #o: DashboardReadinessOptions;
  #view: ReadinessView = { state: 'pending' };
  #timer: TimerHandle | null = null;
  #running = false;
  #stopped = false;

  constructor(o: DashboardReadinessOptions) {
    this.#o = o;
  }

  view(): ReadinessView {
    return this.#view;
  }

  /** Judges once soon (not inside the caller's turn). */
  start(): void {
    this.#stopped = false;
    this.#soon(0);
  }

  /** A session closed: judges again once its close is saved. */
  sessionClosed(): void {
    if (!this.#stopped) this.#soon(READINESS_AFTER_CLOSE_MS);
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = null;
  }

  #soon(ms: number): void {
    this.#timer?.cancel();
    this.#timer = this.#o.clock.setTimeout(() => {
      this.#timer = null;
      void this.refresh();
    }, ms);
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
