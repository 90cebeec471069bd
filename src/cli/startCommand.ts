import type { TimerHandle } from '../core/Clock.js';
import { LiveClock } from '../core/LiveClock.js';
import { CliError } from '../core/errors.js';
import { parseEnv, readDotEnv, type DaemonEnv } from '../config/env.js';
import { checkAllocations } from '../config/loadConfig.js';
import { dashboardSettings } from '../dashboard/dashboardSettings.js';
import { PaperTradingEngine } from '../engine/PaperTradingEngine.js';
import type { Venue } from '../engine/venues/Venue.js';
import { venueFor } from '../engine/venues/venueFor.js';
import { resolveConsoleMode } from '../logging/consoleMode.js';
import { createLogger } from '../logging/createLogger.js';
import { ErrorLines } from '../logging/ErrorLines.js';
import { liveGate, type LiveGate } from '../readiness/liveGate.js';
import { readinessOf } from '../readiness/readinessOf.js';
import { weeklyEdition } from '../readiness/weeklyEdition.js';
import { StaticNyseCalendar } from '../risk/calendar/StaticNyseCalendar.js';
import { StrategyOrigin } from '../strategies/StrategyCatalog.js';
import { loadConfigWithStrategies } from './loadConfigWithStrategies.js';
import { onStopSignal } from './onStopSignal.js';
import { parseStartArgs, STOP_TIMEOUT_MS } from './startArgs.js';

/**
 * `npm start` (options: commandSpecs.start, read by parseStartArgs). Mode defaults to alpaca when
 * Alpaca keys are set, else sim (offline on the sample data). Live, only the strategies whose paper
 * record passes the live checklist start, unless `--override-readiness` (docs/readiness.md).
 * Signals: SIGINT and SIGTERM stop gracefully (exit 1 if that takes more than STOP_TIMEOUT_MS; the
 * copies npm forwards are ignored);
 * SIGHUP reopens the log files (after logrotate moved them).
 */
export async function runStartCommand(args: string[], processEnv: NodeJS.ProcessEnv): Promise<number> {
  const v = parseStartArgs(args);
  const vars = { ...readDotEnv('.env'), ...processEnv };
  const env: DaemonEnv = parseEnv(vars);
  const mode = v.mode ?? (env.alpaca === null ? 'sim' : 'alpaca');
  if (mode === 'alpaca' && env.alpaca === null) throw new CliError('--mode alpaca needs ALPACA_API_KEY and ALPACA_SECRET_KEY in .env');
  const { config, strategies } = await loadConfigWithStrategies(v.config);
  if (mode === 'sim') checkAllocations(config, config.sim.starting_cash, 'sim.starting_cash', v.config);
  // Before anything starts: a dashboard the network could reach must have its token.
  const dashboard = dashboardSettings(config.dashboard, vars);
  const errorLines = new ErrorLines();
  const isTty = process.stdout.isTTY === true;
  const consoleFormat = resolveConsoleMode(config.logging.console, { isTty, env: processEnv });
  let venue: Venue | null = null;
  const { logger: root, breakerLog, reopen, close } = createLogger({
    dir: config.logging.dir,
    level: v.verbose ? 'debug' : config.logging.level,
    console: consoleFormat === 'off' ? false : { format: consoleFormat, colors: isTty },
    onError: errorLines.emit,
    marketTime: () => marketNow(venue),
  });
  const logger = root.child({ component: 'main' });
  // Which code of your own runs: its file and fingerprint (docs/strategies.md), in the log of every start.
  for (const t of strategies.list(StrategyOrigin.User)) {
    if (!config.strategies.some((s) => s.enabled && s.type === t.type)) continue;
    const sha256 = t.sourceHash();
    logger.info({ type: t.type, file: t.file, sha256 }, `strategy type ${t.type} from ${t.file} (sha256 ${sha256.slice(0, 12)}…)`);
  }
  // From here a SIGHUP (logrotate's postrotate, `systemctl reload`) moves the log on to a new file.
  const onHangUp = (): void => {
    try {
      reopen();
      logger.info('SIGHUP: log files reopened');
    } catch (error) {
      logger.error({ err: error }, `SIGHUP: a log file could not be reopened, writing on to the old one: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  process.on('SIGHUP', onHangUp);
  const wallClock = new LiveClock();

  const alpaca = mode === 'alpaca' ? env.alpaca : null;
  // Real money only when asked twice: the live URL in .env, and --live with the configuration's live section.
  if (alpaca?.live === true && !(v.live && config.live !== undefined)) {
    throw new CliError(
      `ALPACA_BASE_URL ${alpaca.baseUrl} trades real money: start with --live${config.live === undefined ? ', and add a "live" section to the configuration (stricter breakers, e.g. "live": {"max_drawdown_pct": 0.05, "max_daily_loss_pct": 0.02})' : ''}`,
    );
  }
  if (v.live && alpaca?.live !== true) throw new CliError('--live: ALPACA_BASE_URL is not the live URL (https://api.alpaca.markets); remove --live to paper-trade');
  // Real money only for strategies whose paper record passes the live checklist, or when overridden (logged, alerted, recorded).
  let gate: LiveGate | null = null;
  if (alpaca?.live === true) {
    const report = await readinessOf(config, { env, now: wallClock.now(), logger: root.child({ component: 'readiness' }), strategies });
    gate = liveGate(config, report, v.overrideReadiness, v.config);
    for (const line of gate.lines) process.stdout.write(`${line}\n`);
    if (gate.override !== null) logger.warn({ override: gate.override, started: gate.started }, gate.lines.join(' · '));
    else logger.info({ started: gate.started, held: gate.held }, gate.lines.join(' · '));
  }
  const runConfig = gate?.config ?? config;
  const what =
    alpaca === null
      ? `offline simulation replaying ${config.sim.data_dir} at ${config.sim.speed}x`
      : `${alpaca.live ? 'LIVE trading (real money)' : 'paper trading'} at ${alpaca.baseUrl}`;
  // The banner is for people; a JSON console stays JSON lines only.
  if (consoleFormat !== 'json') {
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
        ` Full log: ${config.logging.dir}/paper_engine.log${consoleFormat === 'journal' ? ' (this journal shows warnings and errors)' : ''}; see docs/logs.md.`,
        '════════════════════════════════════════════════════════════════',
        '',
      ].join('\n'),
    );
  }

  venue = venueFor({ config: runConfig, alpaca, wallClock, logger: root });
  const engine = new PaperTradingEngine({
    config: runConfig,
    venue,
    logger: root,
    wallClock,
    breakerLog,
    restore: v.restore,
    allowFresh: v.allowFresh,
    telegram: env.telegram,
    errorLines,
    configFile: v.config,
    strategies,
    ...(gate === null ? {} : { live: { started: gate.started, held: gate.held, override: gate.override } }),
    dashboard,
    weeklyEdition: weeklyEdition(runConfig, { env, calendar: new StaticNyseCalendar(), wallClock, logger: root.child({ component: 'readiness' }) }),
    // The dashboard's verdicts: the checklist from the saved record, without the fill comparison's backtest.
    readiness: () => readinessOf(runConfig, { env, now: wallClock.now(), logger: root.child({ component: 'readiness' }), measureFills: false, strategies }),
  });
  let exitCode = 0;
  const timers: { duration: TimerHandle | null } = { duration: null };
  const stopped = new Promise<void>((resolve) => {
    const stop = (reason: string): void => {
      logger.info({ reason }, `${reason}: stopping (at most ${STOP_TIMEOUT_MS / 1000} s)`);
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
    onStopSignal(stop);
    if (v.duration !== null) timers.duration = wallClock.setTimeout(() => stop(`--duration ${v.duration}s elapsed`), v.duration * 1000);
  });
  try {
    await engine.start();
  } catch (error) {
    timers.duration?.cancel();
    await engine.stop('start failed');
    await close();
    throw error;
  }
  logger.info({ runId: engine.runId, config: v.config, mode }, `daemon running (run ${engine.runId}): ${what}, configuration ${v.config}`);
  await stopped;
  process.off('SIGHUP', onHangUp);
  await close();
  // Timers of the replay and signal handlers are gone; make sure nothing keeps the process up.
  setTimeout(() => process.exit(exitCode), 100).unref();
  return exitCode;
}

/**
 * The market time for the log lines: the replay's clock, or the venue's. Unknown (null) before the
 * venue is open: the replay's clock still stands at 0, and Alpaca's clock is learnt at open (until
 * then reading it throws).
 */
function marketNow(venue: Venue | null): number | null {
  if (venue === null) return null;
  try {
    const t = venue.clock.now();
    return t > 0 ? t : null;
  } catch {
    return null;
  }
}
