import { spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ControlCommands } from '../../src/control/ControlCommands.js';
import { ControlServer, controlSocketPath, type ControlServerLimits } from '../../src/control/ControlServer.js';
import { UnsafePathError } from '../../src/core/UnsafePathError.js';

const mode = (p: string): number => lstatSync(p).mode & 0o777;

/** Commands that only record what reached them. */
function recordingCommands(): { commands: ControlCommands; ran: string[][] } {
  const ran: string[][] = [];
  const commands = { run: (words: readonly string[]) => (ran.push([...words]), { ok: true, message: `done: ${words.join(' ')}` }) } as unknown as ControlCommands;
  return { commands, ran };
}

/** A connected client and everything it reads until the daemon closes the connection. */
interface Client {
  readonly socket: Socket;
  readonly text: () => string;
  readonly closed: Promise<void>;
}

function connect(path: string, allowHalfOpen = false): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path, allowHalfOpen });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (text += d));
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.once('error', reject);
    socket.once('connect', () => resolve({ socket, text: () => text, closed }));
  });
}

/** Resolves when `ok()` holds; the test's own timeout is the limit. */
async function until(ok: () => boolean): Promise<void> {
  while (!ok()) await new Promise((r) => setTimeout(r, 5));
}

/** `p`, or a rejection naming `what` if it is still pending after a generous 10 s. */
function within<T>(p: Promise<T>, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not happen within 10 s`)), 10_000).unref())]);
}

describe('ControlServer', () => {
  let umask = 0;
  const servers: ControlServer[] = [];
  beforeEach(() => {
    umask = process.umask(0);
  });
  afterEach(async () => {
    process.umask(umask);
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  /** A state directory made as the old engine made it (mkdir under umask 000: 0777), and a server on it. */
  async function started(limits: ControlServerLimits = {}, base = mkdtempSync(join(tmpdir(), 'ctl-'))): Promise<{ path: string; dir: string; server: ControlServer; ran: string[][] }> {
    const dir = join(base, 'state');
    mkdirSync(dir, { recursive: true });
    const path = controlSocketPath(dir);
    const { commands, ran } = recordingCommands();
    const server = new ControlServer(path, commands, pino({ level: 'silent' }), limits);
    servers.push(server);
    await server.start();
    return { path, dir, server, ran };
  }

  it('listens on a 0600 socket in a 0700 directory under umask 000', async () => {
    const { path, dir } = await started();
    expect(lstatSync(path).isSocket()).toBe(true);
    expect(mode(path)).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
  });

  it.skipIf(process.getuid?.() !== 0)('another local user cannot connect, so cannot pause anything', async () => {
    const base = mkdtempSync(join(tmpdir(), 'ctl-'));
    // A project directory anyone may traverse, as a home or /srv checkout usually is.
    chmodSync(base, 0o755);
    const { path, ran } = await started({}, base);
    const script = `const s = require('net').createConnection(${JSON.stringify(path)});
      s.on('connect', () => { s.write('{"words":["pause","all"]}\\n'); s.on('data', (d) => process.stdout.write('answered ' + d)); });
      s.on('error', (e) => process.stdout.write(e.code));`;
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', script], { uid: 65534, gid: 65534, cwd: '/', stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.on('error', reject);
      child.on('close', () => resolve(text));
    });
    expect(out).toBe('EACCES');
    expect(ran).toEqual([]);
  });

  it('answers one command per connection, then closes it; what follows the first line is never run', async () => {
    const { path, ran } = await started();
    const client = await connect(path);
    client.socket.write('{"words":["status"]}\n{"words":["pause","all"]}\n');
    await within(client.closed, 'the close after the answer');
    expect(client.text()).toBe('{"ok":true,"message":"done: status"}\n');
    expect(ran).toEqual([['status']]);

    // A client that keeps writing after the answer (its side left open) gets nothing more run.
    const late = await connect(path, true);
    late.socket.write('{"words":["resume","all"]}\n');
    await until(() => late.text() !== '');
    late.socket.write('{"words":["pause","all"]}\n');
    late.socket.end();
    await within(late.closed, 'the close after the answer');
    expect(late.text()).toBe('{"ok":true,"message":"done: resume all"}\n');
    expect(ran).toEqual([['status'], ['resume', 'all']]);
  });

  it('answers and closes a connection that stays silent', async () => {
    const { path, server, ran } = await started({ idleMs: 50 });
    const client = await connect(path);
    await within(client.closed, 'the close of an idle connection');
    expect(client.text()).toBe('{"ok":false,"message":"no command within 50 ms: connection closed"}\n');
    expect(ran).toEqual([]);
    await until(() => server.connections === 0);
  });

  it('refuses connections beyond the cap with a one-line answer; those open are served', async () => {
    const { path, server, ran } = await started({ maxConnections: 2, idleMs: 60_000 });
    const a = await connect(path);
    const b = await connect(path);
    await until(() => server.connections === 2);
    const c = await connect(path);
    await within(c.closed, 'the refusal');
    expect(c.text()).toBe('{"ok":false,"message":"busy: 2 control connections are open already; try again"}\n');
    a.socket.write('{"words":["status"]}\n');
    await within(a.closed, 'the answer to a connection within the cap');
    expect(a.text()).toBe('{"ok":true,"message":"done: status"}\n');
    expect(ran).toEqual([['status']]);
    b.socket.destroy();
  });

  it('stops without waiting for a client that keeps its connection open; the client sees it closed', async () => {
    const { path, server } = await started({ idleMs: 60_000 });
    const idle = await connect(path);
    const halfWritten = await connect(path);
    halfWritten.socket.write('{"words":["pau');
    await until(() => server.connections === 2);
    await within(server.stop(), 'stop()');
    await within(Promise.all([idle.closed, halfWritten.closed]), 'the clients seeing the close');
    expect(server.connections).toBe(0);
    expect(existsSync(path)).toBe(false);
  });

  it('refuses to start beside a daemon that answers on the socket', async () => {
    const { path } = await started();
    const second = new ControlServer(path, recordingCommands().commands, pino({ level: 'silent' }));
    await expect(second.start()).rejects.toThrow(`another daemon is running on this state directory (its control socket ${path} answers)`);
  });

  it('replaces a socket left by a daemon that was killed, and refuses to delete a file that is not a socket', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ctl-')), 'state');
    mkdirSync(dir);
    const path = controlSocketPath(dir);
    // What a kill -9 leaves behind: the socket file, nobody listening.
    const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => process.stdout.write('ready'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const killed = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await killed;
    expect(lstatSync(path).isSocket()).toBe(true);
    const server = new ControlServer(path, recordingCommands().commands, pino({ level: 'silent' }));
    servers.push(server);
    await server.start();
    expect(mode(path)).toBe(0o600);

    const other = join(mkdtempSync(join(tmpdir(), 'ctl-')), 'state');
    mkdirSync(other);
    writeFileSync(join(other, 'control.sock'), 'mine');
    await expect(new ControlServer(controlSocketPath(other), recordingCommands().commands, pino({ level: 'silent' })).start()).rejects.toThrow(UnsafePathError);
    expect(statSync(join(other, 'control.sock')).isFile()).toBe(true);
  });
});
