import type { Clock, TimerHandle } from '../../core/Clock.js';
import type { ApiName, Fault, StreamName } from './Fault.js';

const covers = (target: 'trading' | 'data' | 'all', name: StreamName | ApiName): boolean => target === 'all' || target === name;

/**
 * The faults in force and what they do to the next request, connection or frame. The servers ask;
 * this class only keeps the counts and deadlines (wall-clock time).
 */
export class Faults {
  readonly #wall: Clock;
  readonly #drop: (stream: StreamName) => void;
  readonly #silentUntil = { trading: 0, data: 0 };
  readonly #refusal = { trading: { until: 0, status: 429 }, data: { until: 0, status: 406 } };
  readonly #httpErrors: Array<{ api: 'trading' | 'data' | 'all'; status: number; left: number }> = [];
  readonly #latency: Array<{ api: 'trading' | 'data' | 'all'; ms: number; until: number }> = [];
  readonly #rejections: Array<'http' | 'stream'> = [];
  #lostResponses = 0;
  #stalledUntil = 0;
  readonly #timers: TimerHandle[] = [];
  readonly #history: Array<Fault & { readonly at: string }> = [];

  constructor(wall: Clock, drop: (stream: StreamName) => void) {
    this.#wall = wall;
    this.#drop = drop;
  }

  apply(f: Fault): void {
    const now = this.#wall.now();
    this.#history.push({ ...f, at: new Date(now).toISOString() });
    switch (f.type) {
      case 'drop_stream': {
        const streams: StreamName[] = f.stream === 'all' ? ['trading', 'data'] : [f.stream];
        const dropAll = (): void => streams.forEach((s) => this.#drop(s));
        dropAll();
        if (f.every !== undefined) this.#timers.push(this.#wall.setInterval(dropAll, f.every * 1000));
        return;
      }
      case 'silence_stream':
        for (const s of ['trading', 'data'] as const) if (covers(f.stream, s)) this.#silentUntil[s] = now + f.seconds * 1000;
        return;
      case 'refuse_connections':
        for (const s of ['trading', 'data'] as const) if (covers(f.stream, s)) this.#refusal[s] = { until: now + f.seconds * 1000, status: f.status };
        return;
      case 'http_errors':
        this.#httpErrors.push({ api: f.api, status: f.status, left: f.count });
        return;
      case 'latency':
        this.#latency.push({ api: f.api, ms: f.ms, until: f.seconds === undefined ? Number.POSITIVE_INFINITY : now + f.seconds * 1000 });
        return;
      case 'reject_orders':
        for (let i = 0; i < f.count; i++) this.#rejections.push(f.via);
        return;
      case 'lose_order_responses':
        this.#lostResponses += f.count;
        return;
      case 'stall_fills':
        this.#stalledUntil = f.seconds === undefined ? Number.POSITIVE_INFINITY : now + f.seconds * 1000;
        return;
    }
  }

  /** Ends every fault (repeating drops included). */
  clear(): void {
    for (const t of this.#timers.splice(0)) t.cancel();
    this.#silentUntil.trading = this.#silentUntil.data = 0;
    this.#refusal.trading.until = this.#refusal.data.until = 0;
    this.#httpErrors.length = 0;
    this.#latency.length = 0;
    this.#rejections.length = 0;
    this.#lostResponses = 0;
    this.#stalledUntil = 0;
  }

  /** Faults applied since start, for GET /admin/faults. */
  history(): ReadonlyArray<Fault & { readonly at: string }> {
    return this.#history;
  }

  silenced(stream: StreamName): boolean {
    return this.#wall.now() < this.#silentUntil[stream];
  }

  /** The refusal new connections to `stream` get now, if any. */
  refusal(stream: StreamName): number | null {
    const r = this.#refusal[stream];
    return this.#wall.now() < r.until ? r.status : null;
  }

  /** The error status the next request to `api` gets, if a burst is under way (counts it). */
  takeHttpError(api: ApiName): number | null {
    const i = this.#httpErrors.findIndex((e) => covers(e.api, api));
    if (i === -1) return null;
    const e = this.#httpErrors[i]!;
    if (--e.left === 0) this.#httpErrors.splice(i, 1);
    return e.status;
  }

  latency(api: ApiName): number {
    const now = this.#wall.now();
    let ms = 0;
    for (const l of this.#latency) if (covers(l.api, api) && now < l.until) ms = Math.max(ms, l.ms);
    return ms;
  }

  /** How the next order is to be rejected, if it is (counts it). */
  takeRejection(): 'http' | 'stream' | null {
    return this.#rejections.shift() ?? null;
  }

  /** Whether the venue matches no order now (a `stall_fills` in force). */
  fillsStalled(): boolean {
    return this.#wall.now() < this.#stalledUntil;
  }

  /** Whether the answer to the order just created is to be lost (counts it). */
  takeLostResponse(): boolean {
    if (this.#lostResponses === 0) return false;
    this.#lostResponses--;
    return true;
  }
}
