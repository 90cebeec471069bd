import { seededUuid } from '../../core/seededRandom.js';
import { invalid, notFound } from '../http/ApiError.js';

export interface Watchlist {
  readonly id: string;
  name: string;
  readonly createdAt: number;
  updatedAt: number;
  /** In the order the client gave them. */
  symbols: string[];
}

export interface WatchlistChanges {
  readonly name?: string;
  readonly symbols?: readonly string[];
}

/**
 * The account's watchlists (Alpaca's CRUD on /v2/watchlists): named lists of assets, addressed by id or
 * by name. Names are 1 to 64 characters and unique; every symbol must be an asset the emulator
 * replays; a symbol is in a list at most once (422 otherwise); an unknown list or symbol is a 404.
 */
export class Watchlists {
  readonly #lists: Watchlist[] = [];
  readonly #o: { readonly random: () => number; readonly now: () => number; readonly isAsset: (symbol: string) => boolean };

  constructor(o: { readonly random: () => number; readonly now: () => number; readonly isAsset: (symbol: string) => boolean }) {
    this.#o = o;
  }

  list(): readonly Watchlist[] {
    return this.#lists;
  }

  get(id: string): Watchlist {
    return this.#lists.find((w) => w.id === id) ?? notFoundList();
  }

  byName(name: string | null): Watchlist {
    if (name === null || name === '') throw invalid('name is required');
    return this.#lists.find((w) => w.name === name) ?? notFoundList();
  }

  create(c: WatchlistChanges): Watchlist {
    const name = this.#name(c.name, undefined);
    const now = this.#o.now();
    const w: Watchlist = { id: seededUuid(this.#o.random), name, createdAt: now, updatedAt: now, symbols: this.#symbols(c.symbols ?? []) };
    this.#lists.push(w);
    return w;
  }

  /** PUT: a new name and/or a new content (the list is replaced). */
  update(w: Watchlist, c: WatchlistChanges): Watchlist {
    const name = c.name === undefined ? w.name : this.#name(c.name, w);
    const symbols = c.symbols === undefined ? w.symbols : this.#symbols(c.symbols);
    w.name = name;
    w.symbols = symbols;
    w.updatedAt = this.#o.now();
    return w;
  }

  add(w: Watchlist, symbol: unknown): Watchlist {
    if (typeof symbol !== 'string' || symbol === '') throw invalid('symbol is required');
    if (!this.#o.isAsset(symbol)) throw invalid(`asset not found: ${symbol}`);
    if (w.symbols.includes(symbol)) throw invalid(`${symbol} is already in watchlist "${w.name}"`);
    w.symbols.push(symbol);
    w.updatedAt = this.#o.now();
    return w;
  }

  remove(w: Watchlist, symbol: string): Watchlist {
    if (!w.symbols.includes(symbol)) throw notFound(`${symbol} is not in watchlist "${w.name}"`);
    w.symbols = w.symbols.filter((s) => s !== symbol);
    w.updatedAt = this.#o.now();
    return w;
  }

  delete(w: Watchlist): void {
    this.#lists.splice(this.#lists.indexOf(w), 1);
  }

  #name(name: unknown, self: Watchlist | undefined): string {
    if (typeof name !== 'string' || name === '') throw invalid('name is required');
    if (name.length > 64) throw invalid('name is up to 64 characters');
    if (this.#lists.some((w) => w !== self && w.name === name)) throw invalid(`watchlist name "${name}" is not unique`);
    return name;
  }

  #symbols(symbols: readonly unknown[]): string[] {
    const out: string[] = [];
    for (const s of symbols) {
      if (s === null) continue;
      if (typeof s !== 'string' || !this.#o.isAsset(s)) throw invalid(`asset not found: ${String(s)}`);
      if (out.includes(s)) throw invalid(`${s} is listed twice`);
      out.push(s);
    }
    return out;
  }
}

function notFoundList(): never {
  throw notFound('watchlist not found');
}
