import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { DaemonEvents } from '../../src/core/DaemonEvents.js';
import { EventBus } from '../../src/core/EventBus.js';
import { LiveClock } from '../../src/core/LiveClock.js';
import { DashboardServer } from '../../src/dashboard/DashboardServer.js';
import { DaemonPhase, type DashboardSource } from '../../src/dashboard/DashboardSource.js';
import { FeedState, type VenueHealth } from '../../src/engine/venues/Venue.js';

const healthy: VenueHealth = { broker: null, feed: FeedState.Live, feedProblem: null, reconnects: { market_data: 0, trade_updates: 0 }, requestBudget: { perMinute: 190, available: 187, waiting: 0 } };

/** An Alpaca daemon as the dashboard sees it, with its phase and venue health set by the test. */
function fakeSource(bus: EventBus<DaemonEvents>, now: { phase: DaemonPhase; health: VenueHealth }): DashboardSource {
  return {
    mode: 'alpaca',
    venueName: 'Alpaca paper',
    runId: 'run1',
    bus,
    phase: () => now.phase,
    snapshot: () => null,
    health: () => now.health,
    curves: () => ({ total: [], strategies: {} }),
    lastBarTime: () => null,
    outboxPending: () => 3,
    control: () => null,
  };
}

describe('/healthz and /metrics from the venue’s health', () => {
  let server: DashboardServer | null = null;
  afterEach(async () => {
    await server?.stop();
    server = null;
  });

  it('503 with the reasons while starting, with the trade stream down, with the feed silent; 200 when all is well', async () => {
    const bus = new EventBus<DaemonEvents>(() => {});
    const now = { phase: DaemonPhase.Starting as DaemonPhase, health: healthy };
    server = new DashboardServer({ settings: { host: '127.0.0.1', port: 0, token: null }, source: fakeSource(bus, now), clock: new LiveClock(), logger: pino({ level: 'silent' }) });
    const base = await server.start();
    const health = async (): Promise<{ status: number; body: unknown }> => {
      const r = await fetch(`${base}healthz`);
      return { status: r.status, body: await r.json() };
    };
    expect(await health()).toEqual({ status: 503, body: { status: 'unhealthy', ok: false, phase: 'starting', reasons: ['the daemon is starting (connecting, warming up)'], broker: 'ok', feed: 'live' } });

    now.phase = DaemonPhase.Running;
    expect(await health()).toEqual({ status: 200, body: { status: 'ok', ok: true, phase: 'running', reasons: [], broker: 'ok', feed: 'live' } });

    now.health = { ...healthy, broker: 'the trade-updates stream is down (no new entries until it is back)', feed: FeedState.Silent, feedProblem: 'the market-data stream is silent: no live bar for 3 minutes or more while the market is open', reconnects: { market_data: 2, trade_updates: 1 } };
    expect(await health()).toEqual({
      status: 503,
      body: {
        status: 'unhealthy',
        ok: false,
        phase: 'running',
        reasons: ['broker: the trade-updates stream is down (no new entries until it is back)', 'data feed: the market-data stream is silent: no live bar for 3 minutes or more while the market is open'],
        broker: 'the trade-updates stream is down (no new entries until it is back)',
        feed: 'silent',
      },
    });

    bus.emit('data.gap', { from: Date.parse('2026-11-27T15:00:00Z'), to: Date.parse('2026-11-27T15:04:00Z'), backfilled: 12 });
    const metrics = await (await fetch(`${base}metrics`)).text();
    const lines = metrics.split('\n').filter((l) => l.startsWith('paper_daemon_') && !l.startsWith('paper_daemon_state_save'));
    expect(lines).toEqual([
      'paper_daemon_up 0',
      'paper_daemon_component_healthy{component="broker"} 0',
      'paper_daemon_component_healthy{component="data_feed"} 0',
      // Not known before the start completed: left out, not 0.
      'paper_daemon_alpaca_request_budget_available 187',
      'paper_daemon_alpaca_requests_waiting 0',
      'paper_daemon_alpaca_requests_per_minute 190',
      'paper_daemon_telegram_outbox_depth 3',
      'paper_daemon_data_gaps_total 1',
      'paper_daemon_data_gap_minutes_total 4',
      'paper_daemon_stream_reconnects_total{stream="market_data"} 2',
      'paper_daemon_stream_reconnects_total{stream="trade_updates"} 1',
    ]);
  });
});
