import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { runStatusCommand } from '../../src/cli/statusCommand.js';
import type { DaemonEnv } from '../../src/config/env.js';
import { CliError } from '../../src/core/errors.js';
import { sharpeEvidence } from '../../src/portfolio/probabilisticSharpe.js';
import type { ReadinessReport, StrategyReadiness } from '../../src/readiness/buildReadinessReport.js';
import { formatReadinessBrief } from '../../src/readiness/formatReadiness.js';
import { liveGate } from '../../src/readiness/liveGate.js';
import { readinessOf } from '../../src/readiness/readinessOf.js';
import { readPaperRecord } from '../../src/readiness/readPaperRecord.js';
import { lastSessionOfWeek } from '../../src/readiness/weeklyEdition.js';
import { StaticNyseCalendar } from '../../src/risk/calendar/StaticNyseCalendar.js';
import { bars, liveConfig, paperRecord, paperTrade, readConfig, scratch, WARM, writeDailyConfig, type Made, type Scenario } from './paperRecordHarness.js';

async function judge(file: string, o: { env?: DaemonEnv; now?: number } = {}): Promise<ReadinessReport> {
  return readinessOf(readConfig(file), { env: o.env ?? env, now: o.now ?? Date.now(), logger: pino({ level: 'silent' }) });
}

const HOUR = 3_600_000;
const env: DaemonEnv = { alpaca: null, telegram: { botToken: '123456:abcdefghijklmnopqrstuvwxyz', chatId: '42', apiRoot: 'http://127.0.0.1:9' } };

const only = (r: ReadinessReport): StrategyReadiness => {
  expect(r.strategies).toHaveLength(1);
  return r.strategies[0]!;
};
const failing = (s: StrategyReadiness): number[] => s.items.filter((i) => !i.pass).map((i) => i.item);
const item = (s: StrategyReadiness, n: number): StrategyReadiness['items'][number] => s.items.find((i) => i.item === n)!;

const GOOD: Scenario = { days: 90, drift: 0.003, vol: 0.01, seed: 7 };

describe('the live checklist on paper records made by the offline daemon', () => {
  let good: Made;
  beforeAll(async () => {
    good = await paperRecord(GOOD);
  }, 60_000);

  it('passes a strategy with 90 profitable days, a convincing Sharpe, a shallow drawdown, no change, a live plan and fills the backtest reproduces', async () => {
    const r = await judge(liveConfig(good));
    expect(r.found).toBe(true);
    expect(r.mode).toBe('sim');
    const s = only(r);
    expect(failing(s)).toEqual([]);
    expect(s.ready).toBe(true);
    expect(r.ready).toBe(true);

    // The period: the 90 trading days replayed, from the first after the warm-up.
    const f = s.figures!;
    expect(f.days).toBe(90);
    expect(f.from).toBe(good.dates[WARM]);
    expect(f.to).toBe(good.dates[WARM + 89]);
    expect(f.change).toBeNull();
    expect(item(s, 1).measured).toBe(`90 trading days (${good.dates[WARM]} → ${good.dates[WARM + 89]}), return +19.45 %`);
    // The Sharpe evidence is the one of the record's daily returns, recomputed here from the state file.
    const record = readPaperRecord({ stateDir: join(good.dir, 'state'), logDir: join(good.dir, 'logs') })!;
    const days = record.strategies.get('trend')!.days;
    expect(days.map((d) => d.date)).toEqual(good.dates.slice(WARM));
    const e = sharpeEvidence(days.map((d) => d.return))!;
    expect(f.sharpe).toEqual(e);
    expect(e.sharpe.toFixed(2)).toBe('3.61');
    expect(f.edgeProbability!).toBeGreaterThanOrEqual(0.95);
    expect(item(s, 2).measured).toMatch(/^Sharpe 3\.61 \(95 % interval 0\.30 to 6\.91; skew 0\.10, kurtosis 2\.92, 90 days\); probability the true Sharpe is above 0: 98\.4 %, above 2\.0: 83\.0 %$/);
    expect(item(s, 3).measured).toBe('max drawdown 3.37 % (peak 2025-06-04, trough 2025-06-16); breaker trips in the period: none');
    expect(item(s, 4).measured).toMatch(/^fingerprint [0-9a-f]{16} \(sma_cross \{"fast":5,"slow":20,"fraction":0\.9\} on TRND\), unchanged since run [a-z0-9]+ /);
    expect(item(s, 5).measured).toMatch(/^live capital \$2,000\.00 = 10\.0 % of the paper \$20,000\.00; live breakers: drawdown 5\.0 %, daily loss 2\.0 % \(account 5\.0 %, 2\.0 %\); Telegram: last delivery .* \(60 min ago\), 0 waiting; exit plan: “Stop if/);
    // Offline, paper trading and a backtest of the same code on the same bars fill identically.
    expect(s.drift).toMatchObject({ measured: true, uncovered: [], drift: { paper: 3, backtest: 3, matched: 3, agreement: 1, meanAdverseBps: 0, missed: [], extra: [] } });
    expect(formatReadinessBrief(r)).toEqual(['Live readiness (npm run readiness for the details):', '✅ trend: ready (all 6 items pass)']);
  });

  it('1: fails 45 trading days, and says how many more are needed', async () => {
    const m = await paperRecord({ days: 45, drift: 0.004, vol: 0.008, seed: 7 });
    const s = only(await judge(liveConfig(m)));
    expect(failing(s)).toEqual([1]);
    expect(item(s, 1).missing).toEqual(['18 more trading days (45 of 63)']);
  }, 30_000);

  it('1: fails 90 trading days that lost money; item 2 flags a Sharpe of mostly idle days', async () => {
    const s = only(await judge(liveConfig(await paperRecord({ days: 90, drift: 0, vol: 0.01, seed: 11 }))));
    expect(failing(s)).toEqual([1, 2]);
    expect(item(s, 1).measured).toBe('90 trading days (2025-03-04 → 2025-07-11), return −5.39 %');
    expect(item(s, 1).missing).toEqual(['a profit over the period (return −5.39 %)']);
    expect(s.figures!.exposure).toBeLessThan(0.5);
    expect(item(s, 2).measured).toMatch(/^Sharpe -1\.48 \(.*\); probability the true Sharpe is above 0: 18\.9 %, above 2\.0: 1\.9 %; in the market 35\.6 % of the time: a Sharpe of mostly idle days$/);
    expect(item(s, 2).missing).toEqual(['a Sharpe above 2.0 (-1.48)', 'evidence of an edge: 18.9 % < 95 % that the true Sharpe is above 0 (no positive Sharpe to confirm)']);
  }, 30_000);

  it('2: fails a Sharpe below 2.0, and a Sharpe above 2.0 whose evidence could be luck', async () => {
    const low = only(await judge(liveConfig(await paperRecord({ days: 90, drift: 0.002, vol: 0.012, seed: 3 }))));
    expect(failing(low)).toEqual([2]);
    expect(low.figures!.totalReturn).toBeGreaterThan(0);
    expect(item(low, 2).missing[0]).toBe('a Sharpe above 2.0 (1.42)');

    const lucky = only(await judge(liveConfig(await paperRecord({ days: 66, drift: 0.003, vol: 0.012, seed: 5 }))));
    expect(failing(lucky)).toEqual([2]);
    expect(lucky.figures!.sharpe!.sharpe).toBeGreaterThan(2);
    expect(lucky.figures!.edgeProbability!).toBeLessThan(0.95);
    expect(item(lucky, 2).missing).toEqual(['evidence of an edge: 94.4 % < 95 % that the true Sharpe is above 0 (at this Sharpe about 71 trading days would show it)']);
  }, 60_000);

  it('3: fails a drawdown of 10 % or more', async () => {
    const s = only(await judge(liveConfig(await paperRecord({ days: 90, drift: 0.006, vol: 0.006, seed: 7, fall: { at: 90, days: 4, by: -0.03 } }))));
    expect(failing(s)).toEqual([3]);
    expect(s.figures!.maxDrawdown.depth).toBeGreaterThanOrEqual(0.1);
    expect(item(s, 3).missing).toEqual(['a max drawdown under 10 % (12.14 %)']);
  }, 30_000);

  it('3: fails a paper record whose daily-loss breaker tripped, however shallow its drawdown (read from the breaker log)', async () => {
    // The same market as the passing record, with a daily-loss breaker at 1.5 %: it trips twice, blocks entries for those days, re-arms.
    const m = await paperRecord({ ...GOOD, breakers: { max_daily_loss_pct: 0.015 } });
    const s = only(await judge(liveConfig(m)));
    expect(failing(s)).toEqual([3]);
    expect(s.figures!.breakerTrips).toBe(2);
    expect(item(s, 3).measured).toBe('max drawdown 3.37 % (peak 2025-06-04, trough 2025-06-16); breaker trips in the period: 2: max_daily_loss 2025-04-02, max_daily_loss 2025-05-19');
    expect(item(s, 3).missing).toEqual(['no trip of the drawdown or daily-loss breaker (the live caps are stricter still): max_daily_loss 2025-04-02, max_daily_loss 2025-05-19']);
  }, 30_000);

  it('4: a changed parameter restarts the clock and says which change and when', async () => {
    const m = await paperRecord(GOOD);
    // Thirty more days of the same market, then a restart with --restore: once unchanged, once with fast 6.
    const longer = { ...GOOD, days: 120 };
    bars(m.data, longer);
    const same = scratch();
    const copy = (to: string, edit: (c: Record<string, unknown> & { strategies: Array<Record<string, unknown>> }) => void): string =>
      writeDailyConfig(to, m.data, (c) => {
        (c.sim as Record<string, unknown>).start = m.dates[WARM];
        c.state = { dir: join(m.dir, 'state'), snapshot_interval_s: 86_400 };
        c.logging = { dir: join(m.dir, 'logs'), level: 'info' };
        edit(c);
      });
    await paperTrade(copy(same, (c) => void (c.strategies[0]!.params = { fast: 6, slow: 20, fraction: 0.9 })), { wallStart: m.wallEnd + 60_000, restore: true });
    const changed = only(await judge(liveConfig(m, (c) => void (c.strategies[0]!.params = { fast: 6, slow: 20, fraction: 0.9 }))));
    expect(failing(changed)).toContain(4);
    expect(failing(changed)).toContain(1);
    expect(changed.figures!.days).toBe(30);
    expect(changed.figures!.change).toBe('params.fast 5 → 6');
    expect(item(changed, 4).measured).toContain(`; changed with run ${changed.figures!.clockStartedWith} (started `);
    expect(item(changed, 4).measured).toContain(`trading after ${m.dates[WARM + 89]} 20:00 UTC): params.fast 5 → 6; 30 trading days since`);
    expect(item(changed, 4).missing).toEqual(['63 trading days without a change (30 since params.fast 5 → 6)']);
  }, 60_000);

  it('4: an unchanged restart keeps the clock; a live configuration that differs from what was paper-traded fails', async () => {
    const m = await paperRecord(GOOD);
    bars(m.data, { ...GOOD, days: 120 });
    const again = writeDailyConfig(scratch(), m.data, (c) => {
      (c.sim as Record<string, unknown>).start = m.dates[WARM];
      c.state = { dir: join(m.dir, 'state'), snapshot_interval_s: 86_400 };
      c.logging = { dir: join(m.dir, 'logs'), level: 'info' };
    });
    await paperTrade(again, { wallStart: m.wallEnd + 60_000, restore: true });
    const s = only(await judge(liveConfig(m)));
    expect(s.figures!.days).toBe(120);
    expect(s.figures!.change).toBeNull();
    expect(item(s, 4).pass).toBe(true);
    // Across the restart the backtest still reproduces every fill.
    expect(s.drift).toMatchObject({ measured: true, drift: { agreement: 1, meanAdverseBps: 0 } });

    const other = only(await judge(liveConfig(m, (c) => void (c.strategies[0]!.symbols = ['TRND', 'OTHR']))));
    expect(failing(other)).toEqual([4]);
    expect(item(other, 4).missing).toEqual(['the strategy this configuration starts to be the one paper-traded: symbols +OTHR']);
  }, 60_000);

  it('5: fails a live plan with too much capital, loose breakers, no working monitoring or no exit plan', async () => {
    const money = only(await judge(liveConfig(good, (c) => void (c.strategies[0]!.capital_allocation = 5_000))));
    expect(failing(money)).toEqual([5]);
    expect(item(money, 5).missing).toEqual(['a live capital_allocation of at most $2,000.00 (10 % of the paper capital), not $5,000.00']);

    const loose = only(await judge(liveConfig(good, (c) => void ((c.live as Record<string, unknown>).max_drawdown_pct = 0.08))));
    expect(item(loose, 5).missing).toEqual(['breakers at least as strict as 5 % drawdown and 2 % daily loss (live.max_drawdown_pct, live.max_daily_loss_pct)']);

    const noPlan = only(await judge(liveConfig(good, (c) => void delete (c.live as Record<string, unknown>).exit_plan)));
    expect(item(noPlan, 5).missing).toEqual(['an exit plan: live.exit_plan, when and how you stop trading real money']);

    const silent = only(await judge(liveConfig(good), { env: { alpaca: null, telegram: null } }));
    expect(item(silent, 5).missing).toEqual(['monitoring: Telegram configured (TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID in .env)']);
    // Five days after the last delivery, monitoring is not shown to work.
    const stale = only(await judge(liveConfig(good), { now: Date.now() + 5 * 24 * HOUR }));
    expect(item(stale, 5).missing).toEqual(['monitoring that works: a Telegram delivery in the last 4 days (the daemon sends a summary every session)']);
    for (const s of [loose, noPlan, silent, stale]) expect(failing(s)).toEqual([5]);

    // The paper configuration itself has no live plan.
    const paper = only(await judge(good.paper));
    expect(failing(paper)).toEqual([5]);
    expect(item(paper, 5).missing[0]).toBe('a "live" section in the configuration (breaker caps, exit_plan; docs/readiness.md)');
  });

  it('6: measures how much worse paper fills are than the backtest’s, and fails when the backtest’s costs are off by more than 10 bps', async () => {
    const m = await paperRecord({ ...GOOD, slippageBps: 25 });
    const s = only(await judge(liveConfig(m)));
    expect(failing(s)).toEqual([6]);
    const d = s.drift!;
    if (!d.measured) throw new Error('not measured');
    expect(d.drift).toMatchObject({ paper: 3, backtest: 3, matched: 3, agreement: 1, missed: [], extra: [] });
    // 25 bps of slippage, capped at the bar's high or low (0.2 % beyond the open or close) when it would pass it.
    expect(d.drift.adverseBps.every((x) => x > 0 && x <= 25 + 1e-9)).toBe(true);
    expect(d.drift.meanAdverseBps!).toBeGreaterThan(10);
    expect(item(s, 6).missing).toEqual([`paper prices within 10 bps of the backtest's on average (+${d.drift.meanAdverseBps!.toFixed(1)} bps): backtests with sim.slippage_bps ${Math.ceil(d.drift.meanAdverseBps!)} would cost what paper costs`]);
    // The same record judged with the backtests' slippage set from it passes.
    const calibrated = only(await judge(liveConfig(m, (c) => void ((c.sim as Record<string, unknown>).slippage_bps = 25))));
    expect(failing(calibrated)).toEqual([]);

    // Without the bars, nothing can be compared.
    rmSync(join(m.data, 'TRND_daily.csv'));
    const blind = only(await judge(liveConfig(m)));
    expect(failing(blind)).toEqual([6]);
    expect(item(blind, 6).measured).toMatch(/^not measured: no bars: .*no 1Day bars for TRND/);
  }, 30_000);

  it('6: fails when the backtest does not take the paper trades (other bars: missed and extra fills), and when days of the period have no bars', async () => {
    const m = await paperRecord(GOOD);
    // The bars the backtest reads are not those paper trading saw (another feed, a revised file): the signals differ.
    bars(m.data, { ...GOOD, seed: 8 });
    const other = only(await judge(liveConfig(m)));
    expect(failing(other)).toEqual([6]);
    expect(other.drift).toMatchObject({ measured: true, drift: { paper: 3, backtest: 3, matched: 0, agreement: 0, meanAdverseBps: null } });
    expect(item(other, 6).missing).toEqual([
      'the backtest to agree on 90 % of the fills (0.0 %): missed buy TRND 2025-03-12 20:00, sell TRND 2025-03-14 20:00, buy TRND 2025-03-19 20:00; extra buy TRND 2025-03-10 20:00, sell TRND 2025-05-27 20:00, buy TRND 2025-05-29 20:00',
    ]);

    // The same bars, but three days of the period missing from the file: those days cannot be compared.
    bars(m.data, GOOD);
    const file = join(m.data, 'TRND_daily.csv');
    const rows = readFileSync(file, 'utf8').split('\n');
    writeFileSync(file, rows.filter((_, i) => i < 61 || i > 63).join('\n'));
    const gaps = only(await judge(liveConfig(m)));
    expect(failing(gaps)).toEqual([6]);
    expect(gaps.drift).toMatchObject({ measured: true, uncovered: ['2025-04-01', '2025-04-02', '2025-04-03'], drift: { matched: 3, agreement: 1 } });
    expect(item(gaps, 6).missing).toEqual([`bars for every day of the period: none on 3 days (2025-04-01, 2025-04-02, 2025-04-03) in the replayed files in ${m.data}`]);
  }, 30_000);

  it('judges nothing without a paper record', async () => {
    const dir = scratch();
    const r = await judge(writeDailyConfig(dir, join(dir, 'data')));
    expect(r.found).toBe(false);
    expect(failing(only(r))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.ready).toBe(false);
  });

  it('a live start records what it started, held back or overrode with its run, and says so in the start alert', async () => {
    const m = await paperRecord({ ...GOOD, days: 10 });
    const live = writeDailyConfig(scratch(), m.data, (c) => {
      (c.sim as Record<string, unknown>).start = m.dates[WARM];
    });
    const log: string[] = [];
    await paperTrade(live, { wallStart: Date.now() - HOUR, restore: false, live: { started: ['trend'], held: ['other'], override: 'small account, watched by hand' }, log });
    const started = log.map((l) => JSON.parse(l) as { msg: string }).find((l) => l.msg.startsWith('🚀 Daemon started'))!;
    expect(started.msg).toMatch(/\n⚠️ Live readiness OVERRIDDEN: small account, watched by hand\nHeld back \(not ready for live\): other$/);
    const runs = readPaperRecord({ stateDir: readConfig(live).state.dir, logDir: join(m.dir, 'nowhere') })!.runs;
    expect(runs.map((r) => r.live)).toEqual([{ started: ['trend'], held: ['other'], override: 'small account, watched by hand' }]);
    // The state file keeps it too, and npm run status says it.
    const state = JSON.parse(readFileSync(join(readConfig(live).state.dir, 'latest_state.json'), 'utf8')) as { live?: unknown };
    expect(state.live).toEqual({ started: ['trend'], held: ['other'], override: 'small account, watched by hand' });
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => out.push(String(chunk)) > 0);
    try {
      expect(await runStatusCommand(['--config', live], {})).toBe(0);
    } finally {
      write.mockRestore();
    }
    expect(out.join('').split('\n').slice(4, 6)).toEqual(['LIVE run: trading trend; held back (not ready): other', '⚠️ live readiness OVERRIDDEN: small account, watched by hand']);
  });

  it('adds the checklist to the daily summary of the week’s last session (the weekly edition)', async () => {
    const m = await paperRecord({ ...GOOD, days: 10 });
    const weekly = writeDailyConfig(scratch(), m.data, (c) => {
      (c.sim as Record<string, unknown>).start = m.dates[WARM];
      (c.notifications as Record<string, unknown>).daily_summary = true;
    });
    const log: string[] = [];
    await paperTrade(weekly, { wallStart: Date.now() - HOUR, restore: false, weekly: true, log });
    const summaries = log.map((l) => JSON.parse(l) as { msg: string }).filter((l) => l.msg.startsWith('📅 Daily summary'));
    // Ten sessions from Tuesday 2025-03-04: a summary at each close.
    expect(summaries.map((l) => l.msg.split('\n')[0])).toEqual(m.dates.slice(WARM, WARM + 10).map((d) => `📅 Daily summary ${d}`));
    const editions = summaries.filter((l) => l.msg.includes('🗓 Weekly edition')).map((l) => l.msg.split('\n')[0]);
    expect(editions).toEqual(['📅 Daily summary 2025-03-07', '📅 Daily summary 2025-03-14']);
    const friday = summaries.find((l) => l.msg.startsWith('📅 Daily summary 2025-03-14'))!.msg;
    expect(friday).toContain('\n\n🗓 Weekly edition\nLive readiness (npm run readiness for the details):\n⛔ trend: not ready: 1. ');
    // The summary's own ratios follow the same sample rule: nine trading days give no Sharpe, no closed trade no win rate.
    expect(friday.split('\n')[3]).toBe('• trend: +$495.88 · 0 trades · win n/a (0 of 10 closed trades) · Sharpe n/a (9 of 20 trading days) · max DD 1.1% · holds TRND 196');
    expect(lastSessionOfWeek(new StaticNyseCalendar(), '2025-04-17')).toBe(true);
    expect(lastSessionOfWeek(new StaticNyseCalendar(), '2025-04-16')).toBe(false);
  });

  it('--live starts only the ready strategies; an override starts all and is kept; the paper record must lie elsewhere', async () => {
    const ready = await judge(liveConfig(good));
    const config = readConfig(liveConfig(good));
    expect(liveGate(config, ready, null, 'live.json')).toMatchObject({ started: ['trend'], held: [], override: null });
    const notReady = await judge(liveConfig(good, (c) => void (c.strategies[0]!.capital_allocation = 5_000)));
    const bigger = readConfig(liveConfig(good, (c) => void (c.strategies[0]!.capital_allocation = 5_000)));
    expect(() => liveGate(bigger, notReady, null, 'live.json')).toThrow(CliError);
    expect(() => liveGate(bigger, notReady, null, 'live.json')).toThrow(/^--live: no strategy passes the live checklist \(trend fails 5\)/);
    const overridden = liveGate(bigger, notReady, 'small account, watched by hand', 'live.json');
    expect(overridden).toMatchObject({ started: ['trend'], held: [], override: 'small account, watched by hand' });
    expect(overridden.lines).toEqual(['LIVE READINESS OVERRIDDEN (small account, watched by hand): starting trend', '  trend is not ready (fails 5; npm run readiness -- --config live.json)']);
    const sameDir = readConfig(liveConfig(good, (c) => void (c.state = { dir: join(good.dir, 'state') })));
    expect(() => liveGate(sameDir, ready, null, 'live.json')).toThrow(/live trading keeps its own state/);
  });
});
