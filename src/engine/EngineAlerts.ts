import type { Logger } from 'pino';
import type { TelegramEnv } from '../config/env.js';
import type { Clock } from '../core/Clock.js';
import { formatPnl } from '../core/formatMoney.js';
import { ControlCommands } from '../control/ControlCommands.js';
import type { ErrorLines } from '../logging/ErrorLines.js';
import { createNotifier } from '../notify/createNotifier.js';
import { ErrorAlerts } from '../notify/ErrorAlerts.js';
import { AlertPriority, type Notifier } from '../notify/Notifier.js';
import { TelegramCommands, type CommandViews } from '../notify/TelegramCommands.js';
import type { Portfolio } from '../portfolio/Portfolio.js';
import type { CircuitBreakers } from '../risk/CircuitBreakers.js';

export interface EngineAlertsOptions {
  readonly telegram: TelegramEnv | null;
  readonly stateDir: string;
  /** `notifications.telegram_on_any_error`: error-level log lines become (throttled) alerts. */
  readonly onAnyError: boolean;
  readonly errorLines: ErrorLines | undefined;
  readonly wallClock: Clock;
  readonly logger: Logger;
}

/**
 * Everything that talks to the owner, in either mode: the notifier (Telegram or the log), the error
 * alerts, the Telegram commands; closed in reverse order with the goodbye message.
 */
export class EngineAlerts {
  readonly notifier: Notifier;
  readonly #o: EngineAlertsOptions;
  readonly #errorAlerts: ErrorAlerts | null = null;
  readonly #unsubscribe: (() => void) | null = null;
  #commands: TelegramCommands | null = null;

  constructor(o: EngineAlertsOptions) {
    this.#o = o;
    this.notifier = createNotifier(o.telegram, o.stateDir, o.wallClock, o.logger);
    if (o.onAnyError && o.errorLines !== undefined) {
      const alerts = new ErrorAlerts(() => this.notifier, o.wallClock);
      this.#errorAlerts = alerts;
      this.#unsubscribe = o.errorLines.subscribe((m, c) => alerts.report(m, c));
    }
  }

  /** The owner's Telegram commands (when a bot is configured): pause and resume act on `breakers`, in market time. */
  startCommands(breakers: CircuitBreakers, marketClock: Clock, views: CommandViews): void {
    if (this.#o.telegram === null) return;
    this.#commands = new TelegramCommands({ env: this.#o.telegram, ...(this.#o.telegram.ownerId === undefined ? {} : { ownerId: this.#o.telegram.ownerId }), control: new ControlCommands(breakers, marketClock), views, clock: this.#o.wallClock, log: this.#o.logger.child({ component: 'telegram' }) });
    this.#commands.start();
  }

  /** No more commands (a stop takes them first, with the other intake, before the final state is saved). */
  async stopCommands(): Promise<void> {
    await this.#commands?.stop();
  }

  /** The goodbye (with the P&L when the daemon traded), the repeats counted, then the notifier. */
  async close(reason: string, portfolio: Portfolio | null): Promise<void> {
    await this.stopCommands();
    if (portfolio !== null) {
      this.notifier.notify({ priority: AlertPriority.Info, text: `⏹ Daemon stopped (${reason}). P&L ${formatPnl(portfolio.equity() - portfolio.startingCash)} (realized ${formatPnl(portfolio.realizedPnl())})` });
    }
    this.#unsubscribe?.();
    this.#errorAlerts?.flush();
    await this.notifier.close();
  }
}
