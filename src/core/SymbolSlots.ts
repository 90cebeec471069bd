/**
 * Symbols numbered 0, 1, 2 … in the order they are first named. Per-symbol state on the per-bar
 * path lives in arrays indexed by these numbers: a bar costs one Map lookup where its symbol is
 * numbered, and none in the parts that share the numbering (a strategy's runner, ledger and open
 * orders). A symbol never seen before gets the next number.
 */
export class SymbolSlots {
  readonly #slots = new Map<string, number>();
  readonly #symbols: string[] = [];

  constructor(symbols: Iterable<string> = []) {
    for (const s of symbols) this.slot(s);
  }

  get size(): number {
    return this.#symbols.length;
  }

  /** The number of `symbol` (a new one for a symbol not seen before). */
  slot(symbol: string): number {
    const k = this.#slots.get(symbol);
    if (k !== undefined) return k;
    const next = this.#symbols.length;
    this.#slots.set(symbol, next);
    this.#symbols.push(symbol);
    return next;
  }

  /** The number of `symbol`, undefined when it has none. */
  find(symbol: string): number | undefined {
    return this.#slots.get(symbol);
  }

  symbolAt(slot: number): string {
    return this.#symbols[slot]!;
  }
}
