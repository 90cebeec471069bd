import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ownerOf, strategyOf, type Check, type VenueBooks } from './checkBooks.js';
import type { DrillRun, DrillRunOptions, StateFile } from './DrillRun.js';
import { sleep } from './processes.js';
import { readClosedTrades } from '../src/persistence/readClosedTrades.js';

/** What a scenario measured beyond the books, which every scenario checks the same way afterwards. */
export interface ScenarioResult {
  /** Wall ms from the fault's end to trading again (a new order at the venue, or the restarted daemon trading); null: not measured. */
  readonly recoveryMs: number | null;
  /** State files around each restart: a breaker tripped before must be tripped after. */
  readonly restarts: ReadonlyArray<readonly [StateFile, StateFile]>;
  /** The scenario's own check, on the settled state and the venue's books (after every run). */
  readonly own?: (settled: StateFile, venue: VenueBooks) => Check;
}

export interface Scenario {
  readonly name: string;
  /** Wall ms within which the daemon must trade again once the fault is over. */
  readonly recoveryBoundMs: number;
  readonly options?: Partial<DrillRunOptions>;
  readonly run: (d: DrillRun, short: boolean, random: () => number) => Promise<ScenarioResult>;
}

/**
 * The common shape: the daemon trades, `apply` injects the fault, `hold` seconds later `clear` ends
 * it, and the time to the next order at the venue is the recovery; the daemon then runs on to its end.
 */
function faultWhileTrading(o: { seconds: number; before: number; hold: number; apply: (d: DrillRun) => Promise<unknown>; clear?: (d: DrillRun) => Promise<unknown> }) {
  return async (d: DrillRun): Promise<ScenarioResult> => {
    const p = d.startDaemon(o.seconds, false);
    await d.trading(p);
    await sleep(o.before * 1000);
    await o.apply(d);
    await sleep(o.hold * 1000);
    await (o.clear ?? ((x: DrillRun) => x.clearFaults()))(d);
    // Long enough for the longest bound (a refused stream's back-off reaches 90 s).
    const recoveryMs = await d.nextOrderWithin(await d.orderCount(), 110_000);
    await p.exit;
    return { recoveryMs, restarts: [] };
  };
}

/** Kills the daemon at `moments` (seconds after it trades), restarting it with --restore each time. */
async function killAndRestore(d: DrillRun, moments: readonly number[], beforeKill: (d: DrillRun, pid: number) => Promise<void> = async () => {}, afterKill: (d: DrillRun) => void = () => {}, stateAtKill: (d: DrillRun) => StateFile = (x) => x.state()): Promise<ScenarioResult> {
  const restarts: Array<readonly [StateFile, StateFile]> = [];
  let worst = 0;
  let p = d.startDaemon(600, false);
  await d.trading(p);
  for (const at of moments) {
    await sleep(at * 1000);
    await beforeKill(d, p.child.pid!);
    const before = stateAtKill(d);
    await d.kill(p);
    afterKill(d);
    const t0 = performance.now();
    p = d.startDaemon(600, true);
    await d.trading(p);
    worst = Math.max(worst, performance.now() - t0);
    restarts.push([before, d.state()]);
  }
  await sleep(2000);
  p.child.kill('SIGTERM');
  await p.exit;
  return { recoveryMs: worst, restarts };
}

type VenueOrder = VenueBooks['orders'][number];

/** Statuses of an order still working at the venue (a bracket leg `held` until its entry fills). */
const WORKING = new Set(['new', 'accepted', 'pending_new', 'partially_filled', 'held']);

/** Polls `probe` every `every` ms until it gives a value; throws after `ms` naming `what`. */
async function waitFor<T>(what: string, ms: number, probe: () => Promise<T | null | undefined> | T | null | undefined, every = 100): Promise<T> {
  const until = performance.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== null && v !== undefined) return v;
    if (performance.now() > until) throw new Error(`${what}: not within ${ms / 1000} s`);
    await sleep(every);
  }
}

/** The state file, or null while there is none yet. */
function stateNow(d: DrillRun): StateFile | null {
  try {
    return d.state();
  } catch {
    return null;
  }
}

/** Shares the venue has filled, all orders together: it grows when anything trades. */
const filledShares = (b: VenueBooks): number => b.orders.reduce((n, o) => n + o.filled_qty, 0);

/** Wall ms from now until the venue fills anything more; null if nothing within `ms`. */
async function nextFillWithin(d: DrillRun, ms: number): Promise<number | null> {
  const t0 = performance.now();
  const had = filledShares(await d.books());
  while (performance.now() - t0 < ms) {
    if (filledShares(await d.books()) > had) return performance.now() - t0;
    await sleep(100);
  }
  return null;
}

const idsOf = (d: DrillRun): Set<string> => new Set(d.readConfig().strategies.map((s) => String(s['id'])));
const brief = (o: VenueOrder): string => `${o.client_order_id} ${o.side} ${o.symbol} ${o.status} ${o.filled_qty}`;
const check = (problems: readonly string[], ok: string): Check => ({ pass: problems.length === 0, detail: problems.length === 0 ? ok : problems.join('; ') });

/**
 * Kill -9 at seeded moments, each time with the closed-trades log as a crash in the middle of an
 * append leaves it: a whole line the state never counted and half of the next one. The restart
 * ignores them (one warning each) and cuts them; its books match the venue, and at the end the
 * logs hold exactly the closed trades each strategy's performance counts, readable without warning.
 */
async function tornTradesLine(d: DrillRun, short: boolean, random: () => number): Promise<ScenarioResult> {
  const stateDir = join(d.dir, 'state');
  const tear = (): void => {
    const segments = readdirSync(stateDir).filter((f) => /^closed_trades_\d{6}\.jsonl$/.test(f)).sort();
    const file = join(stateDir, segments.at(-1) ?? 'closed_trades_000001.jsonl');
    appendFileSync(file, `${JSON.stringify({ strategy: 'sma_momentum', n: 999_999, symbol: 'TSLA', direction: 'long', qty: 1, entryTime: 0, exitTime: 0, entryPrice: 1, exitPrice: 2, grossPnl: 1, commission: 0, netPnl: 1 })}\n{"strategy":"sma_mom`);
  };
  const result = await killAndRestore(d, Array.from({ length: short ? 2 : 6 }, () => 0.5 + random() * 3), async () => {}, tear);
  const cut = d.log().filter((l) => typeof l['ignored'] === 'string' && /closed_trades_\d{6}\.jsonl: \d+ bytes after byte \d+ ignored/.test(l['ignored'] as string)).length;
  return {
    ...result,
    own: (settled) => {
      const warnings: string[] = [];
      const saved = readClosedTrades(stateDir, (w) => warnings.push(w));
      const shown = settled as unknown as { strategies: Record<string, { performance: { trades: number } }>; history?: { trades: { segment: number; offset: number } } };
      const at = shown.history?.trades;
      const last = at === undefined ? null : join(stateDir, `closed_trades_${String(at.segment).padStart(6, '0')}.jsonl`);
      const size = last !== null && existsSync(last) ? statSync(last).size : 0;
      const problems = [
        ...(cut === result.restarts.length ? [] : [`${cut} restarts warned of lines after the state, ${result.restarts.length} restarted`]),
        ...(at === undefined ? ['the settled state names no position in the closed-trades log'] : size === at.offset ? [] : [`${last}: ${size} bytes, the settled state goes to byte ${at.offset} (a torn line not cut)`]),
        ...warnings.map((w) => `reading the logs at the end: ${w}`),
        ...Object.entries(shown.strategies)
          .filter(([id, x]) => (saved?.strategies[id]?.length ?? -1) !== x.performance.trades)
          .map(([id, x]) => `${id}: ${saved?.strategies[id]?.length ?? 'no'} closed trades in the logs, performance counts ${x.performance.trades}`),
      ];
      const total = Object.values(saved?.strategies ?? {}).reduce((n, t) => n + t.length, 0);
      return check(problems, `${result.restarts.length} torn logs ignored with a warning and cut; ${total} closed trades in the logs, as the performance counts them`);
    },
  };
}

/**
 * Kill -9 at seeded moments under partial fills only: the even kills land at their moment, the odd
 * ones wait from there (at most 3 s) for an order partly filled at the venue. The books are read
 * just before each kill; the full form must have hit at least one partly filled order.
 */
async function restartWhilePartlyFilled(d: DrillRun, short: boolean, random: () => number): Promise<ScenarioResult> {
  const moments = Array.from({ length: short ? 2 : 8 }, () => 0.2 + random() * 2);
  const hits: string[] = [];
  let kills = 0;
  const result = await killAndRestore(d, moments, async (x) => {
    const wait = kills++ % 2 === 1;
    const until = performance.now() + (wait ? 3000 : 0);
    for (;;) {
      const partly = (await x.books()).orders.filter((o) => o.status === 'partially_filled');
      if (partly.length > 0) {
        hits.push(partly.map(brief).join(', '));
        return;
      }
      if (performance.now() >= until) return;
      await sleep(20);
    }
  });
  return {
    ...result,
    own: () => ({
      pass: short || hits.length > 0,
      detail: `${hits.length} of ${kills} kills hit while an order was partially filled at the venue${hits.length > 0 ? ` (${hits.slice(0, 3).join(' | ')})` : ''}${short ? '' : ' (at least 1 required)'}`,
    }),
  };
}

/**
 * A bracket of sma_momentum open at the venue when the daemon is killed; the market goes on while
 * it is down until one of its legs fills there; then --restore must book that fill to sma_momentum
 * and reconcile without an external order.
 */
async function bracketAcrossRestart(d: DrillRun, short: boolean, random: () => number): Promise<ScenarioResult> {
  const ids = new Set(['sma_momentum']);
  const legsOf = (b: VenueBooks): VenueOrder[] => b.orders.filter((o) => (o.parent_client_order_id ?? null) !== null && ownerOf(o, ids) === 'sma_momentum');
  let p = d.startDaemon(600, false);
  await d.trading(p);
  // A seeded moment (up to an hour of market time), then the first moment a leg of it is open.
  await sleep(random() * 6000);
  const atKill = await waitFor('a bracket leg of sma_momentum open at the venue', 90_000, async () => {
    const legs = legsOf(await d.books());
    return legs.some((l) => WORKING.has(l.status)) ? legs : null;
  });
  const before = d.state();
  await d.kill(p);
  const filledAtKill = new Set(atKill.filter((l) => l.status === 'filled').map((l) => l.client_order_id));
  const open = atKill.filter((l) => WORKING.has(l.status)).map((l) => `${l.client_order_id.slice(0, 8)}… of ${l.parent_client_order_id} ${l.status}`);
  // Market time goes on while the daemon is down (ten minutes a second): until one of its legs fills.
  await sleep(2000);
  const filledDown = await waitFor('a leg of sma_momentum filled while the daemon is down', 30_000, async () => {
    const now = legsOf(await d.books()).filter((l) => l.status === 'filled' && !filledAtKill.has(l.client_order_id));
    return now.length > 0 ? now : null;
  }).catch(() => [] as VenueOrder[]);
  const t0 = performance.now();
  p = d.startDaemon(600, true);
  await d.trading(p);
  const recoveryMs = performance.now() - t0;
  const restored = d.state();
  const restartSaid = p.stdout();
  await sleep(short ? 2000 : 20_000);
  p.child.kill('SIGTERM');
  await p.exit;
  return {
    recoveryMs,
    restarts: [[before, restored]],
    own: (_settled, venue) => {
      const legs = legsOf(venue);
      const external = /entries wait: [^\n]*/.exec(restartSaid)?.[0];
      return check(
        [
          ...(filledDown.length === 0 ? [`no leg of sma_momentum filled while the daemon was down (open at the kill: ${open.join(', ')})`] : []),
          ...(restartSaid.includes('books reconciled with the broker') ? [] : [`the restart did not reconcile: ${external ?? restartSaid.slice(-300)}`]),
        ],
        `legs open at the kill: ${open.join(', ')}; filled while down: ${filledDown.map((l) => `${l.side} ${l.filled_qty} ${l.symbol} @ ${l.filled_avg_price} (leg of ${l.parent_client_order_id})`).join(', ')}; the restart reconciled; ${legs.filter((l) => l.filled_qty > 0).length} of ${legs.length} legs of sma_momentum filled in all`,
      );
    },
  };
}

/**
 * Fills stalled at the venue while a strategy has buys resting there; the owner pauses it through
 * the control socket; the stall ends. Its resting buys must end canceled with nothing filled, and
 * its position never grows after the pause.
 */
async function tripWithRestingEntries(d: DrillRun, short: boolean, random: () => number): Promise<ScenarioResult> {
  const ids = idsOf(d);
  const restingBuys = (b: VenueBooks, id?: string): VenueOrder[] =>
    b.orders.filter((o) => o.side === 'buy' && (o.parent_client_order_id ?? null) === null && WORKING.has(o.status) && (id === undefined || strategyOf(o.client_order_id, ids) === id));
  const p = d.startDaemon(600, false);
  await d.trading(p);
  // The stall from a seeded moment; once buys rest, a seeded while more may join them.
  await sleep(500 + random() * 5000);
  await d.fault({ type: 'stall_fills' });
  await waitFor('a buy resting at the venue', 30_000, async () => restingBuys(await d.books())[0]);
  await sleep(random() * 2000);
  // The strategy with the most buys resting (the first to send one on a tie).
  const counts = new Map<string, number>();
  for (const o of restingBuys(await d.books())) counts.set(strategyOf(o.client_order_id, ids)!, (counts.get(strategyOf(o.client_order_id, ids)!) ?? 0) + 1);
  const target = [...counts].reduce((best, x) => (x[1] > best[1] ? x : best))[0];
  const resting = restingBuys(await d.books(), target).map((o) => o.client_order_id);
  const reply = await d.ctl('pause', target);
  if (reply.code !== 0) throw new Error(`ctl pause ${target}: exit ${reply.code ?? reply.signal}: ${reply.stdout}${reply.stderr}`);
  // Its books right after the pause (saved with the breaker change; nothing can fill meanwhile).
  const paused = await waitFor(`${target} paused in the state file`, 15_000, () => {
    const st = stateNow(d);
    return st?.strategies[target]?.circuitBreaker?.state === 'PAUSED' ? st : null;
  });
  const held = new Map(paused.strategies[target]!.ledger.positions.map((x) => [x.symbol, x.qty]));
  // The trip cancels them at the venue while fills are still stalled; then the stall ends.
  await waitFor(`the resting buys of ${target} done at the venue`, 15_000, async () => {
    const b = await d.books();
    return resting.every((cid) => !WORKING.has(b.orders.find((o) => o.client_order_id === cid)?.status ?? '')) ? true : null;
  }).catch(() => false);
  await d.clearFaults();
  const recoveryMs = await nextFillWithin(d, 30_000);
  await sleep(short ? 2000 : 15_000);
  p.child.kill('SIGTERM');
  await p.exit;
  return {
    recoveryMs,
    restarts: [],
    own: (settled, venue) => {
      const problems: string[] = [];
      for (const cid of resting) {
        const o = venue.orders.find((x) => x.client_order_id === cid);
        if (o === undefined || o.status !== 'canceled' || o.filled_qty !== 0) problems.push(`${cid} resting at the pause ended ${o === undefined ? 'unknown' : `${o.status} with ${o.filled_qty} filled`}`);
      }
      for (const x of settled.strategies[target]?.ledger.positions ?? []) {
        if (x.qty > (held.get(x.symbol) ?? 0)) problems.push(`${target} ${x.symbol} grew after the pause: ${held.get(x.symbol) ?? 0} → ${x.qty}`);
      }
      const holding = [...held].filter(([, q]) => q !== 0).map(([sym, q]) => `${q} ${sym}`);
      return check(problems, `${target} paused with ${resting.length} buy(s) resting (${resting.join(', ')}) and holding ${holding.join(', ') || 'nothing'}: all canceled, none filled; its position never grew`);
    },
  };
}

/**
 * The owner retires a strategy while the daemon runs (`ctl flatten`), waits until it holds nothing
 * and has no order, stops, removes it from the configuration and changes another's capital, then
 * restores: the restore starts, says what changed, and the account breaker (drawdown limit 10 %)
 * stays armed although a strategy's capital left the account.
 */
async function configurationChange(d: DrillRun, short: boolean, random: () => number): Promise<ScenarioResult> {
  let p = d.startDaemon(600, false);
  await d.trading(p);
  const candidates = [...idsOf(d)].filter((id) => id !== 'sma_momentum');
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  // The strategy to retire, at a seeded moment: a seeded one of those that hold shares (the flatten
  // then has something to close), else of all.
  await sleep(random() * (short ? 2000 : 8000));
  const holders = await waitFor(
    'a strategy holding shares',
    short ? 5000 : 15_000,
    () => {
      const st = stateNow(d);
      const h = candidates.filter((id) => st?.strategies[id]?.ledger.positions.some((x) => x.qty !== 0));
      return h.length > 0 ? h : null;
    },
    200,
  ).catch(() => candidates);
  const retired = pick(holders);
  const reply = await d.ctl('flatten', retired);
  if (reply.code !== 0) throw new Error(`ctl flatten ${retired}: exit ${reply.code ?? reply.signal}: ${reply.stdout}${reply.stderr}`);
  await waitFor(`${retired} flat with no open order`, 60_000, () => {
    const st = stateNow(d);
    const s = st?.strategies[retired];
    if (st === null || s === undefined) return null;
    const exec = st.engine?.execution;
    const busy = (s.openOrders ?? 0) > 0 || s.ledger.positions.some((x) => x.qty !== 0) || exec?.inFlight.some((o) => o.strategyId === retired) === true || exec?.held.some((h) => h.request.strategyId === retired) === true;
    return busy ? null : true;
  });
  p.child.kill('SIGTERM');
  await p.exit;
  const atStop = d.state();
  const config = d.readConfig();
  config.strategies = config.strategies.filter((s) => s['id'] !== retired);
  // Another strategy's capital: a seeded deposit or withdrawal of $5,000.
  const changed = pick(config.strategies.filter((s) => s['id'] !== 'sma_momentum'));
  const oldCapital = Number(changed['capital_allocation']);
  const newCapital = oldCapital + (random() < 0.5 ? 5000 : -5000);
  changed['capital_allocation'] = newCapital;
  d.writeConfig(config);
  const t0 = performance.now();
  p = d.startDaemon(short ? 8 : 25, true);
  await d.trading(p);
  const recoveryMs = performance.now() - t0;
  const exit = await p.exit;
  const restored = d.state();
  return {
    recoveryMs,
    restarts: [[atStop, restored]],
    own: (settled) => {
      const said = d.log().filter((l) => String(l['msg'] ?? '').startsWith('configuration changed since the state was saved')).map((l) => String(l['msg']));
      const flows = settled.engine?.capitalFlows ?? [];
      const problems = [
        ...(exit.code === 0 ? [] : [`the restore ended with exit ${exit.code ?? exit.signal}: ${(exit.stderr || exit.stdout).slice(-300)}`]),
        ...(said.some((m) => m.includes(`strategy ${retired} removed`)) ? [] : [`no "configuration changed" line for ${retired} removed (said: ${said.join(' | ') || 'nothing'})`]),
        ...(said.some((m) => m.includes(`strategy ${String(changed['id'])}: capital_allocation`)) ? [] : [`no "configuration changed" line for ${String(changed['id'])}'s capital (said: ${said.join(' | ') || 'nothing'})`]),
        ...(atStop.circuitBreaker?.state === 'ARMED' ? [] : [`the account breaker was ${atStop.circuitBreaker?.state ?? 'absent'} before the change already`]),
        ...[restored, settled].filter((st) => st.circuitBreaker?.state !== 'ARMED').map((st) => `the account breaker is ${st.circuitBreaker?.state ?? 'absent'} after the restore (state of ${st.timestamp})`),
        ...(flows.some((f) => f.strategyId === retired && f.why.startsWith('removed')) ? [] : [`no capital flow for ${retired}'s removal`]),
        ...(settled.strategies[String(changed['id'])]?.capital === newCapital ? [] : [`${String(changed['id'])}'s capital is ${settled.strategies[String(changed['id'])]?.capital}, not ${newCapital}`]),
      ];
      return check(problems, `${retired} flattened and removed (its $${(-(flows.find((f) => f.strategyId === retired)?.amount ?? 0)).toFixed(2)} back to the account), ${String(changed['id'])} $${oldCapital} → $${newCapital}: the restore started and said so (${said.length} lines), the account breaker stayed ARMED`);
    },
  };
}

export const scenarios: readonly Scenario[] = [
  {
    name: 'data stream dropped every 3 s',
    recoveryBoundMs: 20_000,
    run: (d, short) => faultWhileTrading({ seconds: short ? 16 : 30, before: 2, hold: short ? 7 : 15, apply: (x) => x.fault({ type: 'drop_stream', stream: 'data', every: 3 }) })(d),
  },
  {
    name: 'data stream connected but silent',
    recoveryBoundMs: 20_000,
    run: (d, short) => faultWhileTrading({ seconds: short ? 16 : 30, before: 2, hold: short ? 6 : 15, apply: (x) => x.fault({ type: 'silence_stream', stream: 'data', seconds: short ? 6 : 15 }) })(d),
  },
  {
    name: 'reconnects refused (406 data, 429 trading)',
    // Back-off grows to 90 s (data) and 30 s (trading) while refused: the next try may come that late.
    recoveryBoundMs: 100_000,
    run: (d, short) =>
      faultWhileTrading({
        seconds: short ? 30 : 200,
        before: 2,
        hold: short ? 8 : 90,
        apply: async (x) => {
          await x.fault({ type: 'refuse_connections', stream: 'data', status: 406, seconds: short ? 8 : 90 });
          await x.fault({ type: 'refuse_connections', stream: 'trading', status: 429, seconds: short ? 8 : 90 });
          await x.fault({ type: 'drop_stream', stream: 'all' });
        },
      })(d),
  },
  {
    name: 'REST 429 storm',
    recoveryBoundMs: 20_000,
    run: (d, short) => faultWhileTrading({ seconds: short ? 14 : 25, before: 2, hold: 4, apply: (x) => x.fault({ type: 'http_errors', api: 'all', status: 429, count: short ? 30 : 100 }) })(d),
  },
  {
    name: '5xx on order POST',
    recoveryBoundMs: 20_000,
    run: (d, short) => faultWhileTrading({ seconds: short ? 14 : 25, before: 2, hold: 4, apply: (x) => x.fault({ type: 'http_errors', api: 'trading', status: 503, count: short ? 4 : 10 }) })(d),
  },
  {
    name: 'order accepted, HTTP answer lost',
    recoveryBoundMs: 20_000,
    run: (d, short) => faultWhileTrading({ seconds: short ? 14 : 25, before: 1, hold: 5, apply: (x) => x.fault({ type: 'lose_order_responses', count: short ? 2 : 5 }) })(d),
  },
  {
    name: 'rejections and partial fills',
    recoveryBoundMs: 20_000,
    options: { emulatorArgs: ['--partial-fill-rate', '0.5'] },
    run: (d, short) =>
      faultWhileTrading({
        seconds: short ? 14 : 25,
        before: 1,
        hold: 5,
        apply: async (x) => {
          await x.fault({ type: 'reject_orders', count: 2, via: 'http' });
          await x.fault({ type: 'reject_orders', count: 2, via: 'stream' });
        },
      })(d),
  },
  {
    name: 'kill -9 at seeded moments, --restore',
    recoveryBoundMs: 30_000,
    options: { speed: 240 },
    run: (d, short, random) => killAndRestore(d, Array.from({ length: short ? 3 : 20 }, () => 0.2 + random() * 3)),
  },
  {
    name: 'state file cannot be written, then kill -9',
    recoveryBoundMs: 30_000,
    run: (d) => {
      let aside = '';
      return killAndRestore(
        d,
        [2],
        async (x) => {
          // The latest file's path taken by a directory that is not empty: every save's rename over it
          // fails (as on a full or read-only disk, even for root). The last good file is kept aside and
          // put back after the kill, as the disk would have it.
          aside = `${x.statePath}.aside`;
          for (let tries = 0; ; tries++) {
            try {
              renameSync(x.statePath, aside);
              mkdirSync(x.statePath);
              writeFileSync(join(x.statePath, 'blocker'), '');
              break;
            } catch (error) {
              // The daemon renamed a new latest file in between: set it aside too, and again.
              if (tries === 50) throw error;
              await sleep(20);
            }
          }
          await sleep(4000);
        },
        (x) => {
          rmSync(x.statePath, { recursive: true, force: true });
          renameSync(aside, x.statePath);
        },
        () => JSON.parse(readFileSync(aside, 'utf8')) as StateFile,
      );
    },
  },
  {
    name: 'latest state file corrupted, --restore',
    recoveryBoundMs: 30_000,
    run: (d) =>
      killAndRestore(
        d,
        [3],
        async () => {},
        (x) => {
          const text = readFileSync(x.statePath, 'utf8');
          writeFileSync(x.statePath, text.slice(0, Math.floor(text.length / 2)));
        },
      ),
  },
  {
    name: 'kill -9 with a torn closed-trades line, --restore',
    recoveryBoundMs: 30_000,
    options: { speed: 240 },
    run: tornTradesLine,
  },
  {
    name: 'Telegram down for minutes',
    recoveryBoundMs: 30_000,
    run: async (d, short) => {
      const p = d.startDaemon(short ? 18 : 150, false);
      await d.trading(p);
      d.telegram.down = true;
      await sleep(short ? 10_000 : 120_000);
      d.telegram.down = false;
      const t0 = performance.now();
      const had = d.telegram.received.length;
      while (d.telegram.received.length === had && performance.now() - t0 < 60_000) await sleep(100);
      const recoveryMs = d.telegram.received.length > had ? performance.now() - t0 : null;
      await p.exit;
      return { recoveryMs, restarts: [] };
    },
  },
  {
    name: 'market clock jumps 90 minutes',
    recoveryBoundMs: 20_000,
    run: async (d, short) => {
      const p = d.startDaemon(short ? 14 : 25, false);
      await d.trading(p);
      await sleep(2000);
      const status = (await d.admin('/status')) as { market_time: string };
      const to = new Date(Date.parse(status.market_time) + 90 * 60_000).toISOString();
      await d.admin('/clock', { action: 'jump', to });
      const recoveryMs = await d.nextOrderWithin(await d.orderCount(), 30_000);
      await p.exit;
      return { recoveryMs, restarts: [] };
    },
  },
  {
    name: 'restart while orders are partly filled',
    recoveryBoundMs: 30_000,
    options: { speed: 240, emulatorArgs: ['--partial-fill-rate', '1'] },
    run: restartWhilePartlyFilled,
  },
  {
    name: 'bracket legs open across a restart, a leg fills while the daemon is down',
    recoveryBoundMs: 30_000,
    options: {
      configure: (c) => {
        // sma_momentum trades brackets all day; another strategy's breaker trips on its fifth order (one to keep).
        const m = c.strategies.find((s) => s['id'] === 'sma_momentum')!;
        m['params'] = { ...(m['params'] as object), stop_loss_pct: 0.002, take_profit_pct: 0.004 };
        delete m['circuit_breakers'];
        c.strategies.find((s) => s['id'] === 'sma_fast_index')!['circuit_breakers'] = { max_trades_per_day: 4 };
      },
    },
    run: bracketAcrossRestart,
  },
  {
    name: 'a trip with resting entries',
    recoveryBoundMs: 20_000,
    run: tripWithRestingEntries,
  },
  {
    name: 'a configuration change between runs',
    recoveryBoundMs: 30_000,
    options: {
      configure: (c) => {
        c['circuit_breakers'] = { ...(c['circuit_breakers'] as object), account: { max_drawdown_pct: 0.1 } };
      },
    },
    run: configurationChange,
  },
];
