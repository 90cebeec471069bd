/** What the emulator's admin `/admin/books` returns. */
export interface VenueBooks {
  readonly orders: ReadonlyArray<{ client_order_id: string; symbol: string; side: 'buy' | 'sell'; status: string; filled_qty: number; filled_avg_price: number | null }>;
  readonly positions: ReadonlyArray<{ symbol: string; qty: number }>;
  readonly cash: number;
}

/** The part of the daemon's state file the checks read. */
export interface StateBooks {
  readonly strategies: Readonly<
    Record<
      string,
      {
        readonly capital: number;
        readonly circuitBreaker: { readonly state: string } | null;
        readonly ledger: { readonly cash: number; readonly positions: ReadonlyArray<{ symbol: string; qty: number }> };
      }
    >
  >;
}

export interface Check {
  readonly pass: boolean;
  readonly detail: string;
}

const CENT = 0.005;

/** The strategy a client order id names (`<strategy>-<run>-<seq>` and a bracket leg's `-sl`/`-tp`/`-ts`), null if none of ours. */
export function strategyOf(cid: string, strategies: ReadonlySet<string>): string | null {
  const m = /^([a-z0-9][a-z0-9_]*)-[a-z0-9]+-\d+(?:-(?:sl|tp|ts))?$/.exec(cid);
  return m !== null && strategies.has(m[1]!) ? m[1]! : null;
}

/** No client order id twice, and none that no strategy of the configuration sent. */
export function uniqueIntendedOrders(venue: VenueBooks, strategies: ReadonlySet<string>): Check {
  const ids = venue.orders.map((o) => o.client_order_id);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  const foreign = ids.filter((id) => strategyOf(id, strategies) === null);
  const problems = [...(twice.length > 0 ? [`used twice: ${[...new Set(twice)].join(', ')}`] : []), ...(foreign.length > 0 ? [`not a strategy's: ${foreign.join(', ')}`] : [])];
  return { pass: problems.length === 0, detail: problems.length === 0 ? `${ids.length} orders, ids unique` : problems.join('; ') };
}

/**
 * Every fill at the venue booked exactly once in exactly one strategy's ledger: each strategy's
 * shares per symbol and its cash equal what the venue filled for its client order ids.
 */
export function fillsBookedOnce(venue: VenueBooks, state: StateBooks): Check {
  const ids = new Set(Object.keys(state.strategies));
  const qty = new Map<string, number>();
  const cash = new Map<string, number>();
  let fills = 0;
  for (const o of venue.orders) {
    const s = strategyOf(o.client_order_id, ids);
    if (s === null || o.filled_qty === 0) continue;
    fills++;
    const sign = o.side === 'buy' ? 1 : -1;
    const key = `${s} ${o.symbol}`;
    qty.set(key, (qty.get(key) ?? 0) + sign * o.filled_qty);
    cash.set(s, (cash.get(s) ?? 0) - sign * o.filled_qty * (o.filled_avg_price ?? 0));
  }
  const problems: string[] = [];
  for (const [id, s] of Object.entries(state.strategies)) {
    const mine = new Map(s.ledger.positions.map((p) => [p.symbol, p.qty]));
    for (const [key, q] of qty) {
      const [sid, symbol] = key.split(' ') as [string, string];
      if (sid === id && Math.abs((mine.get(symbol) ?? 0) - q) > 1e-9) problems.push(`${id} ${symbol}: ledger ${mine.get(symbol) ?? 0}, venue fills ${q}`);
    }
    for (const [symbol, q] of mine) if (!qty.has(`${id} ${symbol}`) && q !== 0) problems.push(`${id} ${symbol}: ledger ${q}, venue fills 0`);
    const expected = s.capital + (cash.get(id) ?? 0);
    if (Math.abs(s.ledger.cash - expected) > CENT) problems.push(`${id} cash: ledger ${s.ledger.cash.toFixed(4)}, venue fills say ${expected.toFixed(4)}`);
  }
  return { pass: problems.length === 0, detail: problems.length === 0 ? `${fills} filled orders, each strategy's shares and cash exact` : problems.join('; ') };
}

/** The ledgers together hold the venue's positions share for share, and its cash with the unallocated rest. */
export function ledgersSumToVenue(venue: VenueBooks, state: StateBooks, startingCash: number): Check {
  const sum = new Map<string, number>();
  let cash = startingCash;
  for (const s of Object.values(state.strategies)) {
    cash += s.ledger.cash - s.capital;
    for (const p of s.ledger.positions) sum.set(p.symbol, (sum.get(p.symbol) ?? 0) + p.qty);
  }
  const problems: string[] = [];
  const symbols = new Set([...sum.keys(), ...venue.positions.map((p) => p.symbol)]);
  for (const symbol of [...symbols].sort()) {
    const a = sum.get(symbol) ?? 0;
    const b = venue.positions.find((p) => p.symbol === symbol)?.qty ?? 0;
    if (Math.abs(a - b) > 1e-9) problems.push(`${symbol}: ledgers ${a}, venue ${b}`);
  }
  if (Math.abs(cash - venue.cash) > CENT) problems.push(`cash: ledgers + unallocated ${cash.toFixed(2)}, venue ${venue.cash.toFixed(2)}`);
  return { pass: problems.length === 0, detail: problems.length === 0 ? `${symbols.size} positions and cash $${venue.cash.toFixed(2)} match` : problems.join('; ') };
}

/** Every breaker tripped in `before` is still tripped in `after` (a restart never re-arms one). */
export function breakersPreserved(before: StateBooks, after: StateBooks): Check {
  const lost: string[] = [];
  let paused = 0;
  for (const [id, s] of Object.entries(before.strategies)) {
    if (s.circuitBreaker?.state !== 'PAUSED') continue;
    paused++;
    if (after.strategies[id]?.circuitBreaker?.state !== 'PAUSED') lost.push(id);
  }
  return { pass: lost.length === 0, detail: lost.length === 0 ? `${paused} tripped breaker(s) still tripped` : `re-armed by a restart: ${lost.join(', ')}` };
}

/**
 * Every alert queued was delivered, and once: the outbox logs the ids it queues and the ids each
 * delivery carried (a digest carries several); no id is delivered twice, each delivery is one
 * message at the Telegram server (but one taken by Telegram in the second before a kill -9), and
 * nothing is left queued.
 */
export function alertsOnce(log: ReadonlyArray<Record<string, unknown>>, receivedAt: readonly number[], queuedOnDisk: number, kills: readonly number[] = []): Check {
  const received = receivedAt.length;
  // Telegram has no idempotency key: a message it took just before a kill -9, whose answer the
  // daemon never read, is sent again after the restart. Only such a message may arrive twice.
  const cutShort = receivedAt.filter((at) => kills.some((k) => k >= at && k - at < 1000)).length;
  const queued = new Set<number>();
  const delivered = new Map<number, number>();
  let deliveries = 0;
  for (const line of log) {
    const ids = line['ids'];
    if (!Array.isArray(ids)) continue;
    if (line['msg'] === 'alert queued') for (const id of ids as number[]) queued.add(id);
    if (line['msg'] === 'alert delivered') {
      deliveries++;
      for (const id of ids as number[]) delivered.set(id, (delivered.get(id) ?? 0) + 1);
    }
  }
  const twice = [...delivered].filter(([, n]) => n > 1).map(([id]) => id);
  const lost = [...queued].filter((id) => !delivered.has(id));
  const problems = [
    ...(twice.length > 0 ? [`delivered twice: ids ${twice.join(', ')}`] : []),
    ...(lost.length > 0 ? [`never delivered: ids ${lost.join(', ')}`] : []),
    ...(received < deliveries || received - deliveries > cutShort ? [`Telegram received ${received} messages for ${deliveries} deliveries (${cutShort} taken just before a kill -9)`] : []),
    ...(queuedOnDisk > 0 ? [`${queuedOnDisk} still queued`] : []),
  ];
  const again = received - deliveries;
  return {
    pass: problems.length === 0,
    detail: problems.length === 0 ? `${queued.size} alerts in ${received} messages, each once${again > 0 ? ` (${again} sent again after a kill -9 hit while Telegram had it)` : ''}` : problems.join('; '),
  };
}
