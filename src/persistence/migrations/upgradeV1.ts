import { nyNextMidnight } from '../../market-data/zonedTime.js';

/**
 * Version 1 (5f75102 … 8c3dda5: the offline daemon before restores existed) → the version-2 shape
 * of f04fe1d (stateSchemaV2.ts), for an offline restore that honestly continues from it.
 *
 * What a version-1 file holds, per strategy: status, capital, equity, the number of open orders, the
 * ledger's starting cash, cash, realized P&L, commissions and positions (signed quantity, average
 * price, last price), the performance figures (fill count among them) and, from cc0f3f2 on, the
 * circuit breaker's status and the denials by rule; for the account: the simulated venue's cash and
 * value (5f75102 on) and the positions summed over the strategies; the market time of the last bar.
 * It holds no closed trades, no equity curve, no orders and nothing of the venue beyond its cash.
 *
 * Why that is enough to continue offline: the books are the ledgers, and they are complete (cash,
 * positions at their average price, realized P&L, commissions). The venue is the same fills summed:
 * its cash is the ledgers' cash plus the unallocated cash, its positions the ledgers' positions.
 * Orders never outlived a version-1 process (its simulated venue was in memory only), so a restart
 * of that daemon had none either: the upgraded state has no working order, none in flight or held.
 * The replay resumes after the file's market time, like any restore.
 *
 * What is lost, and stated where it is filled: the list of closed trades (the realized P&L stays
 * exact), the equity curves (they start again at the upgrade, from the equity then), each open
 * lot's entry time and the P&L of partial exits already taken (the trade report of such a lot covers
 * the part from the upgrade on), the venue's order and execution counters (ids only).
 *
 * Anything that does not add up (the account's cash against the ledgers and the unallocated cash, a
 * ledger whose cash, P&L and positions disagree, positions the account does not show) is refused
 * with the reason: a restore must not start from books that cannot be trusted. Input that is not a
 * version-1 state is returned as it is.
 */
export function upgradeV1(raw: unknown, context: UpgradeV1Context): unknown {
  if (!isObject(raw) || raw['version'] !== 1) return raw;
  if (raw['mode'] !== 'sim') refuse(`mode ${String(raw['mode'])}: version 1 was written by the offline mode only`);
  if (!(Number.isFinite(context.startingCash) && context.startingCash > 0)) refuse(`starting cash must be a positive amount, got ${context.startingCash}`);
  const strategies = Object.entries(object(raw['strategies'], 'strategies'));
  if (strategies.length === 0) refuse('no strategies');

  const marketTime = raw['marketTime'];
  const lastBarTime = marketTime === null || marketTime === undefined ? null : Date.parse(String(marketTime));
  if (lastBarTime !== null && !Number.isFinite(lastBarTime)) refuse(`marketTime ${String(marketTime)} is not a time`);

  const capital = strategies.reduce((a, [id, s]) => a + num(object(s, id)['capital'], `${id}.capital`), 0);
  const unallocated = context.startingCash - capital;
  if (unallocated < -0.005) refuse(`the strategies' capital ${capital.toFixed(2)} is more than the starting cash ${context.startingCash.toFixed(2)}`);

  const runners: Record<string, unknown> = {};
  const fills: Record<string, number> = {};
  const held = new Map<string, { qty: number; cost: number; mark: number }>();
  let ledgersCash = 0;
  let fillCount = 0;
  for (const [id, value] of strategies) {
    const s = object(value, id);
    const ledger = object(s['ledger'], `${id}.ledger`);
    const cash = num(ledger['cash'], `${id}.ledger.cash`);
    const realized = num(ledger['realizedPnl'], `${id}.ledger.realizedPnl`);
    ledgersCash += cash;
    const n = Math.max(0, Math.round(Number(object(s['performance'], `${id}.performance`)['fills'] ?? 0)));
    fills[id] = n;
    fillCount += n;
    const lots = lotsOf(id, ledger, cash, realized, lastBarTime ?? 0, context.entryCommission);
    for (const l of lots) {
      const h = held.get(l.symbol) ?? { qty: 0, cost: 0, mark: l.mark };
      h.qty += l.qty;
      h.cost += l.qty * l.avgPrice;
      held.set(l.symbol, h);
    }
    const status = s['status'];
    if (status !== 'active' && status !== 'paused' && status !== 'faulted') refuse(`${id}: unknown status ${String(status)}`);
    runners[id] = {
      // Open orders are not carried over: they died with the version-1 process (see above).
      runner: { status, pauseReason: s['pauseReason'] ?? null, open: [], denials: isObject(s['denials']) ? s['denials'] : {} },
      ledger: { cash, realized, commissions: num(ledger['commissions'], `${id}.ledger.commissions`), lots, trades: [] },
    };
  }

  // The venue's account: same fills as the ledgers, so its cash is theirs plus what no strategy holds.
  const account = object(raw['account'], 'account');
  const venueCash = ledgersCash + unallocated;
  if (isObject(account['allocated'])) {
    // 5f75102 on: `account.cash` is the venue's own figure; it must agree with the books.
    const shown = num(account['cash'], 'account.cash');
    if (Math.abs(shown - venueCash) >= 0.005) {
      refuse(`the account's cash ${shown.toFixed(2)} is not the strategies' cash ${ledgersCash.toFixed(2)} plus the unallocated ${unallocated.toFixed(2)} (is ${context.startingCash} the starting cash this file was written with?)`);
    }
  }
  const shownPositions = isObject(account['positions']) ? account['positions'] : null;
  if (shownPositions !== null) {
    const symbols = new Set([...Object.keys(shownPositions), ...held.keys()]);
    for (const symbol of symbols) {
      const shownQty = Number(asObject(shownPositions[symbol])['qty'] ?? 0);
      const booked = held.get(symbol)?.qty ?? 0;
      if (shownQty !== booked) refuse(`${symbol}: the account shows ${shownQty}, the strategies hold ${booked}`);
    }
  }
  const positions = [...held].filter(([, h]) => h.qty !== 0).map(([symbol, h]) => ({ symbol, qty: h.qty, cost: h.cost }));
  // Only the held symbols' last prices are in the file; the replay marks every symbol again on its next bar.
  const marks = [...held].filter(([, h]) => h.qty !== 0).map(([symbol, h]) => ({ symbol, price: h.mark }));

  return {
    ...raw,
    version: 2,
    engine: {
      lastBarTime,
      // The last bar per symbol was not kept; nothing offline reads it (see normalizeV2).
      lastBarTimes: {},
      fills,
      venue: {
        cash: venueCash,
        // Counters of the venue's own ids (`sim-N`, `sim-exec-N`). Every execution was a fill booked
        // to a strategy, so the fill count is the execution counter exactly; the order counter (orders
        // sent, filled or not) was not kept and takes the same value. The restored venue starts with
        // an empty book and client order ids carry the new run's id, so no id can clash either way.
        orderSeq: fillCount,
        execSeq: fillCount,
        positions,
        marks,
        working: [],
      },
      broker: null,
      // The next client order id's sequence number; the new run's id keeps them unique.
      execution: { seq: 1, inFlight: [], held: [] },
      runners,
      breakers: breakersOf(raw, strategies, lastBarTime),
      curves: curvesOf(raw, strategies),
    },
  };
}

export interface UpgradeV1Context {
  /** `sim.starting_cash` of the configuration the file was written with (the venue's starting cash). */
  readonly startingCash: number;
  /**
   * The configuration's commission for one order (the offline cost model). It only apportions the
   * entry commissions still to be charged between a strategy's open lots; their total is exact
   * without it. Without it they are split evenly (one entry order per lot at the per-order minimum).
   */
  readonly entryCommission?: (qty: number, price: number) => number;
}

type Json = Record<string, unknown>;

interface Lot {
  symbol: string;
  mark: number;
  direction: 'long' | 'short';
  qty: number;
  avgPrice: number;
  entryTime: number;
  maxQty: number;
  entryValue: number;
  entryQty: number;
  exitValue: number;
  exitQty: number;
  grossPnl: number;
  commission: number;
  pendingEntryCommission: number;
}

function refuse(why: string): never {
  throw new RangeError(`version-1 state cannot be upgraded: ${why}`);
}

function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function asObject(x: unknown): Json {
  return isObject(x) ? x : {};
}

function object(x: unknown, what: string): Json {
  return isObject(x) ? x : refuse(`${what} is not an object`);
}

function num(x: unknown, what: string): number {
  return typeof x === 'number' && Number.isFinite(x) ? x : refuse(`${what} is not a finite number`);
}

/**
 * A ledger's open lots from its positions. The ledger charges an entry's commission to realized P&L
 * only as the position closes (pro rata), so its cash is always
 *   starting cash + realized P&L − Σ qty × average price − the entry commissions still pending;
 * the pending total is therefore exact. It is shared between the lots by `entryCommission` (or
 * evenly), and it is also each lot's commission so far (the charged part was in trades not kept).
 */
function lotsOf(id: string, ledger: Json, cash: number, realized: number, entryTime: number, entryCommission: UpgradeV1Context['entryCommission']): Lot[] {
  const start = num(ledger['startingCash'], `${id}.ledger.startingCash`);
  const positions = (Array.isArray(ledger['positions']) ? ledger['positions'] : refuse(`${id}.ledger.positions is not a list`)).map((p, i) => {
    const o = object(p, `${id}.ledger.positions[${i}]`);
    const symbol = typeof o['symbol'] === 'string' ? o['symbol'] : refuse(`${id}.ledger.positions[${i}].symbol is not a symbol`);
    const qty = num(o['qty'], `${id}.${symbol}.qty`);
    const avgPrice = num(o['avgPrice'], `${id}.${symbol}.avgPrice`);
    const mark = typeof o['marketPrice'] === 'number' && Number.isFinite(o['marketPrice']) ? o['marketPrice'] : avgPrice;
    return { symbol, qty, avgPrice, mark };
  });
  const open = positions.filter((p) => p.qty !== 0);
  let pending = start + realized - cash - open.reduce((a, p) => a + p.qty * p.avgPrice, 0);
  if (pending < -0.005 || (open.length === 0 && pending > 0.005)) {
    refuse(`${id}: cash ${cash.toFixed(2)}, realized P&L ${realized.toFixed(2)} and positions do not add up to the starting cash ${start.toFixed(2)} (off by ${pending.toFixed(2)})`);
  }
  pending = Math.max(0, pending);
  const weights = open.map((p) => (entryCommission === undefined ? 1 : Math.max(0, entryCommission(Math.abs(p.qty), p.avgPrice))));
  const total = weights.reduce((a, w) => a + w, 0);
  return open.map((p, i) => {
    const share = total > 0 ? (pending * weights[i]!) / total : pending / open.length;
    const abs = Math.abs(p.qty);
    return {
      symbol: p.symbol,
      mark: p.mark,
      direction: p.qty > 0 ? 'long' : 'short',
      qty: p.qty,
      avgPrice: p.avgPrice,
      // Not kept: the upgrade's market time stands in (the trade's holding time is understated).
      entryTime,
      // The round trip as far as it is known: the position as it stands, bought at its average price.
      maxQty: abs,
      entryValue: abs * p.avgPrice,
      entryQty: abs,
      exitValue: 0,
      exitQty: 0,
      grossPnl: 0,
      commission: share,
      pendingEntryCommission: share,
    };
  });
}

/**
 * The breakers from their status (cc0f3f2 on): the trip survives, and so do the high-water mark, the
 * day's start equity, the day, the loss streak and the day's order count. Two fields were not shown:
 * the end of the breaker's day (the next New York midnight after that day, so the daily rules and
 * counters roll exactly when they would have) and the last equity it saw (the equity the file
 * shows, computed after the same last bar). Files from before the breakers (5f75102, 093bcf7) give
 * null: breakers start armed from the restore, as they did on any start of that daemon.
 */
function breakersOf(raw: Json, strategies: ReadonlyArray<[string, unknown]>, lastBarTime: number | null): unknown {
  const account = raw['circuitBreaker'];
  const anyStrategy = strategies.some(([, s]) => isObject(asObject(s)['circuitBreaker']));
  if (!isObject(account) && !anyStrategy) return null;
  const allocated = asObject(asObject(raw['account'])['allocated'])['value'];
  const accountEquity = typeof allocated === 'number' ? allocated : strategies.reduce((a, [, s]) => a + Number(asObject(s)['equity'] ?? 0), 0);
  const byId: Record<string, unknown> = {};
  for (const [id, s] of strategies) {
    const status = asObject(s)['circuitBreaker'];
    if (isObject(status)) byId[id] = breakerData(status, Number(asObject(s)['equity']), lastBarTime);
  }
  return { account: isObject(account) ? breakerData(account, accountEquity, lastBarTime) : armed(), strategies: byId };
}

function armed(): Json {
  return { trip: null, highWater: null, lastEquity: null, dayStart: null, dayEnd: null, day: null, lossesInRow: 0, ordersToday: 0 };
}

function breakerData(status: Json, equity: number, lastBarTime: number | null): Json {
  const day = typeof status['day'] === 'string' ? status['day'] : null;
  // Noon UTC of a New York date is in that date in New York (07:00 or 08:00 there).
  const dayEnd = day === null ? null : nyNextMidnight(Date.parse(`${day}T12:00:00Z`));
  if (dayEnd !== null && !Number.isFinite(dayEnd)) refuse(`breaker ${String(status['scope'])}: day ${day} is not a date`);
  return {
    trip: status['trip'] ?? null,
    highWater: status['highWaterMark'] ?? null,
    lastEquity: Number.isFinite(equity) && lastBarTime !== null ? equity : null,
    dayStart: status['dayStartEquity'] ?? null,
    dayEnd,
    day,
    lossesInRow: status['lossesInRow'] ?? 0,
    ordersToday: status['ordersToday'] ?? 0,
  };
}

/**
 * Version 1 kept no curve. Each curve starts again at the upgrade, from the equity the file shows:
 * no point yet, that equity as the last close (the first daily return after the restore is measured
 * from it, not from the capital, which would fold the whole version-1 run into one "day") and as the
 * peak (drawdowns are measured from the upgrade on). The total curve exists when several strategies do.
 */
function curvesOf(raw: Json, strategies: ReadonlyArray<[string, unknown]>): unknown {
  const fresh = (equity: number): Json => ({
    pending: null,
    points: 0,
    exposedPoints: 0,
    returns: [],
    previousClose: equity,
    close: equity,
    dayEnd: null,
    peak: equity,
    peakTime: null,
    depth: 0,
    worstPeakTime: null,
    troughTime: null,
    recoveryTime: null,
    lastTime: null,
    stride: 1,
    closeTimes: [],
    closeValues: [],
    todayTimes: [],
    todayValues: [],
    sampleTimes: [],
    sampleValues: [],
  });
  const equities = strategies.map(([id, s]) => [id, num(asObject(s)['equity'], `${id}.equity`)] as const);
  const allocated = asObject(asObject(raw['account'])['allocated'])['value'];
  const total = typeof allocated === 'number' ? allocated : equities.reduce((a, [, e]) => a + e, 0);
  return {
    total: strategies.length === 1 ? null : fresh(total),
    strategies: Object.fromEntries(equities.map(([id, e]) => [id, fresh(e)])),
  };
}
