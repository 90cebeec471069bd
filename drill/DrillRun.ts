import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeTelegram } from './FakeTelegram.js';
import type { StateBooks, VenueBooks } from './checkBooks.js';
import { root, sleep, spawnMain, startEmulatorProcess, waitForText, type EmulatorUrls, type Exit, type MainProcess } from './processes.js';

const TOKEN = '123456:drill-token-not-a-real-one';
export const STARTING_CASH = 100_000;

/** A state file as the checks read it, plus the engine's in-flight part and the account's breaker. */
export type StateFile = StateBooks & {
  readonly timestamp: string;
  readonly circuitBreaker?: { readonly state: string } | null;
  readonly strategies: Readonly<Record<string, { readonly openOrders?: number }>>;
  readonly engine?: {
    readonly execution?: { readonly inFlight: ReadonlyArray<{ readonly strategyId: string; readonly clientOrderId: string }>; readonly held: ReadonlyArray<{ readonly request: { readonly strategyId: string } }> };
  };
};

/** The drill's configuration file, as JSON. */
export type DrillConfig = Record<string, unknown> & { strategies: Array<Record<string, unknown>> };

export interface DrillRunOptions {
  readonly seed: number;
  /** Market time runs this many times faster (default 600: ten minutes a second). */
  readonly speed?: number;
  readonly emulatorArgs?: readonly string[];
  /** Changes the scenario makes to the drill's configuration before the first start. */
  readonly configure?: (config: DrillConfig) => void;
}

/**
 * One scenario's world: the emulator and the daemon as processes of their own, a fake Telegram Bot
 * API in this process, and a scratch directory with the shipped configuration (one strategy's
 * breaker set to trip on its fourth order of the day, so breaker states have something to keep).
 */
export class DrillRun {
  readonly dir: string;
  readonly telegram: FakeTelegram;
  readonly config: string;
  readonly exits: Array<{ exit: Exit; killed: boolean }> = [];
  #emulator: Awaited<ReturnType<typeof startEmulatorProcess>> | null = null;
  #current: MainProcess | null = null;
  #killed = new WeakSet<MainProcess>();

  private constructor(dir: string, telegram: FakeTelegram, configure: (config: DrillConfig) => void) {
    this.dir = dir;
    this.telegram = telegram;
    const config = JSON.parse(readFileSync(join(root, 'config', 'paper-trading.json'), 'utf8')) as DrillConfig;
    config['state'] = { dir: join(dir, 'state'), snapshot_interval_s: 5, max_backups: 50 };
    config['logging'] = { dir: join(dir, 'logs'), level: 'debug' };
    // Drills may run beside a daemon of the owner's: the dashboard on a free port.
    config['dashboard'] = { port: 0 };
    const momentum = config.strategies.find((s) => s['id'] === 'sma_momentum')!;
    momentum['circuit_breakers'] = { max_trades_per_day: 4 };
    configure(config);
    this.config = join(dir, 'config.json');
    this.writeConfig(config);
  }

  readConfig(): DrillConfig {
    return JSON.parse(readFileSync(this.config, 'utf8')) as DrillConfig;
  }

  /** Rewrites the configuration the next start (and the settle run) reads. */
  writeConfig(config: DrillConfig): void {
    writeFileSync(this.config, JSON.stringify(config, null, 2));
  }

  static async open(o: DrillRunOptions): Promise<DrillRun> {
    const telegram = new FakeTelegram(TOKEN);
    await telegram.start();
    const run = new DrillRun(mkdtempSync(join(tmpdir(), 'drill-')), telegram, o.configure ?? (() => {}));
    run.#emulator = await startEmulatorProcess(
      ['--data', join(root, 'data', 'eqker'), '--start', '2019-02-12T09:50:00-05:00', '--speed', String(o.speed ?? 600), '--seed', String(o.seed), ...(o.emulatorArgs ?? [])],
      run.dir,
    );
    return run;
  }

  get urls(): EmulatorUrls {
    return this.#emulator!.urls;
  }

  get env(): Record<string, string> {
    const u = this.urls;
    return {
      ALPACA_API_KEY: 'PKEMULATOR0000000001',
      ALPACA_SECRET_KEY: 'emulator-secret-not-a-real-key',
      ALPACA_BASE_URL: u.baseUrl,
      ALPACA_DATA_URL: u.dataUrl,
      ALPACA_DATA_STREAM_URL: u.dataStreamUrl,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_CHAT_ID: '4242',
      TELEGRAM_API_ROOT: this.telegram.apiRoot,
    };
  }

  /** `npm start` against the emulator (`--restore` unless it is the first run). */
  startDaemon(seconds: number, restore: boolean): MainProcess {
    const p = spawnMain(['start', '--config', this.config, '--duration', String(seconds), ...(restore ? ['--restore'] : [])], this.dir, this.env);
    this.#current = p;
    void p.exit.then((exit) => this.exits.push({ exit, killed: this.#killed.has(p) }));
    return p;
  }

  /** `npm run ctl -- --config <drill config> <words>` to the running daemon, as the owner types it. */
  ctl(...words: string[]): Promise<Exit> {
    return spawnMain(['ctl', '--config', this.config, ...words], this.dir).exit;
  }

  /**
   * Waits until the daemon trades and its start-up is over: "daemon running" comes once start() has
   * returned, after the start's own save (so a latest file a scenario corrupted has been replaced;
   * "trading on Alpaca" comes a moment before that save, and a busy machine read the old file).
   */
  async trading(p: MainProcess): Promise<void> {
    const ended = p.exit.then((e) => {
      // Its last words without the stack frames: the error's own message is what tells the cause.
      const words = (e.stderr || e.stdout).split('\n').filter((l) => !/^\s+at /.test(l));
      throw new Error(`the daemon ended before trading (exit ${e.code ?? e.signal}): ${words.join('\n').slice(-800)}`);
    });
    await Promise.race([waitForText(p.stdout, 'daemon running', 60_000), ended]);
    ended.catch(() => {});
  }

  /** performance.now() of each kill -9. */
  readonly kills: number[] = [];

  async kill(p: MainProcess): Promise<void> {
    this.#killed.add(p);
    this.kills.push(performance.now());
    p.child.kill('SIGKILL');
    await p.exit;
  }

  async admin(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<unknown> {
    const r = await fetch(`${this.urls.adminUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    if (!r.ok) throw new Error(`admin ${method} ${path}: ${r.status} ${await r.text()}`);
    return r.status === 204 ? null : r.json();
  }

  fault(f: Record<string, unknown>): Promise<unknown> {
    return this.admin('/faults', f);
  }

  clearFaults(): Promise<unknown> {
    return this.admin('/faults', undefined, 'DELETE');
  }

  async books(): Promise<VenueBooks> {
    return (await this.admin('/books')) as VenueBooks;
  }

  async orderCount(): Promise<number> {
    return (await this.books()).orders.length;
  }

  /** Wall milliseconds from now until the venue has more than `count` orders; null if none came within `ms`. */
  async nextOrderWithin(count: number, ms: number): Promise<number | null> {
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      if ((await this.orderCount()) > count) return performance.now() - t0;
      await sleep(100);
    }
    return null;
  }

  get statePath(): string {
    return join(this.dir, 'state', 'latest_state.json');
  }

  state(): StateFile {
    return JSON.parse(readFileSync(this.statePath, 'utf8')) as StateFile;
  }

  /** The daemon's JSON log lines of every run. */
  log(): Array<Record<string, unknown>> {
    const file = join(this.dir, 'logs', 'paper_engine.log');
    if (!existsSync(file)) return [];
    const out: Array<Record<string, unknown>> = [];
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        out.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // A line cut by a kill -9.
      }
    }
    return out;
  }

  outboxPending(): number {
    const file = join(this.dir, 'telegram_outbox.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { items: unknown[] }).items.length : 0;
  }

  /**
   * The market paused, then `--restore` runs until the Telegram backlog is out: orders sent just
   * before a stop may fill after it; the restart books them. Returns the last run's output.
   */
  async settle(): Promise<Exit> {
    await this.admin('/clock', { action: 'pause' });
    let last: Exit | null = null;
    for (let i = 0; i < 4; i++) {
      const p = this.startDaemon(Math.ceil(4 + this.outboxPending() * 1.2), true);
      last = await p.exit;
      if (this.outboxPending() === 0) break;
    }
    return last!;
  }

  async close(): Promise<void> {
    if (this.#current !== null && this.#current.child.exitCode === null && this.#current.child.signalCode === null) await this.kill(this.#current);
    await this.#emulator?.stop();
    await this.telegram.stop();
    // DRILL_KEEP=1 keeps the scratch directory (state, logs, outbox) for a look after a failure.
    if (process.env['DRILL_KEEP'] === undefined) rmSync(this.dir, { recursive: true, force: true });
    else process.stderr.write(`kept ${this.dir}\n`);
  }
}
