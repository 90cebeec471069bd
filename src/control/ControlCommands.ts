import type { Clock } from '../core/Clock.js';
import { ACCOUNT, type CircuitBreakers } from '../risk/CircuitBreakers.js';
import type { CircuitBreaker } from '../risk/CircuitBreaker.js';

/** The answer to a command: `ok` false when it could not be done, with a message saying why. */
export interface ControlReply {
  readonly ok: boolean;
  readonly message: string;
}

const USAGE = 'commands: status | pause <strategy|account|all> | resume <strategy|account|all>';

/**
 * The owner's commands to a running daemon, from `npm run ctl` (and later from Telegram): pause or
 * resume a strategy's circuit breaker, the account's, or all of them, and show their states. Times
 * are market time (the breakers count sessions in it).
 */
export class ControlCommands {
  readonly #breakers: CircuitBreakers;
  readonly #clock: Clock;

  constructor(breakers: CircuitBreakers, clock: Clock) {
    this.#breakers = breakers;
    this.#clock = clock;
  }

  run(words: readonly string[], by: string): ControlReply {
    const [command, target, ...rest] = words;
    if (command === 'status' && target === undefined) return { ok: true, message: this.#status() };
    if ((command === 'pause' || command === 'resume') && target !== undefined && rest.length === 0) {
      const scopes = this.#scopes(target);
      if (scopes === null) {
        const known = [ACCOUNT, ...this.#breakers.strategies.map((b) => b.scope)].join(', ');
        return { ok: false, message: `unknown strategy "${target}" (known: ${known}, or all)` };
      }
      const now = this.#clock.now();
      const changed = scopes.filter((b) => (command === 'pause' ? b.pause(now, by) : b.resume(now, by))).map((b) => b.scope);
      const verb = command === 'pause' ? 'paused' : 'resumed';
      return { ok: true, message: changed.length === 0 ? `nothing to do: ${target} is already ${command === 'pause' ? 'paused' : 'armed'}` : `${verb}: ${changed.join(', ')}` };
    }
    return { ok: false, message: USAGE };
  }

  #scopes(target: string): CircuitBreaker[] | null {
    if (target === 'all') return [this.#breakers.account, ...this.#breakers.strategies];
    const b = this.#breakers.get(target);
    return b === undefined ? null : [b];
  }

  #status(): string {
    return [this.#breakers.account, ...this.#breakers.strategies]
      .map((b) => {
        const t = b.trip;
        return t === null ? `${b.scope}: ARMED` : `${b.scope}: PAUSED by ${t.rule} since ${new Date(t.time).toISOString()} (${t.message})`;
      })
      .join('\n');
  }
}
