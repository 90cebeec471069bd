import { existsSync } from 'node:fs';
import { pino } from 'pino';
import pretty from 'pino-pretty';
import { z } from 'zod';
import { LiveClock } from '../core/LiveClock.js';
import { CliError } from '../core/errors.js';
import { AlpacaEmulator, type EmulatorUrls } from '../emulator/AlpacaEmulator.js';
import { emulatorDefaults } from '../emulator/EmulatorOptions.js';
import { faultSchema, type Fault } from '../emulator/faults/Fault.js';
import { BarLabel } from '../emulator/market/loadMarketSeries.js';
import { newYorkTime } from '../emulator/wire/decimal.js';
import { redactPaths } from '../logging/createLogger.js';
import { commandSpecs } from './commandSpecs.js';
import { onStopSignal } from './onStopSignal.js';
import { numberFlag, parseArgs } from './parseArgs.js';

/** Keys the emulator accepts unless told others: placeholders, obviously not Alpaca's. */
const DEFAULT_KEY = 'PKEMULATOR0000000001';
const DEFAULT_SECRET = 'emulator-secret-not-a-real-key';

function parseFault(text: string): Fault {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new CliError(`--fault: not JSON: ${text}`);
  }
  const r = faultSchema.safeParse(raw);
  if (!r.success) throw new CliError(`--fault ${text}: ${r.error.issues.map((i) => `${i.path.join('.') || 'fault'}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** Starts listening; a port in use is the user's to settle (another emulator still running, or another program). */
async function listen(emulator: AlpacaEmulator, host: string, port: number): Promise<EmulatorUrls> {
  try {
    return await emulator.start();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new CliError(`--port ${port}: ${host}:${port} is in use (an emulator still running? stop it, or give another port; --port 0 picks a free one)`, { cause: error });
  }
}

/**
 * `npm run emulator`: a local Alpaca (trading API, market data, both streams) replaying CSV bars,
 * for rehearsals without an account and for fault drills. Prints its URLs and the `.env` lines that
 * point the daemon at it, then runs until Ctrl-C.
 */
export async function runEmulatorCommand(args: string[], env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<number> {
  const v = parseArgs(args, commandSpecs.emulator);
  // The spec's default (8765) always gives a value: the same port, so the same .env lines, at every start.
  const port = numberFlag(v.port, 'port', 0, (n) => Number.isInteger(n) && n >= 0 && n <= 65_535);
  const seed = numberFlag(v.seed, 'seed', emulatorDefaults.seed, Number.isInteger);
  const speed = numberFlag(v.speed, 'speed', emulatorDefaults.speed, (n) => n > 0 && n <= 1_000_000);
  const startingCash = numberFlag(v.cash, 'cash', emulatorDefaults.startingCash, (n) => n >= 0);
  const rateLimit = numberFlag(v['rate-limit'], 'rate-limit', emulatorDefaults.rateLimit, (n) => Number.isInteger(n) && n > 0);
  const partialFillRate = numberFlag(v['partial-fill-rate'], 'partial-fill-rate', emulatorDefaults.partialFillRate, (n) => n >= 0 && n <= 1);
  const faults = (v.fault ?? []).map(parseFault);
  const host = v.host;
  if (!/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(host)) throw new CliError(`--host: the emulator listens on loopback only (no TLS, keyless admin routes); got ${host}`);
  const label = v['bar-label'];
  if (!(Object.values(BarLabel) as string[]).includes(label)) throw new CliError(`--bar-label: one of auto, start, end (got "${label}")`);
  const extendedHours = v['extended-hours'];
  if (extendedHours !== 'data' && extendedHours !== 'synthetic') throw new CliError(`--extended-hours: data (replay what the data has) or synthetic (make thin pre-/after-market minutes up where it has none); got "${extendedHours}"`);
  let start: number | undefined;
  if (v.start !== undefined) {
    if (!z.iso.datetime({ offset: true }).safeParse(v.start).success) throw new CliError(`--start: an ISO time with offset, e.g. 2019-02-11T09:25:00-05:00 (got "${v.start}")`);
    start = Date.parse(v.start);
  }
  // The secret may come from the environment (EMULATOR_SECRET), so it is not in `ps` output.
  const secret = v.secret ?? env['EMULATOR_SECRET'];
  const key = v.key ?? env['EMULATOR_KEY'];
  if ((key === undefined) !== (secret === undefined)) throw new CliError('--key and --secret (or EMULATOR_KEY and EMULATOR_SECRET) go together');
  const credentials = { key: key ?? DEFAULT_KEY, secret: secret ?? DEFAULT_SECRET };
  const dataDir = v.data;
  if (!existsSync(dataDir)) throw new CliError(`--data: no folder ${dataDir}`);

  const logger = pino(
    { level: 'info', base: null, redact: { paths: redactPaths, censor: '[redacted]' } },
    pretty({ destination: 2, sync: true, colorize: process.stderr.isTTY === true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,component', singleLine: true }),
  );
  const emulator = await AlpacaEmulator.create({
    ...emulatorDefaults,
    host,
    port,
    dataDir,
    barLabel: label as BarLabel,
    seed,
    speed,
    ...(start === undefined ? {} : { start }),
    paused: v.paused === true,
    startWhenConnected: v['start-when-connected'] === true,
    skipClosed: v['skip-closed'] === true,
    extendedHours,
    credentials,
    startingCash,
    rateLimit,
    partialFillRate,
    faults,
    wall: new LiveClock(),
    logger,
  });
  const urls = await listen(emulator, host, port);
  const s = emulator.status();
  const clock = emulator.waitingForClient ? ', held until a client subscribes to the data stream' : emulator.clock.paused ? ', paused' : '';
  process.stdout.write(
    [
      `Alpaca emulator: replaying ${dataDir} (${String(s['symbols'])} symbols${extendedHours === 'synthetic' ? ', synthetic extended hours' : ''}) from ${newYorkTime(emulator.startTime)} at ${emulator.clock.speed}x${clock}`,
      `  trading API    ${urls.baseUrl}/v2`,
      `  market data    ${urls.dataUrl}/v2/stocks`,
      `  trade updates  ${urls.tradeStreamUrl}`,
      `  data stream    ${urls.dataStreamUrl}/v2/iex`,
      `  admin          ${urls.adminUrl}/status`,
      ...(emulator.clock.paused && !emulator.waitingForClient ? [`  resume with    curl -X POST -d '{"action":"resume"}' ${urls.adminUrl}/clock`] : []),
      '',
      '# .env lines that point the daemon at this emulator:',
      `ALPACA_API_KEY=${credentials.key}`,
      `ALPACA_SECRET_KEY=${credentials.secret}`,
      `ALPACA_BASE_URL=${urls.baseUrl}`,
      `ALPACA_DATA_URL=${urls.dataUrl}`,
      `ALPACA_DATA_STREAM_URL=${urls.dataStreamUrl}`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const done = (): void => resolve();
    // The listeners stay until the process ends: npm's second copy of a Ctrl+C must not kill it.
    const stopListening = onStopSignal(done);
    signal?.addEventListener('abort', () => {
      stopListening();
      done();
    });
  });
  await emulator.stop();
  logger.info('emulator stopped');
  return 0;
}
