import { request } from 'node:http';
import { pino, type Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { DaemonConfig } from '../../src/config/configSchema.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import { LiveClock } from '../../src/core/LiveClock.js';
import type { DashboardView } from '../../src/dashboard/dashboardView.js';
import { PaperTradingEngine } from '../../src/engine/PaperTradingEngine.js';
import { SimVenue } from '../../src/engine/venues/SimVenue.js';
import { strategyParamSchemas } from '../../src/strategies/builtInStrategies.js';
import { readinessOf } from '../../src/readiness/readinessOf.js';
import type { ReadinessReport } from '../../src/readiness/buildReadinessReport.js';
import { scratchDir, writeConfig } from '../e2e/cli.js';

const TOKEN = 'test-token-0123456789abcdef';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
type Line = Record<string, unknown>;

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One request to the dashboard (the Host header can be set, which fetch cannot). */
function call(url: string, o: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: o.method ?? 'GET', headers: o.headers ?? {}, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

const control = (base: string, body: unknown, auth?: string): Promise<Answer> =>
  call(`${base}api/control`, { method: 'POST', headers: { 'content-type': 'application/json', ...(auth === undefined ? {} : { authorization: auth }) }, body: JSON.stringify(body) });

function setup(): { config: DaemonConfig; lines: Line[]; logger: Logger } {
  const dir = scratchDir();
  const config = loadConfig(
    writeConfig(dir, (c) => {
      c.sim.speed = 200_000;
      // Nothing trips by itself: the breakers change only by the commands sent here.
      c['circuit_breakers'] = { max_drawdown_pct: 0.9, max_daily_loss_pct: 0.9, max_consecutive_losses: 1000, max_trades_per_day: 1000 };
    }),
    { strategyParams: strategyParamSchemas() },
  );
  const lines: Line[] = [];
  const logger = pino({ level: 'info' }, { write: (x: string) => void lines.push(JSON.parse(x) as Line) });
  return { config, lines, logger };
}

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** The value of one sample line of the Prometheus text. */
function sample(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

describe('the dashboard server of a running daemon (offline)', () => {
  let engine: PaperTradingEngine | null = null;
  afterEach(async () => {
    await engine?.stop('test');
    engine = null;
  });

  const start = async (token: string | null, readiness?: (config: DaemonConfig, lines: Line[], logger: Logger) => () => Promise<ReadinessReport>): Promise<{ base: string; lines: Line[] }> => {
    const { config, lines, logger } = setup();
    const wallClock = new LiveClock();
    engine = new PaperTradingEngine({
      config,
      venue: new SimVenue({ config, wallClock, logger }),
      logger,
      wallClock,
      restore: false,
      telegram: null,
      dashboard: { host: '127.0.0.1', port: 0, token },
      ...(readiness === undefined ? {} : { readiness: readiness(config, lines, logger) }),
    });
    await engine.start();
    const base = engine.dashboardUrl;
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await until('the replay’s end', () => lines.some((l) => String(l['msg']).includes('replay finished')));
    return { base: base!, lines };
  };

  it('answers health, metrics and the state; counts agree with the trade log; commands need the right token', async () => {
    const { base, lines } = await start(TOKEN);

    const health = await call(`${base}healthz`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok', ok: true, phase: 'running', reasons: [], broker: 'ok', feed: 'replay finished' });

    const state = JSON.parse((await call(`${base}api/state`)).body) as DashboardView;
    const ids = ['sma_fast_index', 'sma_slow_tech', 'sma_momentum', 'rsi_banks', 'rsi_fast_etf'];
    expect(state.strategies.map((s) => s.id)).toEqual(ids);
    expect(state.mode).toBe('sim');
    expect(state.commands).toBe(true);
    // This daemon was given no readiness judge: no panel.
    expect(state.readiness).toBeNull();
    // Each strategy's fills as the trade log has them.
    const trades = lines.filter((l) => l['component'] === 'trades');
    expect(trades.length).toBeGreaterThan(0);
    for (const s of state.strategies) expect(s.fills).toBe(trades.filter((l) => l['strategy'] === s.id).length);
    expect(state.fills.length).toBe(Math.min(50, trades.length));
    const newest = trades[trades.length - 1]!;
    expect(state.fills[0]).toMatchObject({ strategy: newest['strategy'], symbol: newest['symbol'], side: newest['side'], qty: newest['qty'], price: newest['price'] });
    expect(state.curves.strategies['rsi_banks']!.length).toBeGreaterThan(1);
    expect(state.account!.strategiesEquity).toBeCloseTo(state.strategies.reduce((a, s) => a + s.equity, 0), 6);
    // No secret in what the page reads.
    expect(JSON.stringify(state)).not.toContain(TOKEN);

    const metrics = await call(`${base}metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    for (const s of state.strategies) {
      expect(sample(metrics.body, `paper_daemon_fills_total{strategy="${s.id}"}`)).toBe(s.fills === 0 ? null : s.fills);
      expect(sample(metrics.body, `paper_daemon_strategy_equity_dollars{strategy="${s.id}"}`)).toBeCloseTo(s.equity, 6);
      expect(sample(metrics.body, `paper_daemon_open_orders{strategy="${s.id}"}`)).toBe(s.openOrders);
      expect(sample(metrics.body, `paper_daemon_breaker_paused{scope="${s.id}",rule=""}`)).toBe(0);
    }
    expect(sample(metrics.body, 'paper_daemon_up')).toBe(1);
    expect(sample(metrics.body, 'paper_daemon_component_healthy{component="data_feed"}')).toBe(1);
    expect(sample(metrics.body, 'paper_daemon_account_equity_dollars')).toBeCloseTo(state.account!.equity, 6);
    expect(sample(metrics.body, 'paper_daemon_data_gaps_total')).toBe(0);
    expect(sample(metrics.body, 'paper_daemon_state_save_duration_seconds_count')).toBeGreaterThan(0);
    // Offline: no request budget and no outbox to report.
    expect(metrics.body).not.toContain('paper_daemon_alpaca_request_budget_available');
    expect(metrics.body).not.toContain('paper_daemon_telegram_outbox_depth');

    // Commands: no token, a wrong one, then the right one (the same words as npm run ctl).
    const none = await control(base, { command: 'pause', target: 'rsi_banks' });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toEqual({ ok: false, message: 'a token is needed (Authorization: Bearer <DASHBOARD_TOKEN>)' });
    const wrong = await control(base, { command: 'pause', target: 'rsi_banks' }, `Bearer ${TOKEN}x`);
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body)).toEqual({ ok: false, message: 'wrong token' });
    expect((JSON.parse((await call(`${base}api/state`)).body) as DashboardView).strategies.find((s) => s.id === 'rsi_banks')!.breaker!.state).toBe('ARMED');
    const refusals = lines.filter((l) => String(l['msg']).startsWith('dashboard command refused')).map((l) => l['msg']);
    expect(refusals).toEqual(['dashboard command refused: no token', 'dashboard command refused: wrong token']);

    const paused = await control(base, { command: 'pause', target: 'rsi_banks' }, `Bearer ${TOKEN}`);
    expect(paused.status).toBe(200);
    expect(JSON.parse(paused.body)).toEqual({ ok: true, message: 'paused: rsi_banks' });
    const after = JSON.parse((await call(`${base}api/state`)).body) as DashboardView;
    const banks = after.strategies.find((s) => s.id === 'rsi_banks')!;
    expect(banks.breaker).toMatchObject({ state: 'PAUSED', rule: 'manual', message: 'paused by hand (dashboard)' });
    expect(banks.statusLabel).toBe('PAUSED (manual)');
    const m2 = (await call(`${base}metrics`)).body;
    expect(sample(m2, 'paper_daemon_breaker_paused{scope="rsi_banks",rule="manual"}')).toBe(1);
    expect(sample(m2, 'paper_daemon_breaker_trips_total{scope="rsi_banks",rule="manual"}')).toBe(1);
    const resumed = await control(base, { command: 'resume', target: 'rsi_banks' }, `Bearer ${TOKEN}`);
    expect(JSON.parse(resumed.body)).toEqual({ ok: true, message: 'resumed: rsi_banks' });
    const unknown = await control(base, { command: 'pause', target: 'nope' }, `Bearer ${TOKEN}`);
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.body)).toEqual({ ok: false, message: 'unknown strategy "nope" (known: account, sma_fast_index, sma_slow_tech, sma_momentum, rsi_banks, rsi_fast_etf, or all)' });
    const flatten = await control(base, { command: 'flatten', target: 'rsi_banks' }, `Bearer ${TOKEN}`);
    expect(flatten.status).toBe(400);
  }, 120_000);

  it('serves the page and its assets under a strict CSP, refuses other host names, other methods and unknown paths', async () => {
    const { base } = await start(null);
    const page = await call(base);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    // Everything the page loads is the daemon's own: no other origin named anywhere.
    const refs = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(refs).toEqual(['/favicon.svg', '/assets/dashboard.css', '/assets/dashboard.js', '/metrics', '/healthz']);
    expect(page.body).not.toMatch(/<script>|style="/);
    for (const path of ['assets/dashboard.js', 'assets/dashboard.css', 'favicon.svg']) expect((await call(`${base}${path}`)).status).toBe(200);
    expect((await call(`${base}assets/dashboard.js`)).body).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);

    const rebound = await call(base, { headers: { host: 'attacker.example:8787' } });
    expect(rebound.status).toBe(421);
    expect((await call(base, { headers: { host: `localhost:${new URL(base).port}` } })).status).toBe(200);
    expect((await call(base, { method: 'DELETE' })).status).toBe(405);
    expect((await call(`${base}nothing`)).status).toBe(404);

    // Read-only without a token: commands are off, whatever is sent.
    const off = await control(base, { command: 'pause', target: 'all' }, `Bearer ${TOKEN}`);
    expect(off.status).toBe(403);
    expect(JSON.parse(off.body)).toEqual({ ok: false, message: 'commands are off: the daemon was started without DASHBOARD_TOKEN (read-only)' });
    expect((JSON.parse((await call(`${base}api/state`)).body) as DashboardView).commands).toBe(false);
  }, 120_000);

  it('shows each strategy’s live-readiness verdict, judged by the readiness code from the saved record', async () => {
    // The judgement waits for the replay's end, so the record judged is the whole sample week.
    const { base } = await start(null, (config, lines, logger) => async () => {
      await until('the replay’s end', () => lines.some((l) => String(l['msg']).includes('replay finished')));
      return readinessOf(config, { env: { alpaca: null, telegram: null }, now: Date.now(), logger, measureFills: false });
    });
    const state = async (): Promise<DashboardView> => JSON.parse((await call(`${base}api/state`)).body) as DashboardView;
    let view = (await state()).readiness;
    for (let i = 0; i < 600 && view?.state === 'pending'; i++) {
      await sleep(50);
      view = (await state()).readiness;
    }
    expect(view).toMatchObject({ state: 'judged', found: true });
    // Five days of paper trading: not three months (1) and too few days for a Sharpe (2); the drawdown
    // is small (3) and the code unchanged (4); no live section, so no live plan (5). Item 6 is
    // npm run readiness's (it backtests the period).
    const verdicts = view!.state === 'judged' ? view!.strategies : [];
    expect(verdicts).toEqual(
      ['sma_fast_index', 'sma_slow_tech', 'sma_momentum', 'rsi_banks', 'rsi_fast_etf'].map((id) => ({
        id,
        ready: false,
        failing: ['1. 3 months of profitable paper trading', '2. Sharpe > 2.0, an edge not luck', '5. live plan'],
        unchecked: '6. paper fills vs backtest (npm run readiness)',
      })),
    );
  }, 120_000);

  it('judges the readiness again after a session closes, not in between', async () => {
    let calls = 0;
    const { lines } = await start(null, () => async () => {
      calls++;
      return { recordDir: '/state', found: true, mode: 'sim', savedAt: null, marketTime: null, warnings: [], strategies: [], ready: true };
    });
    // The sample week's closes after the first (which a fresh start only notes) each log the day's P&L.
    const closes = lines.filter((l) => String(l['msg']).includes('close of')).length;
    expect(closes).toBeGreaterThan(0);
    await until('a judgement after a close', () => calls >= 2);
    // At the start, then after closes: never more than one a close (closes close together make one).
    expect(calls).toBeLessThanOrEqual(1 + closes);
  }, 120_000);

  it('streams the state as Server-Sent Events and closes the stream at the stop', async () => {
    const { base } = await start(null);
    let stopped: Promise<void> | null = null;
    const got = await new Promise<{ status: number; type: string | undefined; first: string; ended: boolean }>((resolve, reject) => {
      const req = request(`${base}events`, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
          if (text.includes('\n\n') && stopped === null) stopped = engine!.stop('test');
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], first: text, ended: true }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(got.status).toBe(200);
    expect(got.type).toBe('text/event-stream; charset=utf-8');
    const [retry, event, data] = got.first.split('\n');
    expect(retry).toBe('retry: 2000');
    expect(event).toBe('event: state');
    const view = JSON.parse(data!.slice('data: '.length)) as DashboardView;
    expect(view.strategies.length).toBe(5);
    expect(got.ended).toBe(true);
    await stopped;
    await expect(call(`${base}healthz`)).rejects.toThrow(/ECONNREFUSED/);
  }, 120_000);
});
