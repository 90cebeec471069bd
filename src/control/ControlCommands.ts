import type { Clock } from '../core/Clock.js';
import { formatEt } from '../market-data/formatEt.js';
import { ACCOUNT, type CircuitBreakers } from '../risk/CircuitBreakers.js';
import type { CircuitBreaker } from '../risk/CircuitBreaker.js';

/** The answer to a command: `ok` false when it could not be done, with a message saying why. */
export interface ControlReply {
  readonly ok: boolean;
  readonly message: string;
}

const USAGE = 'commands: status | pause <strategy|account|all> | resume <strategy|account|all> | flatten <strategy>';

/**
 * The owner's commands to a running daemon, from `npm run ctl` (and later from Telegram): pause or
 * resume a strategy's circuit breaker, the account's, or all of them, and show their states. Times
 * are market time (the breakers count sessions in it).
 */
export class ControlCommands {
  readonly #breakers: CircuitBreakers;
  readonly #clock: Clock;
  readonly #flatten: ((strategyId: string, reason: string) => number) | null;

  /** `flatten` cancels a strategy's orders and closes its positions (the trading core's); without it the command is not offered. */
  constructor(breakers: CircuitBreakers, clock: Clock, flatten: ((strategyId: string, reason: string) => number) | null = null) {
    this.#breakers = breakers;
    this.#clock = clock;
    this.#flatten = flatten;
  }

  run(words: readonly string[], by: string): ControlReply {
    const [command, target, ...rest] = words;
    if (command === 'status' && target === undefined) return { ok: true, message: this.#status() };
    if ((command === 'pause' || command === 'resume') && target !== undefined && rest.length === 0) {
      const scopes = this.#scopes(target);
      if (scopes === null) return { ok: false, message: this.unknownTarget(target)! };
      const now = this.#clock.now();
      const changed = scopes.filter((b) => (command === 'pause' ? b.pause(now, by) : b.resume(now, by))).map((b) => b.scope);
      const verb = command === 'pause' ? 'paused' : 'resumed';
      return { ok: true, message: changed.length === 0 ? `nothing to do: ${target} is already ${command === 'pause' ? 'paused' : 'armed'}` : `${verb}: ${changed.join(', ')}` };
    }
    if (command === 'flatten' && target !== undefined && rest.length === 0 && this.#flatten !== null) return this.#flattenOne(target, by);
    return { ok: false, message: USAGE };
  }

  /** Why `target` cannot be paused or resumed (no such strategy), or null when it can. */
  unknownTarget(target: string): string | null {
    if (this.#scopes(target) !== null) return null;
    const known = [ACCOUNT, ...this.#breakers.strategies.map((b) => b.scope)].join(', ');
    return `unknown strategy "${target}" (known: ${known}, or all)`;
  }

  /**
   * Retires a strategy's exposure: its breaker paused by hand first (no new entries), then every
   * order of it canceled and each position closed at market (exits pass a paused breaker, unless
   * its action is halt_all).
   */
  #flattenOne(target: string, by: string): ControlReply {
    const b = this.#breakers.get(target);
    if (b === undefined || target === ACCOUNT) {
      return { ok: false, message: `flatten takes one strategy (known: ${this.#breakers.strategies.map((x) => x.scope).join(', ')})` };
    }
    const now = this.#clock.now();
    b.pause(now, by);
    const canceled = this.#flatten!(target, `flatten by hand (${by})`);
    const halted = b.limits.action === 'halt_all' ? '; its breaker action is halt_all, so the closing orders wait until it is resumed' : '';
    return { ok: true, message: `${target}: paused, ${canceled} open order(s) canceled, positions being closed at market${halted}` };
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
        return t === null ? `${b.scope}: ARMED` : `${b.scope}: PAUSED by ${t.rule} since ${formatEt(t.time)} (${t.message})`;
      })
      .join('\n');
  }
}
