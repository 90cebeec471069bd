import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/loadConfig.js';
import { LiveClock } from '../../src/core/LiveClock.js';
import { PaperTradingEngine } from '../../src/engine/PaperTradingEngine.js';
import { AlpacaStore } from '../../src/engine/venues/AlpacaStore.js';
import { strategyParamSchemas } from '../../src/strategies/builtInStrategies.js';
import { root, scratchDir, writeConfig } from '../e2e/cli.js';
import { KEY, SECRET, startEmulator, until, type TestEmulator } from '../emulator/harness.js';

const health = async (base: string): Promise<{ status: number; body: { reasons: string[]; feed: string } }> => {
  const r = await fetch(`${base}healthz`);
  return { status: r.status, body: (await r.json()) as { reasons: string[]; feed: string } };
};

/** The value of one sample line of the Prometheus text. */
const sample = (text: string, series: string): number | null => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
};

describe('the dashboard on Alpaca (the emulator)', () => {
  let emulator: TestEmulator | null = null;
  let engine: PaperTradingEngine | null = null;
  afterEach(async () => {
    await engine?.stop('test');
    engine = null;
    await emulator?.stop();
    emulator = null;
  });

  it('healthy with both streams up; 503 naming the trade-updates stream while it is down; a reconnection counted', async () => {
    emulator = await startEmulator({ dataDir: join(root, 'data', 'eqker'), start: Date.parse('2019-02-12T15:00:00Z'), paused: true });
    const t = emulator;
    const dir = scratchDir();
    const config = loadConfig(writeConfig(dir), { strategyParams: strategyParamSchemas() });
    const logger = pino({ level: 'silent' });
    const wallClock = new LiveClock();
    const env = { keyId: KEY, secretKey: SECRET, baseUrl: t.urls.baseUrl, dataUrl: t.urls.dataUrl, dataStreamUrl: t.urls.dataStreamUrl, feed: 'iex' as const, live: false };
    engine = new PaperTradingEngine({ config, venue: new AlpacaStore({ config, env, wallClock, logger }), logger, wallClock, restore: false, telegram: null, dashboard: { host: '127.0.0.1', port: 0, token: null } });
    await engine.start();
    const base = engine.dashboardUrl!;

    expect(await health(base)).toEqual({ status: 200, body: { status: 'ok', ok: true, phase: 'running', reasons: [], broker: 'ok', feed: 'live' } });
    const before = await (await fetch(`${base}metrics`)).text();
    expect(sample(before, 'paper_daemon_alpaca_requests_per_minute')).toBe(190);
    expect(sample(before, 'paper_daemon_stream_reconnects_total{stream="trade_updates"}')).toBe(0);
    expect(sample(before, 'paper_daemon_stream_reconnects_total{stream="market_data"}')).toBe(0);

    // The trade-updates stream cut, and refused for a few seconds.
    t.emulator.faults.apply({ type: 'refuse_connections', stream: 'trading', status: 429, seconds: 2 });
    t.emulator.faults.apply({ type: 'drop_stream', stream: 'trading' });
    let down: Awaited<ReturnType<typeof health>> | null = null;
    async function poll(): Promise<void> {
      while (down === null) {
        const h = await health(base);
        if (h.status === 503) down = h;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    void poll();
    await until(() => down !== null, 10_000, 'an unhealthy /healthz');
    expect(down).toEqual({ status: 503, body: { status: 'unhealthy', ok: false, phase: 'running', reasons: ['broker: the trade-updates stream is down (no new entries until it is back)'], broker: 'the trade-updates stream is down (no new entries until it is back)', feed: 'live' } });

    let back = false;
    const end = Date.now() + 60_000;
    while (!back && Date.now() < end) {
      back = (await health(base)).status === 200;
      if (!back) await new Promise((r) => setTimeout(r, 200));
    }
    expect(back).toBe(true);
    const after = await (await fetch(`${base}metrics`)).text();
    expect(sample(after, 'paper_daemon_stream_reconnects_total{stream="trade_updates"}')).toBe(1);
    expect(sample(after, 'paper_daemon_component_healthy{component="broker"}')).toBe(1);
  }, 120_000);
});
