import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { DaemonConfig } from '../../src/config/configSchema.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import { LiveClock } from '../../src/core/LiveClock.js';
import { PaperTradingEngine } from '../../src/engine/PaperTradingEngine.js';
import { AlpacaStore } from '../../src/engine/venues/AlpacaStore.js';
import { SimVenue } from '../../src/engine/venues/SimVenue.js';
import { strategyParamSchemas } from '../../src/strategies/builtInStrategies.js';
import { root, scratchDir, writeConfig, type ConfigJson } from '../e2e/cli.js';
import { KEY, SECRET, startEmulator, type TestEmulator } from '../emulator/harness.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
type Line = Record<string, unknown>;
const msgs = (lines: readonly Line[]): string[] => lines.map((l) => String(l['msg']));
const closes = (lines: readonly Line[]): string[] => msgs(lines).filter((m) => m.startsWith('P&L (close of')).map((m) => m.slice(0, 'P&L (close of 2019-02-11)'.length));
const summaries = (lines: readonly Line[]): string[] => msgs(lines).filter((m) => m.startsWith('📅 Daily summary')).map((m) => m.split('\n')[0]!);

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function setup(edit: (c: ConfigJson) => void = () => {}): { dir: string; config: DaemonConfig; lines: Line[]; logger: Logger } {
  const dir = scratchDir();
  const config = loadConfig(
    writeConfig(dir, (c) => {
      c.sim.speed = 200_000;
      c['notifications'] = { ...(c['notifications'] as object), daily_summary: true };
      edit(c);
    }),
    { strategyParams: strategyParamSchemas() },
  );
  const lines: Line[] = [];
  const logger = pino({ level: 'info' }, { write: (x: string) => void lines.push(JSON.parse(x) as Line) });
  return { dir, config, lines, logger };
}

const lastClose = (dir: string): unknown => (JSON.parse(readFileSync(join(dir, 'state', 'latest_state.json'), 'utf8')) as { engine: { lastClose: unknown } }).engine.lastClose;

describe('session closes', () => {
  let emulator: TestEmulator | null = null;
  afterEach(async () => {
    await emulator?.stop();
    emulator = null;
  });

  it('offline: each traded session gets its P&L line and summary at its close (not the warm-up’s day), and the daily rules re-arm at the close', async () => {
    // A daily loss limit small enough to trip on most days, and nothing else that pauses.
    const { dir, config, lines, logger } = setup((c) => {
      c['circuit_breakers'] = { max_drawdown_pct: 0.9, max_daily_loss_pct: 0.0005, max_consecutive_losses: 1000, max_trades_per_day: 1000 };
    });
    const engine = new PaperTradingEngine({ config, venue: new SimVenue({ config, wallClock: new LiveClock(), logger }), logger, wallClock: new LiveClock(), restore: false, telegram: null });
    await engine.start();
    await until('the replay’s end', () => msgs(lines).some((m) => m.includes('replay finished')));
    await engine.stop('test');
    // The replay warms up on the 11th and trades the 12th to the 15th: the close the warm-up ended on
    // is only noted (the daemon traded nothing that day), not reported at the 12th's first bar.
    const days = ['2019-02-12', '2019-02-13', '2019-02-14', '2019-02-15'];
    expect(closes(lines)).toEqual(days.map((d) => `P&L (close of ${d})`));
    expect(summaries(lines)).toEqual(days.map((d) => `📅 Daily summary ${d}`));
    // Friday's summary is not held until a Monday bar: it went out with Friday's last bar, before the replay ended.
    const all = msgs(lines);
    expect(all.findIndex((m) => m.startsWith('📅 Daily summary 2019-02-15'))).toBeLessThan(all.findIndex((m) => m.includes('replay finished')));
    // Each daily trip re-armed at its day's close (16:00 New York = 21:00 UTC in February), never at the next day's first bar.
    const resumed = lines.filter((l) => String(l['msg']).includes('re-armed'));
    expect(resumed.length).toBeGreaterThan(0);
    for (const r of resumed) {
      const day = /re-armed at the close of (\d{4}-\d{2}-\d{2})/.exec(String(r['msg']))?.[1];
      expect(day).toBeDefined();
      expect(r['marketTime']).toBe(`${day}T21:00:00.000Z`);
    }
    expect(lastClose(dir)).toBe('2019-02-15');
  }, 120_000);

  it('Alpaca: the close is handled when the session’s last minute arrives; a close missed while down is handled once at the restart', async () => {
    emulator = await startEmulator({ dataDir: join(root, 'data', 'eqker'), start: Date.parse('2019-02-12T20:40:00Z'), paused: true, partialFillRate: 0 });
    const t = emulator;
    const { dir, config, lines, logger } = setup();
    const engine = (restore: boolean): PaperTradingEngine =>
      new PaperTradingEngine({
        config,
        venue: new AlpacaStore({ config, env: { keyId: KEY, secretKey: SECRET, baseUrl: t.urls.baseUrl, dataUrl: t.urls.dataUrl, dataStreamUrl: t.urls.dataStreamUrl, feed: 'iex', live: false }, wallClock: new LiveClock(), logger }),
        logger,
        wallClock: new LiveClock(),
        restore,
        telegram: null,
      });
    const step = async (minutes: number): Promise<void> => {
      for (let i = 0; i < minutes; i++) {
        t.emulator.step(60_000);
        await sleep(15);
      }
    };

    const first = engine(false);
    await first.start();
    // A fresh start reports no earlier close.
    expect(closes(lines)).toEqual([]);
    await step(19); // 15:59 New York: the session is still open.
    await sleep(300);
    expect(closes(lines)).toEqual([]);
    await step(1); // 16:00: the last minute bar (stamped 16:00) arrives.
    await until('the close of 2019-02-12', () => closes(lines).length > 0 && summaries(lines).length > 0, 10_000);
    expect(closes(lines)).toEqual(['P&L (close of 2019-02-12)']);
    expect(summaries(lines)).toEqual(['📅 Daily summary 2019-02-12']);
    await first.stop('test');
    expect(lastClose(dir)).toBe('2019-02-12');

    // The next day trades while the daemon is down, through its close.
    lines.length = 0;
    t.emulator.step(25 * 60 * 60_000);
    const second = engine(true);
    await second.start();
    await until('the close of 2019-02-13', () => closes(lines).length > 0 && summaries(lines).length > 0, 20_000);
    await sleep(500);
    expect(closes(lines)).toEqual(['P&L (close of 2019-02-13)']);
    expect(summaries(lines)).toEqual(['📅 Daily summary 2019-02-13']);
    await second.stop('test');

    // Once: another restart on the same evening handles nothing again.
    lines.length = 0;
    const third = engine(true);
    await third.start();
    await sleep(500);
    await third.stop('test');
    expect(closes(lines)).toEqual([]);
    expect(summaries(lines)).toEqual([]);
    expect(lastClose(dir)).toBe('2019-02-13');
  }, 120_000);
});
