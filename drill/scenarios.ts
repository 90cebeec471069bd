import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DrillRun, DrillRunOptions, StateFile } from './DrillRun.js';
import { sleep } from './processes.js';

/** What a scenario measured beyond the books, which every scenario checks the same way afterwards. */
export interface ScenarioResult {
  /** Wall ms from the fault's end to trading again (a new order at the venue, or the restarted daemon trading); null: not measured. */
  readonly recoveryMs: number | null;
  /** State files around each restart: a breaker tripped before must be tripped after. */
  readonly restarts: ReadonlyArray<readonly [StateFile, StateFile]>;
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
async function killAndRestore(d: DrillRun, moments: readonly number[], beforeKill: (d: DrillRun, pid: number) => Promise<void> = async () => {}, afterKill: (d: DrillRun) => void = () => {}): Promise<ScenarioResult> {
  const restarts: Array<readonly [StateFile, StateFile]> = [];
  let worst = 0;
  let p = d.startDaemon(600, false);
  await d.trading(p);
  for (const at of moments) {
    await sleep(at * 1000);
    await beforeKill(d, p.child.pid!);
    const before = d.state();
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
      let blocker = '';
      return killAndRestore(
        d,
        [2],
        async (x, pid) => {
          // The save's temp file path taken by a directory: every save fails (as on a full or read-only disk, even for root).
          blocker = join(x.dir, 'state', `.latest_state.json.${pid}.tmp`);
          for (let tries = 0; ; tries++) {
            try {
              mkdirSync(blocker);
              break;
            } catch (error) {
              // The daemon was saving at that instant (its temp file is there): again in a moment.
              if (tries === 50) throw error;
              await sleep(20);
            }
          }
          await sleep(4000);
        },
        () => rmSync(blocker, { recursive: true, force: true }),
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
];
