/** A cancel handle for a scheduled callback. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * Time for domain code. Nothing outside the clock adapters calls Date.now() or setTimeout, so a
 * simulated run is repeatable and tests control time.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `fn` once after `ms` milliseconds of this clock's time. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Calls `fn` every `ms` milliseconds of this clock's time. */
  setInterval(fn: () => void, ms: number): TimerHandle;
}
