import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReadinessReport } from '../../src/readiness/buildReadinessReport.js';
import { liveConfig, paperRecord, WARM, type Made } from '../readiness/paperRecordHarness.js';
import { root, runCli, scratchDir, writeConfig } from './cli.js';

const TELEGRAM = { TELEGRAM_BOT_TOKEN: '123456:abcdefghijklmnopqrstuvwxyz', TELEGRAM_CHAT_ID: '42' };
const LIVE = { ALPACA_API_KEY: 'AKTESTKEY', ALPACA_SECRET_KEY: 'testsecret', ALPACA_BASE_URL: 'https://api.alpaca.markets' };

describe('npm run readiness', () => {
  let m: Made;
  beforeAll(async () => {
    m = await paperRecord({ days: 90, drift: 0.003, vol: 0.01, seed: 7 });
  }, 60_000);

  it('prints every item and the verdict; exit 0 when every strategy is ready, 1 when one is not', async () => {
    const ready = await runCli(['readiness', '--config', liveConfig(m)], m.dir, TELEGRAM);
    expect(ready.stderr).toBe('');
    expect(ready.code).toBe(0);
    expect(ready.stdout).toContain(`Live readiness of the paper record in ${join(m.dir, 'state')} (offline simulation;`);
    expect(ready.stdout).toContain('trend: READY for live trading');
    expect(ready.stdout).toContain(`  ✓ 1. 3 months of profitable paper trading: 90 trading days (${m.dates[WARM]} → ${m.dates[WARM + 89]}), return +19.45 %`);

    const notReady = await runCli(['readiness', '--config', liveConfig(m), '--json'], m.dir);
    expect(notReady.code).toBe(1);
    const report = JSON.parse(notReady.stdout) as ReadinessReport;
    expect(report.strategies.map((s) => [s.id, s.ready, s.items.filter((i) => !i.pass).map((i) => i.item)])).toEqual([['trend', false, [5]]]);
    expect(report.strategies[0]!.items[4]!.missing).toEqual(['monitoring: Telegram configured (TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID in .env)']);
  });

  it('refuses a strategy the configuration does not run (exit 2)', async () => {
    const r = await runCli(['readiness', '--config', liveConfig(m), '--strategy', 'nope'], m.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --strategy: nope is not an enabled strategy of .* \(trend\)\n$/);
  });

  it('--live refuses to start when no strategy is ready, before any connection, and names what fails', async () => {
    const r = await runCli(['start', '--config', liveConfig(m), '--live'], m.dir, LIVE);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --live: no strategy passes the live checklist \(trend fails 5\): see npm run readiness -- --config .*; --override-readiness "<reason>" starts them anyway \(logged, alerted, recorded\)\n$/);
    const stray = await runCli(['start', '--config', liveConfig(m), '--override-readiness', 'because'], m.dir);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toBe('error: --override-readiness goes with --live\n');
  });
});

describe('the backtest summary on the sample week', () => {
  it('calls no strategy ready: five trading days are too few to judge, and breaker trips count', async () => {
    const dir = scratchDir();
    for (const [n, config] of [writeConfig(dir), join(root, 'config', 'advanced-strategies.json')].entries()) {
      const out = join(dir, `result-${n}.json`);
      const report = join(dir, `report-${n}`);
      const r = await runCli(['backtest', '--config', config, '--data-dir', join(root, 'data', 'eqker'), '--out', out, '--report', report], dir);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain('meets all four');
      const verdicts = r.stdout.split('Targets before real money')[1]!.split('\n').slice(1).filter((l) => l.startsWith('  '));
      expect(verdicts.length).toBeGreaterThanOrEqual(4);
      for (const v of verdicts) expect(v).toMatch(/^ {2}\S+\s+not judged \(too small a sample\): 5 of 20 trading days/);
      // No Sharpe or Sortino from five days: every such cell is n/a.
      expect(r.stdout).not.toContain('-7.10');
      // The JSON keeps the raw figures beside the ratios as they may be shown, and the same verdicts.
      const json = JSON.parse(readFileSync(out, 'utf8')) as { strategies: Array<{ ratios: Record<string, { value: number | null; na: string | null }>; targets: { verdict: string; text: string } }> };
      for (const x of json.strategies) {
        expect(x.ratios.sharpe).toMatchObject({ value: null, na: '5 of 20 trading days' });
        expect(x.ratios.sortino).toMatchObject({ value: null, na: '5 of 20 trading days' });
        expect(x.targets.verdict).toBe('not judged');
      }
      // The HTML report: the same n/a cells (reason on hover), the same verdicts.
      const html = readFileSync(join(report, 'backtest.html'), 'utf8');
      expect(html).not.toContain('meets all four');
      expect(html).not.toContain('-7.10');
      expect(html.match(/<span title="5 of 20 trading days">n\/a<\/span>/g)!.length).toBeGreaterThanOrEqual(4 * (json.strategies.length + 1));
      for (const x of json.strategies) expect(html).toContain(`: ${x.targets.text.replace(/>/g, '&gt;')}</li>`);
    }
  });
});
