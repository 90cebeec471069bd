/** The error-level log lines, for whoever wants to hear of them (the error alerts). */
export class ErrorLines {
  #listeners: ReadonlyArray<(message: string, component: string | undefined) => void> = [];

  readonly emit = (message: string, component: string | undefined): void => {
    for (const l of this.#listeners) l(message, component);
  };

  subscribe(listener: (message: string, component: string | undefined) => void): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }
}
