import { ConfigError } from '../core/errors.js';
import type { EngineState } from '../persistence/engineStateSchema.js';
import type { StrategySpec } from './StrategySpec.js';

type Breaker = NonNullable<EngineState['breakers']>['account'];
type Curve = EngineState['curves']['strategies'][string];

/** A restored state fitted to the configuration, and what changed (one line each, for the log and the owner). */
export interface FittedState {
  readonly state: EngineState;
  readonly changes: readonly string[];
}

const money = (x: number): string => `$${x.toFixed(2)}`;

/** A strategy's orders still open in the saved state (in flight at the venue, or held back until others are done), with a description each. */
function openOrders(saved: EngineState, id: string): { symbol: string; text: string }[] {
  return [
    ...saved.execution.inFlight.filter((o) => o.strategyId === id).map((o) => ({ symbol: o.symbol, text: `${o.clientOrderId} ${o.side} ${o.qty} ${o.symbol}` })),
    ...saved.execution.held.filter((h) => h.request.strategyId === id).map((h) => ({ symbol: h.request.symbol, text: `${h.request.clientOrderId} (held)` })),
  ];
}

/** A breaker's money figures moved by `amount` of cash put in or taken out: its drawdown and day's loss stay what they were. */
function shiftBreaker(b: Breaker, amount: number): Breaker {
  const add = (x: number | null): number | null => (x === null ? null : x + amount);
  return { ...b, highWater: add(b.highWater), lastEquity: add(b.lastEquity), dayStart: add(b.dayStart) };
}

/** A curve moved by a deposit or withdrawal: the next return is measured on the new base, not counted as a gain or loss. */
function shiftCurve(c: Curve, amount: number): Curve {
  return { ...c, previousClose: c.previousClose + amount, close: c.close + amount, peak: c.peak + amount, pending: c.pending === null ? null : { ...c.pending, equity: c.pending.equity + amount } };
}

/**
 * Fits a saved state to the configuration the daemon starts with (`--restore` after an edit):
 * - a strategy no longer run (removed or disabled) that holds shares or orders stops the start with
 *   a message naming them (they would belong to nobody); one that holds only cash leaves, and its
 *   cash goes back to the account;
 * - a strategy that holds shares in a symbol it no longer trades stops the start the same way;
 * - a strategy with an order open in a symbol it no longer trades stops the start too (its fill
 *   would be such shares);
 * - a changed `capital_allocation` is a deposit or a withdrawal: the strategy's cash moves by the
 *   difference and its P&L does not; a withdrawal of more than its cash (the rest is in shares)
 *   stops the start;
 * - a new strategy starts fresh with its capital;
 * - offline, what moves into the strategies must be in the restored account's cash outside them
 *   (`sim.starting_cash` is a new account's; a restored one keeps its own), or the start stops.
 * Every move of capital is recorded (`capitalFlows`) and shifts the circuit breakers and equity
 * curves it touches by the same amount, so the change itself never trips a breaker nor shows as a
 * return. `unallocatedCash` (offline) follows the moves.
 */
export function applyConfigChange(saved: EngineState, specs: readonly StrategySpec[], time: number, configFile: string): FittedState {
  const byId = new Map(specs.map((s) => [s.id, s]));
  const problems: string[] = [];
  const runners = { ...saved.runners };
  const strategyBreakers = { ...(saved.breakers?.strategies ?? {}) };
  const strategyCurves = { ...saved.curves.strategies };
  const fills = { ...saved.fills };
  const flows = [...saved.capitalFlows];
  const changes: string[] = [];
  let unallocated = saved.unallocatedCash;
  let accountMove = 0;
  const move = (strategyId: string, amount: number, why: string): void => {
    flows.push({ time, strategyId, amount, why });
    accountMove += amount;
    if (unallocated !== null) unallocated -= amount;
  };

  for (const [id, { ledger }] of Object.entries(saved.runners)) {
    const spec = byId.get(id);
    const held = ledger.lots.filter((l) => l.qty !== 0);
    if (spec === undefined) {
      const orders = openOrders(saved, id).map((o) => o.text);
      if (held.length > 0 || orders.length > 0) {
        const what = [...(held.length > 0 ? [`holds ${held.map((l) => `${l.qty} ${l.symbol}`).join(', ')}`] : []), ...(orders.length > 0 ? [`has ${orders.length} open order(s) (${orders.join('; ')})`] : [])].join(' and ');
        problems.push(`strategy "${id}" is no longer run by ${configFile} (removed or disabled), but the saved state says it ${what}: they would belong to no strategy`);
        continue;
      }
      move(id, -ledger.cash, 'removed from the configuration');
      changes.push(`strategy ${id} removed: its cash ${money(ledger.cash)} (P&L ${money(ledger.cash - ledger.capital)}) goes back to the account`);
      delete runners[id];
      delete strategyBreakers[id];
      delete strategyCurves[id];
      delete fills[id];
      continue;
    }
    const outside = held.filter((l) => !spec.symbols.includes(l.symbol));
    if (outside.length > 0) {
      problems.push(`strategy "${id}" holds ${outside.map((l) => `${l.qty} ${l.symbol}`).join(', ')}, no longer among its symbols in ${configFile}: it would never see a price to sell at`);
    }
    const ordersOutside = openOrders(saved, id).filter((o) => !spec.symbols.includes(o.symbol));
    if (ordersOutside.length > 0) {
      problems.push(`strategy "${id}" has ${ordersOutside.length} open order(s) in symbols no longer among its symbols in ${configFile} (${ordersOutside.map((o) => o.text).join('; ')}): its fills would be positions it never sees a price for`);
    }
    const amount = spec.capital - ledger.capital;
    // A withdrawal takes cash, never shares: more than the strategy's cash would leave it overdrawn, the difference handed out twice.
    if (ledger.cash + amount < -0.005) {
      problems.push(
        `strategy "${id}": capital_allocation ${money(ledger.capital)} → ${money(spec.capital)} in ${configFile} would withdraw ${money(-amount)}, more than its cash ${money(ledger.cash)} (the rest is in its positions): give it at least ${money(ledger.capital - ledger.cash)}, or close its positions first`,
      );
      continue;
    }
    if (Math.abs(amount) >= 0.005) {
      move(id, amount, `capital_allocation ${money(ledger.capital)} → ${money(spec.capital)}`);
      changes.push(`strategy ${id}: capital_allocation ${money(ledger.capital)} → ${money(spec.capital)}: ${amount > 0 ? 'deposit' : 'withdrawal'} of ${money(Math.abs(amount))} to its cash (its P&L is unchanged)`);
      runners[id] = { runner: saved.runners[id]!.runner, ledger: { ...ledger, capital: spec.capital, cash: ledger.cash + amount } };
      const b = strategyBreakers[id];
      if (b !== undefined) strategyBreakers[id] = shiftBreaker(b, amount);
      const c = strategyCurves[id];
      if (c !== undefined) strategyCurves[id] = shiftCurve(c, amount);
    }
  }
  for (const spec of specs) {
    if (saved.runners[spec.id] !== undefined) continue;
    move(spec.id, spec.capital, 'added to the configuration');
    changes.push(`strategy ${spec.id} added with ${money(spec.capital)}`);
  }
  // Offline the account is restored with the cash it had: what goes into the strategies comes from what is outside them.
  if (unallocated !== null && saved.unallocatedCash !== null && unallocated < -0.005) {
    problems.push(
      `strategies: the capital_allocation changes in ${configFile} move ${money(saved.unallocatedCash - unallocated)} into the strategies, ${money(-unallocated)} more than the ${money(saved.unallocatedCash)} the restored simulated account has outside them (a restored account keeps its own cash; sim.starting_cash sets only a new account's): lower capital_allocation, or start without --restore for a new account`,
    );
  }
  if (problems.length > 0) {
    throw new ConfigError(
      `${problems.join('; ')}. Nothing was changed. To go on, run the old configuration again (restore it, start with --restore); to retire a strategy, close it first while the daemon runs (\`npm run ctl -- flatten <strategy>\`), wait until its orders are done, then remove it and restart with --restore.`,
    );
  }
  const breakers = saved.breakers === null ? null : { account: shiftBreaker(saved.breakers.account, accountMove), strategies: strategyBreakers };
  const total = saved.curves.total === null ? null : shiftCurve(saved.curves.total, accountMove);
  return {
    state: { ...saved, runners, fills, breakers, curves: { total, strategies: strategyCurves }, unallocatedCash: unallocated, capitalFlows: flows },
    changes,
  };
}
