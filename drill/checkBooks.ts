import { nyDateOf } from '../src/market-data/zonedTime.js';
/** What the emulator's admin `/admin/books` returns. */
export interface VenueBooks {
  readonly orders: ReadonlyArray<{
    client_order_id: string;
    /** A bracket's exit: its entry's client order id (its own is Alpaca's UUID); null or absent for any other order. */
    parent_client_order_id?: string | null;
    symbol: string;
    side: 'buy' | 'sell';
    status: string;
    filled_qty: number;
    filled_avg_price: number | null;
  }>;
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
        readonly circuitBreaker: { readonly state: string; readonly trip?: { readonly rule: string; readonly time: number } | null } | null;
        readonly ledger: { readonly cash: number; readonly positions: ReadonlyArray<{ symbol: string; qty: number }> };
      }
    >
  >;
  /** Capital moved by restores against a changed configuration (a removed strategy's cash back to the account: `-cash`). */
  readonly engine?: {
    readonly capitalFlows?: ReadonlyArray<{ readonly strategyId: string; readonly amount: number; readonly why: string }>;
    /** The New York date of the latest session close the daemon handled. */
    readonly lastClose?: string | null;
  };
}

export interface Check {
  readonly pass: boolean;
  readonly detail: string;
}

/** A strategy a restore dropped from the configuration: its capital then, and the cash it handed back to the account. */
export interface RemovedStrategy {
  readonly capital: number;
  readonly cashOut: number;
}

const CENT = 0.005;
const NONE: ReadonlyMap<string, RemovedStrategy> = new Map();

/** The strategy a client order id names (`<strategy>-<run>-<seq>` and the daemon's `-sl`/`-tp`/`-ts` legs), null if none of ours. */
export function strategyOf(cid: string, strategies: ReadonlySet<string>): string | null {
  const m = /^([a-z0-9][a-z0-9_]*)-[a-z0-9]+-\d+(?:-(?:sl|tp|ts))?$/.exec(cid);
  return m !== null && strategies.has(m[1]!) ? m[1]! : null;
}

/** The strategy of a venue order: a bracket's exit (its client order id is Alpaca's) is its entry's. */
export function ownerOf(o: VenueBooks['orders'][number], strategies: ReadonlySet<string>): string | null {
  const parent = o.parent_client_order_id ?? null;
  return strategyOf(parent ?? o.client_order_id, strategies);
}

/**
 * The strategies `state` no longer has because a restore dropped them from the configuration (its
 * capital flows say so), each with the capital it had in the last of `earlier` states that held it.
 */
export function removedStrategies(state: StateBooks, earlier: readonly StateBooks[]): Map<string, RemovedStrategy> {
  const out = new Map<string, RemovedStrategy>();
  for (const f of state.engine?.capitalFlows ?? []) {
    if (!f.why.startsWith('removed') || state.strategies[f.strategyId] !== undefined) continue;
    const last = [...earlier].reverse().find((s) => s.strategies[f.strategyId] !== undefined);
    out.set(f.strategyId, { capital: last?.strategies[f.strategyId]!.capital ?? Number.NaN, cashOut: -f.amount });
  }
  return out;
}

/** No client order id twice, and none that no strategy of the configuration sent. */
export function uniqueIntendedOrders(venue: VenueBooks, strategies: ReadonlySet<string>): Check {
  const ids = venue.orders.map((o) => o.client_order_id);
  const legs = venue.orders.filter((o) => (o.parent_client_order_id ?? null) !== null).length;
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  const foreign = venue.orders.filter((o) => ownerOf(o, strategies) === null).map((o) => o.client_order_id);
  const problems = [...(twice.length > 0 ? [`used twice: ${[...new Set(twice)].join(', ')}`] : []), ...(foreign.length > 0 ? [`not a strategy's: ${foreign.join(', ')}`] : [])];
  return { pass: problems.length === 0, detail: problems.length === 0 ? `${ids.length} orders (${legs} bracket legs), ids unique` : problems.join('; ') };
}

/**
 * Every fill at the venue booked exactly once in exactly one strategy's ledger: each strategy's
 * shares per symbol and its cash equal what the venue filled for its client order ids (a bracket
 * leg's fills are its entry's strategy's). A strategy a restore removed (`removed`) held nothing
 * then, and the cash it handed back was its capital plus what its fills made.
 */
export function fillsBookedOnce(venue: VenueBooks, state: StateBooks, removed: ReadonlyMap<string, RemovedStrategy> = NONE): Check {
  const ids = new Set([...Object.keys(state.strategies), ...removed.keys()]);
  const qty = new Map<string, number>();
  const cash = new Map<string, number>();
  let fills = 0;
  for (const o of venue.orders) {
    const s = ownerOf(o, ids);
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
  for (const [id, r] of removed) {
    for (const [key, q] of qty) {
      const [sid, symbol] = key.split(' ') as [string, string];
      if (sid === id && Math.abs(q) > 1e-9) problems.push(`${id} (removed) ${symbol}: venue fills leave ${q} shares that no ledger holds`);
    }
    const expected = r.capital + (cash.get(id) ?? 0);
    if (!(Math.abs(r.cashOut - expected) <= CENT)) problems.push(`${id} (removed) cash handed back ${r.cashOut.toFixed(4)}, its capital and venue fills say ${expected.toFixed(4)}`);
  }
  const gone = removed.size > 0 ? ` (${[...removed.keys()].join(', ')} removed, its cash handed back exact)` : '';
  return { pass: problems.length === 0, detail: problems.length === 0 ? `${fills} filled orders, each strategy's shares and cash exact${gone}` : problems.join('; ') };
}

/**
 * The ledgers together hold the venue's positions share for share, and its cash with the
 * unallocated rest (which holds what removed strategies made: their cash handed back less their capital).
 */
export function ledgersSumToVenue(venue: VenueBooks, state: StateBooks, startingCash: number, removed: ReadonlyMap<string, RemovedStrategy> = NONE): Check {
  const sum = new Map<string, number>();
  let cash = startingCash;
  for (const r of removed.values()) cash += r.cashOut - r.capital;
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

/** The rules a session's close re-arms (the daily loss and the day's trade count start again). */
const DAILY_RULES: ReadonlySet<string> = new Set(['max_daily_loss', 'max_trades_per_day']);

/**
 * Every breaker tripped in `before` is still tripped in `after` (a restart never re-arms one), but a
 * strategy the restart removed from the configuration, and a daily rule's trip once the close of its
 * day was handled (at the close, or at the restart for a close crossed while the daemon was down).
 */
export function breakersPreserved(before: StateBooks, after: StateBooks): Check {
  const lost: string[] = [];
  const removed = new Set((after.engine?.capitalFlows ?? []).filter((f) => f.why.startsWith('removed')).map((f) => f.strategyId));
  const closed = after.engine?.lastClose ?? null;
  let paused = 0;
  let rearmed = 0;
  for (const [id, s] of Object.entries(before.strategies)) {
    if (s.circuitBreaker?.state !== 'PAUSED' || (removed.has(id) && after.strategies[id] === undefined)) continue;
    const trip = s.circuitBreaker.trip ?? null;
    if (trip !== null && DAILY_RULES.has(trip.rule) && closed !== null && closed >= nyDateOf(trip.time)) {
      rearmed++;
      continue;
    }
    paused++;
    if (after.strategies[id]?.circuitBreaker?.state !== 'PAUSED') lost.push(`${id}${trip === null ? '' : ` (${trip.rule} at ${new Date(trip.time).toISOString()}, last close handled ${closed ?? 'none'})`}`);
  }
  if (lost.length === 0) return { pass: true, detail: `${paused} tripped breaker(s) still tripped${rearmed === 0 ? '' : `, ${rearmed} daily trip(s) re-armed by a close`}` };
  return { pass: false, detail: `re-armed by a restart: ${lost.join(', ')}` };
}

/**
 * Every alert queued was delivered, and once: the outbox logs the ids it queues and the ids each
 * delivery carried (a digest carries several); no id is delivered twice, each delivery is one
 * message at the Telegram server (but one taken by Telegram in the second before a kill -9), and
 * nothing is left queued. `kills` and `receivedAt` are on one clock (performance.now()); `origin`
 * puts the log's wall times on it (performance.timeOrigin).
 */
export function alertsOnce(log: ReadonlyArray<Record<string, unknown>>, receivedAt: readonly number[], queuedOnDisk: number, kills: readonly number[] = [], origin = Number.NaN): Check {
  const received = receivedAt.length;
  // Telegram has no idempotency key: a message it took just before a kill -9 is sent again after
  // the restart, whether the daemon never read the answer (Telegram counts it twice, the log once)
  // or read it and logged the delivery but was killed before the outbox forgot it (the log shows
  // the delivery twice, the first in the second before the kill). Only such a message may repeat.
  const justBeforeKill = (at: number): boolean => kills.some((k) => k >= at && k - at < 1000);
  const cutShort = receivedAt.filter(justBeforeKill).length;
  const queued = new Set<number>();
  const delivered = new Map<number, number>();
  const lastDelivery = new Map<number, number>();
  const twice = new Set<number>();
  let deliveries = 0;
  let repeated = 0;
  for (const line of log) {
    const ids = line['ids'];
    if (!Array.isArray(ids)) continue;
    if (line['msg'] === 'alert queued') for (const id of ids as number[]) queued.add(id);
    if (line['msg'] === 'alert delivered') {
      deliveries++;
      const at = typeof line['time'] === 'string' ? Date.parse(line['time']) - origin : Number.NaN;
      let again = false;
      for (const id of ids as number[]) {
        const before = lastDelivery.get(id);
        if (before !== undefined) {
          if (justBeforeKill(before)) again = true;
          else twice.add(id);
        }
        delivered.set(id, (delivered.get(id) ?? 0) + 1);
        lastDelivery.set(id, at);
      }
      if (again) repeated++;
    }
  }
  const lost = [...queued].filter((id) => !delivered.has(id));
  const problems = [
    ...(twice.size > 0 ? [`delivered twice: ids ${[...twice].join(', ')}`] : []),
    ...(lost.length > 0 ? [`never delivered: ids ${lost.join(', ')}`] : []),
    ...(received < deliveries || received - deliveries > cutShort ? [`Telegram received ${received} messages for ${deliveries} deliveries (${cutShort} taken just before a kill -9)`] : []),
    ...(queuedOnDisk > 0 ? [`${queuedOnDisk} still queued`] : []),
  ];
  const again = received - deliveries + repeated;
  return {
    pass: problems.length === 0,
    detail: problems.length === 0 ? `${queued.size} alerts in ${received} messages, each once${again > 0 ? ` (${again} sent again after a kill -9 hit while Telegram had it)` : ''}` : problems.join('; '),
  };
}
