import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../core/Clock.js';
import type { Alert } from '../notify/Notifier.js';
import { dashboardAssets } from './assets/dashboardAssets.js';
import { DashboardJournal } from './DashboardJournal.js';
import { DashboardMetrics } from './DashboardMetrics.js';
import { DashboardReadiness } from './DashboardReadiness.js';
import type { ReadinessReport } from '../readiness/buildReadinessReport.js';
import { isLoopback, type DashboardSettings } from './dashboardSettings.js';
import type { DashboardSource } from './DashboardSource.js';
import { dashboardView } from './dashboardView.js';
import { healthVerdict } from './healthVerdict.js';
import { tokenMatches } from './tokenMatches.js';

/** Pushes to the page at most this often (a fast replay changes the books many times a second). */
const PUSH_MS = 500;
/** A comment line this often keeps idle event streams open through proxies. */
const HEARTBEAT_MS = 15_000;
/** Prices move without any event the journal hears: the open pages get the books again this often. */
const REFRESH_MS = 5_000;
/** Event streams open at once; one more is refused (503). */
const MAX_STREAMS = 16;
/** Longest command body accepted. */
const MAX_BODY = 1024;

/**
 * Every answer: the page may load only what the daemon serves (no inline script or style, no
 * framing, no form posts elsewhere), and nothing is cached or sent as a referrer.
 */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
} as const;

export interface DashboardServerOptions {
  readonly settings: DashboardSettings;
  readonly source: DashboardSource;
  /** Wall-clock time: push throttling, heartbeats, alert times. */
  readonly clock: Clock;
  readonly logger: Logger;
  /** Judges the live checklist from the saved record (no fill comparison); omitted: no readiness panel. */
  readonly readiness?: () => Promise<ReadinessReport>;
}

/**
 * The daemon's local web server (node:http): the dashboard page and its assets, its data as JSON
 * (`/api/state`) and as Server-Sent Events (`/events`), `/healthz`, `/metrics`, and the owner's
 * pause/resume (`POST /api/control`, the same commands as `npm run ctl`). Reading needs no token;
 * commands need `Authorization: Bearer <DASHBOARD_TOKEN>` (compared in constant time) and are off
 * when no token is set. On loopback only requests naming a loopback host are answered (a web page
 * elsewhere cannot reach it through a rebinding DNS name).
 */
export class DashboardServer {
  readonly #o: DashboardServerOptions;
  readonly #log: Logger;
  readonly journal: DashboardJournal;
  readonly metrics: DashboardMetrics;
  readonly readiness: DashboardReadiness | null;
  readonly #server: Server;
  readonly #streams = new Set<ServerResponse>();
  #push: TimerHandle | null = null;
  #heartbeat: TimerHandle | null = null;
  #refresh: TimerHandle | null = null;
  #url: string | null = null;

  constructor(o: DashboardServerOptions) {
    this.#o = o;
    this.#log = o.logger.child({ component: 'dashboard' });
    this.journal = new DashboardJournal(o.source.bus, o.clock);
    this.journal.onChange(() => this.#schedulePush());
    this.metrics = new DashboardMetrics(o.source, this.journal);
    this.readiness = o.readiness === undefined ? null : new DashboardReadiness({ judge: o.readiness, clock: o.clock, logger: this.#log, onChange: () => this.#schedulePush() });
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        this.#log.warn({ err: error, path: req.url }, 'dashboard request failed');
        if (!res.headersSent) this.#send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
        else res.destroy();
      });
    });
    // A slow client must not hold sockets open forever (event streams are long-lived on purpose).
    this.#server.headersTimeout = 10_000;
    this.#server.requestTimeout = 10_000;
  }

  /** `http://host:port/` once listening. */
  get url(): string | null {
    return this.#url;
  }

  /** Listens; rejects with the listen error (EADDRINUSE…). */
  async start(): Promise<string> {
    const { host, port } = this.#o.settings;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.#server.once('error', onError);
      this.#server.listen(port, host, () => {
        this.#server.off('error', onError);
        resolve();
      });
    });
    const a = this.#server.address() as AddressInfo;
    this.#url = `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}/`;
    this.#heartbeat = this.#o.clock.setInterval(() => this.#write(': keep-alive\n\n'), HEARTBEAT_MS);
    this.#refresh = this.#o.clock.setInterval(() => this.#schedulePush(), REFRESH_MS);
    this.readiness?.start();
    this.#log.info({ url: this.#url, commands: this.#o.settings.token !== null }, `dashboard on ${this.#url} (${this.#o.settings.token === null ? 'read-only: no DASHBOARD_TOKEN' : 'pause/resume with DASHBOARD_TOKEN'}); /healthz, /metrics`);
    return this.#url;
  }

  /** An alert to the owner, for the page's list. */
  alert(a: Alert): void {
    this.journal.alert(a);
  }

  /** Closes the event streams and the listener. Idempotent. */
  async stop(): Promise<void> {
    this.#push?.cancel();
    this.#push = null;
    this.#heartbeat?.cancel();
    this.#heartbeat = null;
    this.#refresh?.cancel();
    this.#refresh = null;
    this.readiness?.stop();
    this.journal.close();
    for (const res of this.#streams) res.end();
    this.#streams.clear();
    if (!this.#server.listening) return;
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.#hostAllowed(req.headers.host)) {
      this.#send(res, 421, 'text/plain; charset=utf-8', 'this dashboard answers only to a loopback host name (127.0.0.1, localhost)\n');
      return;
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/api/control') {
      if (req.method !== 'POST') return this.#methodNotAllowed(res, 'POST');
      return this.#control(req, res);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return this.#methodNotAllowed(res, 'GET, HEAD');
    const asset = dashboardAssets[path];
    if (asset !== undefined) return this.#send(res, 200, asset.type, asset.body);
    switch (path) {
      case '/healthz': {
        const v = healthVerdict(this.#o.source);
        return this.#send(res, v.ok ? 200 : 503, 'application/json; charset=utf-8', `${JSON.stringify({ status: v.ok ? 'ok' : 'unhealthy', ...v })}\n`);
      }
      case '/metrics':
        return this.#send(res, 200, this.metrics.contentType, await this.metrics.text());
      case '/api/state':
        return this.#send(res, 200, 'application/json; charset=utf-8', JSON.stringify(this.#view()));
      case '/events':
        return this.#openStream(res);
      default:
        return this.#send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    }
  }

  /** Loopback listeners answer loopback host names only; a listener the network can reach answers any. */
  #hostAllowed(host: string | undefined): boolean {
    if (!isLoopback(this.#o.settings.host)) return true;
    if (host === undefined) return false;
    const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
    return isLoopback(name);
  }

  #view() {
    return dashboardView(this.#o.source, this.journal, this.#o.settings.token !== null, this.readiness?.view() ?? null);
  }

  #openStream(res: ServerResponse): void {
    if (this.#streams.size >= MAX_STREAMS) {
      this.#send(res, 503, 'text/plain; charset=utf-8', `too many open event streams (${MAX_STREAMS})\n`);
      return;
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    this.#streams.add(res);
    res.on('close', () => this.#streams.delete(res));
    res.write(`retry: 2000\nevent: state\ndata: ${JSON.stringify(this.#view())}\n\n`);
  }

  #schedulePush(): void {
    if (this.#push !== null || this.#streams.size === 0) return;
    this.#push = this.#o.clock.setTimeout(() => {
      this.#push = null;
      if (this.#streams.size > 0) this.#write(`event: state\ndata: ${JSON.stringify(this.#view())}\n\n`);
    }, PUSH_MS);
  }

  #write(chunk: string): void {
    for (const res of this.#streams) res.write(chunk);
  }

  /**
   * `{"command": "pause"|"resume", "target": <strategy|account|all>}` with the bearer token, as JSON
   * (a cross-site form cannot send that without a preflight this server never grants). Runs the
   * same ControlCommands as `npm run ctl`; the reply is its message.
   */
  async #control(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const json = 'application/json; charset=utf-8';
    const token = this.#o.settings.token;
    if (token === null) return this.#send(res, 403, json, JSON.stringify({ ok: false, message: 'commands are off: the daemon was started without DASHBOARD_TOKEN (read-only)' }));
    const auth = req.headers.authorization;
    const given = auth !== undefined && auth.startsWith('Bearer ') ? auth.slice(7).trim() : null;
    if (!tokenMatches(token, given)) {
      this.#log.warn({ remote: req.socket.remoteAddress, given: given === null ? 'none' : 'wrong' }, `dashboard command refused: ${given === null ? 'no token' : 'wrong token'}`);
      res.setHeader('www-authenticate', 'Bearer');
      return this.#send(res, 401, json, JSON.stringify({ ok: false, message: given === null ? 'a token is needed (Authorization: Bearer <DASHBOARD_TOKEN>)' : 'wrong token' }));
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return this.#send(res, 415, json, JSON.stringify({ ok: false, message: 'send the command as application/json' }));
    const body = await readBody(req, MAX_BODY);
    let parsed: unknown;
    try {
      parsed = body === null ? null : JSON.parse(body);
    } catch {
      parsed = null;
    }
    const p = parsed as { command?: unknown; target?: unknown } | null;
    if (p === null || (p.command !== 'pause' && p.command !== 'resume') || typeof p.target !== 'string' || !/^[a-z0-9_]{1,40}$/.test(p.target)) {
      return this.#send(res, 400, json, JSON.stringify({ ok: false, message: 'expected {"command": "pause" | "resume", "target": "<strategy id>" | "account" | "all"}' }));
    }
    const reply = this.#o.source.control([p.command, p.target], 'dashboard');
    if (reply === null) return this.#send(res, 409, json, JSON.stringify({ ok: false, message: 'this daemon has no circuit breakers to pause' }));
    this.#log.info({ command: p.command, target: p.target, ok: reply.ok }, `dashboard: ${p.command} ${p.target}: ${reply.message}`);
    this.#schedulePush();
    return this.#send(res, reply.ok ? 200 : 400, json, JSON.stringify(reply));
  }

  #methodNotAllowed(res: ServerResponse, allow: string): void {
    res.setHeader('allow', allow);
    this.#send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
  }

  #send(res: ServerResponse, status: number, type: string, body: string): void {
    res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  }
}

/** The body as text, or null when longer than `max` bytes. */
function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= max) chunks.push(c);
    });
    req.on('end', () => resolve(size > max ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
