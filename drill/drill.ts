import { parseArgs } from 'node:util';
import { seededRandom } from '../src/core/seededRandom.js';
import { alertsOnce, breakersPreserved, fillsBookedOnce, ledgersSumToVenue, removedStrategies, uniqueIntendedOrders, type Check, type StateBooks, type VenueBooks } from './checkBooks.js';
import { DrillRun, STARTING_CASH } from './DrillRun.js';
import { scenarios, type Scenario } from './scenarios.js';
import { drillOptions } from './drillOptions.js';

export const INVARIANTS = ['ids unique, all intended', 'fills booked once', 'ledgers = venue', 'breakers kept', 'alerts once', 'trading again', 'no crash', 'its own check'] as const;

/** The last column for a scenario that checks nothing of its own. */
const NO_OWN_CHECK: Check = { pass: true, detail: 'no check of its own' };

export interface DrillRow {
  readonly scenario: string;
  readonly checks: ReadonlyArray<Check>;
  readonly recoveryMs: number | null;
  readonly seconds: number;
}

/** Every daemon run ended by us (SIGKILL) or cleanly (exit 0), and the logs hold no fatal error or unhandled rejection. */
function noCrash(d: DrillRun): Check {
  const bad = d.exits.filter((e) => !e.killed && e.exit.code !== 0).map((e) => `exit ${e.exit.code ?? e.exit.signal}: ${e.exit.stderr.slice(-300) || e.exit.stdout.slice(-300)}`);
  const fatal = d.log().filter((l) => (typeof l['level'] === 'number' && l['level'] >= 60) || /unhandled|uncaught/i.test(String(l['msg'] ?? '')));
  const problems = [...bad, ...fatal.map((l) => `log: ${String(l['msg'])}`)];
  return { pass: problems.length === 0, detail: problems.length === 0 ? `${d.exits.length} runs (${d.exits.filter((e) => e.killed).length} killed), none failed` : problems.join('; ') };
}

/** A failed fill check names, for each symbol it mentions, the venue's orders and the fills the daemon booked (its trade log). */
function explainFills(c: Check, venue: VenueBooks, log: ReadonlyArray<Record<string, unknown>>): Check {
  if (c.pass) return c;
  const symbols = new Set([...c.detail.matchAll(/ ([A-Z][A-Z0-9.]*): ledger/g)].map((m) => m[1]!));
  const lines = [...symbols].flatMap((symbol) => [
    `${symbol} at the venue: ${venue.orders
      .filter((o) => o.symbol === symbol)
      .map((o) => `${o.client_order_id} ${o.side} ${o.status} ${o.filled_qty}@${o.filled_avg_price ?? '-'}`)
      .join(', ')}`,
    `${symbol} booked: ${log
      .filter((l) => l['component'] === 'trades' && l['symbol'] === symbol)
      .map((l) => `${String(l['clientOrderId'])} ${String(l['side'])} ${String(l['qty'])}@${String(l['price'])}`)
      .join(', ')}`,
    ...log.filter((l) => JSON.stringify(l).includes(symbol) && typeof l['level'] === 'number' && l['level'] >= 40).map((l) => `log: ${String(l['msg']).slice(0, 200)}`),
  ]);
  // Errors of any kind (a failed catch-up names no symbol).
  lines.push(...log.filter((l) => typeof l['level'] === 'number' && l['level'] >= 50 && !JSON.stringify(l).includes('entries wait')).map((l) => `error: ${String(l['msg']).slice(0, 200)}`));
  return { pass: false, detail: `${c.detail} [${lines.join(' | ')}]` };
}

/** Every restart kept its tripped breakers: the first that did not, else the last (the settle restart). */
function breakersAcross(restarts: ReadonlyArray<readonly [StateBooks, StateBooks]>): Check {
  const checks = restarts.map(([a, b]) => breakersPreserved(a, b));
  return checks.find((c) => !c.pass) ?? checks[checks.length - 1]!;
}

/** Runs one scenario in a world of its own, then the same checks for all. */
export async function runScenario(s: Scenario, short: boolean, seed: number): Promise<DrillRow> {
  const t0 = performance.now();
  const d = await DrillRun.open({ seed, ...s.options });
  try {
    const result = await s.run(d, short, seededRandom(seed));
    const before = d.state();
    const settle = await d.settle();
    const after = d.state();
    const venue = await d.books();
    // Strategies a restore dropped from the configuration: their orders and cash are still the venue's.
    const removed = removedStrategies(after, [...result.restarts.flat(), before]);
    const ids = new Set([...Object.keys(after.strategies), ...removed.keys()]);
    const reconciled = settle.stdout.includes('books reconciled with the broker');
    const fills = explainFills(fillsBookedOnce(venue, after, removed), venue, d.log());
    const checks: Check[] = [
      uniqueIntendedOrders(venue, ids),
      reconciled ? fills : { pass: false, detail: `the restart did not reconcile: ${/entries wait: [^\n]*/.exec(settle.stdout)?.[0] ?? settle.stdout.slice(-400)}; ${fills.detail}` },
      ledgersSumToVenue(venue, after, STARTING_CASH, removed),
      breakersAcross([...result.restarts, [before, after]]),
      alertsOnce(d.log(), d.telegram.received.map((m) => m.at), d.outboxPending(), d.kills, performance.timeOrigin),
      result.recoveryMs === null
        ? { pass: false, detail: `not trading again within the wait` }
        : { pass: result.recoveryMs <= s.recoveryBoundMs, detail: `${(result.recoveryMs / 1000).toFixed(1)} s (bound ${s.recoveryBoundMs / 1000} s)` },
      noCrash(d),
      result.own?.(after, venue) ?? NO_OWN_CHECK,
    ];
    return { scenario: s.name, checks, recoveryMs: result.recoveryMs, seconds: (performance.now() - t0) / 1000 };
  } catch (error) {
    const failed: Check = { pass: false, detail: `the scenario broke: ${error instanceof Error ? error.message : String(error)}` };
    return { scenario: s.name, checks: INVARIANTS.map(() => failed), recoveryMs: null, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await d.close();
  }
}

/** The table of scenario × invariant (✓/✗, recovery time), then the detail of each failure. */
export function formatTable(rows: readonly DrillRow[]): string {
  const head = `| scenario | ${INVARIANTS.join(' | ')} | s |`;
  const sep = `| --- | ${INVARIANTS.map(() => ':---:').join(' | ')} | ---: |`;
  const lines = rows.map((r) => {
    const cells = r.checks.map((c, i) => (i === 5 && r.recoveryMs !== null ? `${c.pass ? '✓' : '✗'} ${(r.recoveryMs / 1000).toFixed(1)} s` : c === NO_OWN_CHECK ? '–' : c.pass ? '✓' : '✗'));
    return `| ${r.scenario} | ${cells.join(' | ')} | ${r.seconds.toFixed(0)} |`;
  });
  const failures = rows.flatMap((r) => r.checks.map((c, i) => (c.pass ? null : `- ${r.scenario} / ${INVARIANTS[i]}: ${c.detail}`)).filter((x): x is string => x !== null));
  const details = rows.map((r) => `- ${r.scenario}: ${r.checks.filter((c) => c !== NO_OWN_CHECK).map((c) => c.detail).join(' · ')}`);
  return [head, sep, ...lines, '', ...(failures.length > 0 ? ['Failures:', ...failures] : ['Every scenario passed every invariant.']), '', 'Measured:', ...details].join('\n');
}

export async function runDrill(o: { short: boolean; only?: readonly string[]; seed: number; progress?: (row: DrillRow) => void }): Promise<DrillRow[]> {
  const rows: DrillRow[] = [];
  const chosen = o.only === undefined ? scenarios : scenarios.filter((s) => o.only!.some((n) => s.name.includes(n)));
  for (const [i, s] of chosen.entries()) {
    const row = await runScenario(s, o.short, o.seed + i);
    rows.push(row);
    o.progress?.(row);
  }
  return rows;
}

// `npm run drill [-- --short] [--only TEXT]… [--seed N]`
if (process.argv[1]?.endsWith('drill.ts')) {
  const { values } = parseArgs({ options: drillOptions });
  const rows = await runDrill({
    short: values.short,
    ...(values.only === undefined ? {} : { only: values.only }),
    seed: Number(values.seed),
    progress: (r) => process.stderr.write(`${r.checks.every((c) => c.pass) ? '✓' : '✗'} ${r.scenario} (${r.seconds.toFixed(0)} s)\n`),
  });
  process.stdout.write(`${formatTable(rows)}\n`);
  process.exitCode = rows.every((r) => r.checks.every((c) => c.pass)) ? 0 : 1;
}
