import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/loadConfig.js';
import { AlreadyRunningError } from '../../src/core/errors.js';
import { LiveClock } from '../../src/core/LiveClock.js';
import { PaperTradingEngine } from '../../src/engine/PaperTradingEngine.js';
import { SimVenue } from '../../src/engine/venues/SimVenue.js';
import { strategyParamSchemas } from '../../src/strategies/builtInStrategies.js';
import { scratchDir, writeConfig } from '../e2e/cli.js';

describe('one daemon per state directory', () => {
  it('of two daemons started together with --restore, the second is refused before it opens the venue or records a run', async () => {
    const dir = scratchDir();
    const config = loadConfig(
      writeConfig(dir, (c) => {
        c.sim.speed = 1;
      }),
      { strategyParams: strategyParamSchemas() },
    );
    const logger = pino({ level: 'silent' });
    const engine = (restore: boolean): PaperTradingEngine =>
      new PaperTradingEngine({ config, venue: new SimVenue({ config, wallClock: new LiveClock(), logger }), logger, wallClock: new LiveClock(), restore, telegram: null });
    const first = engine(false);
    await first.start();
    await first.stop('test');
    const runs = (): string[] => (JSON.parse(readFileSync(join(config.state.dir, 'runs.json'), 'utf8')) as { runs: Array<{ id: string }> }).runs.map((r) => r.id);
    expect(runs()).toEqual([first.runId]);

    // A second `npm start` typed while the service is still starting: both begin before either has
    // finished, and the second is slower to open its venue (the first is running by then).
    const a = engine(true);
    // Run ids are made of the start's millisecond: two daemons of one test need two.
    await new Promise((r) => setTimeout(r, 2));
    const slow = new SimVenue({ config, wallClock: new LiveClock(), logger });
    const open = slow.open.bind(slow);
    let opened = false;
    slow.open = async (strategies) => {
      opened = true;
      await aStarted.catch(() => {});
      return open(strategies);
    };
    const b = new PaperTradingEngine({ config, venue: slow, logger, wallClock: new LiveClock(), restore: true, telegram: null });
    const aStarted = a.start();
    const started = await Promise.allSettled([aStarted, b.start()]);
    try {
      expect(started.map((s) => s.status)).toEqual(['fulfilled', 'rejected']);
      expect((started[1] as PromiseRejectedResult).reason).toBeInstanceOf(AlreadyRunningError);
      expect(opened).toBe(false);
      // Only the daemon that runs is in the paper record, and it is.
      expect(runs()).toEqual([first.runId, a.runId]);
    } finally {
      await Promise.all([a.stop('test'), b.stop('test')]);
    }
  }, 60_000);
});
