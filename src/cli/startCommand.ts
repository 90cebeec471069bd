import type { TimerHandle } from '../core/Clock.js';
import { LiveClock } from '../core/LiveClock.js';
import { CliError } from '../core/errors.js';
import { parseEnv, readDotEnv, type DaemonEnv } from '../config/env.js';
import { checkAllocations, loadConfig } from '../config/loadConfig.js';
import { PaperTradingEngine } from '../engine/PaperTradingEngine.js';
import { venueFor } from '../engine/venues/venueFor.js';
import { createLogger } from '../logging/createLogger.js';
import { ErrorLines } from '../logging/ErrorLines.js';
import { strategyParamSchemas } from '../strategies/builtInStrategies.js';
import { numberFlag, parseArgs } from './parseArgs.js';

/** How long a graceful stop may take before the process gives up and exits non-zero. */
const STOP_TIMEOUT_MS = 5_000;

/**
 * `npm start -- [--config FILE] [--restore [--allow-fresh]] [--verbose] [--duration SECONDS] [--mode sim|alpaca] [--live]`.
 * Mode defaults to alpaca when Alpaca keys are set, else sim (offline on the sample data).
 */
export async function runStartCommand(args: string[], processEnv: NodeJS.ProcessEnv): Promise<number> {
  const v = parseArgs(
    args,
    {
      config: { type: 'string', default: 'config/paper-trading.json' },
      restore: { type: 'boolean', default: false },
      'allow-fresh': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      duration: { type: 'string' },
      mode: { type: 'string' },
      live: { type: 'boolean', default: false },
    },
    'start',
  );
  if (v['allow-fresh'] === true && v.restore !== true) throw new CliError('--allow-fresh goes with --restore (a first start with nothing to restore yet)');
  const duration = v.duration === undefined ? null : numberFlag(v.duration, 'duration', 0, (n) => n > 0);
  if (v.mode !== undefined && v.mode !== 'sim' && v.mode !== 'alpaca') throw new CliError(`--mode: must be sim or alpaca, got "${v.mode}"`);
  const env: DaemonEnv = parseEnv({ ...readDotEnv('.env'), ...processEnv });
  const mode = v.mode ?? (env.alpaca === null ? 'sim' : 'alpaca');
  if (mode === 'alpaca' && env.alpaca === null) throw new CliError('--mode alpaca needs ALPACA_API_KEY and ALPACA_SECRET_KEY in .env');
  const config = loadConfig(v.config, { strategyParams: strategyParamSchemas() });
  if (mode === 'sim') checkAllocations(config, config.sim.starting_cash, 'sim.starting_cash', v.config);
  const errorLines = new ErrorLines();
  const { logger: root, breakerLog, close } = createLogger({ dir: config.logging.dir, level: v.verbose ? 'debug' : config.logging.level, console: true, onError: errorLines.emit });
  const logger = root.child({ component: 'main' });
  const wallClock = new LiveClock();

  const alpaca = mode === 'alpaca' ? env.alpaca : null;
  // Real money only when asked twice: the live URL in .env, and --live with the configuration's live section.
  if (alpaca?.live === true && !(v.live && config.live !== undefined)) {
    throw new CliError(
      `ALPACA_BASE_URL ${alpaca.baseUrl} trades real money: start with --live${config.live === undefined ? ', and add a "live" section to the configuration (stricter breakers, e.g. "live": {"max_drawdown_pct": 0.05, "max_daily_loss_pct": 0.02})' : ''}`,
    );
  }
  if (v.live && alpaca?.live !== true) throw new CliError('--live: ALPACA_BASE_URL is not the live URL (https://api.alpaca.markets); remove --live to paper-trade');
  process.stdout.write(
    [
      '════════════════════════════════════════════════════════════════',
      ...(alpaca === null
        ? [
            ' OFFLINE SIMULATION: no broker, no real orders.',
            ` Replaying sample bars from ${config.sim.data_dir} at ${config.sim.speed}x (${config.data.timeframe.label} bars).`,
            ' Set ALPACA_API_KEY / ALPACA_SECRET_KEY in .env to paper-trade on Alpaca.',
          ]
        : [
            ` ALPACA ${alpaca.live ? 'LIVE TRADING: REAL MONEY' : 'PAPER TRADING'} at ${alpaca.baseUrl}`,
            ` Market data ${alpaca.dataUrl} (${alpaca.feed}), ${config.data.timeframe.label} bars.`,
          ]),
      '════════════════════════════════════════════════════════════════',
      '',
    ].join('\n'),
  );

  const venue = venueFor({ config, alpaca, wallClock, logger: root });
  const engine = new PaperTradingEngine({ config, venue, logger: root, wallClock, breakerLog, restore: v.restore === true, allowFresh: v['allow-fresh'] === true, telegram: env.telegram, errorLines, configFile: v.config });
  let exitCode = 0;
  const timers: { duration: TimerHandle | null } = { duration: null };
  const stopped = new Promise<void>((resolve) => {
    const stop = (reason: string): void => {
      const hard = setTimeout(() => {
        logger.fatal({ reason }, `graceful stop took more than ${STOP_TIMEOUT_MS} ms: exiting`);
        process.exit(1);
      }, STOP_TIMEOUT_MS);
      hard.unref();
      engine.stop(reason).then(
        () => resolve(),
        (error: unknown) => {
          logger.error({ err: error }, 'error while stopping');
          exitCode = 1;
          resolve();
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    if (duration !== null) timers.duration = wallClock.setTimeout(() => stop(`--duration ${duration}s elapsed`), duration * 1000);
  });
  try {
    await engine.start();
  } catch (error) {
    timers.duration?.cancel();
    await engine.stop('start failed');
    await close();
    throw error;
  }
  logger.info({ runId: engine.runId, config: v.config, mode }, 'daemon running');
  await stopped;
  await close();
  // Timers of the replay and signal handlers are gone; make sure nothing keeps the process up.
  setTimeout(() => process.exit(exitCode), 100).unref();
  return exitCode;
}
