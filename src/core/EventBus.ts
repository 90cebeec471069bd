type Handler<T> = (payload: T) => void;

/**
 * A typed, synchronous, in-process event bus. Handlers run in subscription order. An event emitted
 * while another is being dispatched waits until that dispatch ends (FIFO), so every handler sees
 * events in the order they happened and a run is deterministic.
 *
 * A throwing handler does not stop the others: its error goes to `onHandlerError`, which the engine
 * points at its logger (strategy code has its own boundary in the runner).
 */
export class EventBus<Events extends object> {
  #handlers = new Map<keyof Events, Handler<never>[]>();
  #queue: unknown[] = [];
  #dispatching = false;
  readonly #onHandlerError: (error: unknown, type: keyof Events) => void;

  constructor(onHandlerError: (error: unknown, type: keyof Events) => void) {
    this.#onHandlerError = onHandlerError;
  }

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof Events>(type: K, handler: Handler<Events[K]>): () => void {
    const list = this.#handlers.get(type) ?? [];
    this.#handlers.set(type, [...list, handler as Handler<never>]);
    return () => {
      const current = this.#handlers.get(type) ?? [];
      this.#handlers.set(
        type,
        current.filter((h) => h !== handler),
      );
    };
  }

  emit<K extends keyof Events>(type: K, payload: Events[K]): void {
    if (this.#dispatching) {
      // Flat pairs, not tuples: emitting allocates nothing on the hot path.
      this.#queue.push(type, payload);
      return;
    }
    this.#dispatching = true;
    try {
      this.#dispatch(type, payload);
      for (let i = 0; i < this.#queue.length; i += 2) this.#dispatch(this.#queue[i] as keyof Events, this.#queue[i + 1]);
    } finally {
      // Popped, not truncated by a length store (a call into the runtime on every busy bar).
      const queue = this.#queue;
      while (queue.length > 0) queue.pop();
      this.#dispatching = false;
    }
  }

  #dispatch(type: keyof Events, payload: unknown): void {
    const handlers = this.#handlers.get(type);
    if (handlers === undefined) return;
    for (let i = 0; i < handlers.length; i++) {
      try {
        (handlers[i] as Handler<unknown>)(payload);
      } catch (error) {
        this.#onHandlerError(error, type);
      }
    }
  }
}
