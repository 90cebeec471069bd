import type { LegKind } from '../../core/Order.js';

/** The part of an Alpaca order (as the SDK hands it over) that names its legs. */
export interface WithLegs {
  readonly id?: string | undefined;
  readonly clientOrderId?: string | undefined;
  readonly orderClass?: string | undefined;
  readonly legs?: ReadonlyArray<{ readonly id?: string | undefined; readonly type?: string | undefined }> | null | undefined;
}

/** A bracket's stop-loss is a stop (or stop-limit) sell, its take-profit a limit sell. */
export function legKindOf(type: string | undefined): LegKind {
  return type === 'limit' ? 'tp' : type === 'trailing_stop' ? 'ts' : 'sl';
}

/**
 * Alpaca gives a bracket's exits (legs) ids and client order ids of its own. This map names each
 * leg by its entry's client order id with `-sl` / `-tp`, so its events belong to the entry's
 * strategy; it is saved with the broker's books so a restart still knows them.
 */
export class LegMap {
  /** Alpaca's leg id → the leg's client order id here. */
  readonly #legs = new Map<string, string>();
  /** Client order ids of the entries whose legs are expected. */
  readonly #parents = new Set<string>();
  /** Those whose legs are not named yet → Alpaca's id of the entry when known. */
  readonly #unnamed = new Map<string, string | null>();

  /** An entry with exits was sent (or restored): its legs will be named after it. */
  expect(parentClientOrderId: string): void {
    if (this.#parents.has(parentClientOrderId)) return;
    this.#parents.add(parentClientOrderId);
    this.#unnamed.set(parentClientOrderId, null);
  }

  isParent(clientOrderId: string): boolean {
    return this.#parents.has(clientOrderId);
  }

  cidOf(orderId: string): string | undefined {
    return this.#legs.get(orderId);
  }

  has(orderId: string): boolean {
    return this.#legs.has(orderId);
  }

  /**
   * A bracket or OTO order seen with its legs (a POST answer, a lookup with nested=true): they get
   * their names (whose orders they are is the ExecutionService's call, by those names).
   */
  learn(o: WithLegs): void {
    const cid = o.clientOrderId;
    if (cid === undefined || cid === '') return;
    const legs = o.legs ?? [];
    // Only a bracket's or an OTO's legs are protective exits (a multi-leg options order's are not).
    if (legs.length > 0 && (this.#parents.has(cid) || o.orderClass === 'bracket' || o.orderClass === 'oto')) {
      for (const leg of legs) if (leg.id !== undefined) this.#legs.set(leg.id, `${cid}-${legKindOf(leg.type)}`);
      this.#parents.add(cid);
      this.#unnamed.delete(cid);
    } else if (this.#unnamed.has(cid) && o.id !== undefined) this.#unnamed.set(cid, o.id);
  }

  /** Expected entries whose legs are not named yet, with Alpaca's id when known: ask Alpaca for them when an unknown leg is heard. */
  unnamed(): Array<readonly [string, string | null]> {
    return [...this.#unnamed];
  }

  /** An order that is over: a leg has no more events; an entry that filled nothing will have no legs. */
  forget(orderId: string, clientOrderId: string, filledNothing: boolean): void {
    this.#legs.delete(orderId);
    if (filledNothing) this.#unnamed.delete(clientOrderId);
  }

  toData(): Array<{ orderId: string; clientOrderId: string }> {
    return [...this.#legs].map(([orderId, clientOrderId]) => ({ orderId, clientOrderId }));
  }

  restore(legs: ReadonlyArray<{ readonly orderId: string; readonly clientOrderId: string }>): void {
    for (const l of legs) this.#legs.set(l.orderId, l.clientOrderId);
  }
}
