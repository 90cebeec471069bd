/** A JSON object as read from a file: fields are looked at, never trusted (the v3 schema checks the result). */
type Json = Record<string, unknown>;

const obj = (x: unknown): Json => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Json) : {});
const arr = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const LEG = /^(.+)-(sl|tp|ts)$/;
const strategyOf = (cid: string): string => cid.slice(0, Math.max(0, cid.indexOf('-')));

/** An order in flight of version 2 (five fields) as version 3 holds it. */
function inFlight(o: Json, extra: { orderId?: string | null; parent?: string | null; leg?: string | null } = {}): Json {
  return { ...o, orderId: extra.orderId ?? null, parent: extra.parent ?? null, leg: extra.leg ?? null, cancel: false };
}

/**
 * Version 2 → version 3 (the state as landed before protective exits were orders like any other):
 * - orders in flight gain their venue id, entry and exit kind (null: not known), and no cancel asked;
 * - the simulated venue's bracket exits and the exits its bracket entries will open (offline mode)
 *   become orders in flight of the entry's strategy, as version 3 tracks them (`-sl`, `-tp`, `-ts`);
 * - held orders wait for nothing but the opposite order they were held for;
 * - each ledger records its capital (the allocation the file's `strategies` section shows);
 * - the broker's books name no legs (Alpaca mode: they are found again through their entries);
 * - no capital has moved yet; the unallocated cash is derived by the offline engine (null).
 * Alpaca-mode legs were only in memory in version 2: they are claimed again when Alpaca lists them.
 */
export function upgradeV2(raw: Json): Json {
  const engine = obj(raw['engine']);
  const strategies = obj(raw['strategies']);
  const execution = obj(engine['execution']);
  const known = new Set(arr(execution['inFlight']).map((o) => String(obj(o)['clientOrderId'])));
  const flights = arr(execution['inFlight']).map((o) => inFlight(obj(o)));
  const venue = engine['venue'] === null || engine['venue'] === undefined ? null : obj(engine['venue']);
  for (const w of arr(venue?.['working'])) {
    const order = obj(obj(w)['order']);
    const cid = String(order['clientOrderId'] ?? '');
    const m = LEG.exec(cid);
    if (m !== null && !known.has(cid)) {
      flights.push(inFlight({ clientOrderId: cid, strategyId: strategyOf(cid), symbol: order['symbol'], side: order['side'], qty: Number(order['qty']) - Number(order['filledQty'] ?? 0) }, { orderId: String(order['id']), parent: m[1]!, leg: m[2]! }));
      known.add(cid);
    }
    const bracket = obj(obj(w)['bracket']);
    for (const [leg, present] of [
      ['sl', bracket['stopLoss'] !== undefined],
      ['tp', bracket['takeProfit'] !== undefined],
      ['ts', bracket['trail'] !== undefined],
    ] as const) {
      const legCid = `${cid}-${leg}`;
      if (!present || known.has(legCid)) continue;
      flights.push(inFlight({ clientOrderId: legCid, strategyId: strategyOf(cid), symbol: order['symbol'], side: 'sell', qty: order['qty'] }, { parent: cid, leg }));
      known.add(legCid);
    }
  }
  const runners = Object.fromEntries(
    Object.entries(obj(engine['runners'])).map(([id, r]) => {
      const ledger = obj(obj(r)['ledger']);
      const shown = obj(strategies[id]);
      const capital = shown['capital'] ?? obj(shown['ledger'])['startingCash'];
      return [id, { ...obj(r), ledger: { capital, ...ledger } }];
    }),
  );
  const broker = engine['broker'] === null || engine['broker'] === undefined ? null : { booked: arr(obj(engine['broker'])['booked']), legs: [] };
  return {
    ...raw,
    version: 3,
    engine: {
      ...engine,
      broker,
      execution: { ...execution, inFlight: flights, held: arr(execution['held']).map((h) => ({ request: h, waitFor: [], after: null })) },
      runners,
      unallocatedCash: null,
      capitalFlows: [],
    },
  };
}
