import { decode, encode } from '@msgpack/msgpack';
import WebSocket from 'ws';

/** A bare data-stream client speaking the wire protocol (msgpack unless `json`), recording every message. */
export class RawDataClient {
  readonly messages: Array<Record<string, unknown>> = [];
  readonly ws: WebSocket;
  closed = false;
  readonly opened: Promise<void>;

  constructor(url: string, o: { json?: boolean; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { 'Content-Type': o.json === true ? 'application/json' : 'application/msgpack', ...o.headers };
    this.ws = new WebSocket(url, { headers });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.ws.on('message', (data: Buffer, binary: boolean) => {
      const batch = (binary ? decode(data) : JSON.parse(data.toString('utf8'))) as Array<Record<string, unknown>>;
      this.messages.push(...batch);
    });
    this.ws.on('close', () => (this.closed = true));
  }

  send(msg: Record<string, unknown>, json = false): void {
    this.ws.send(json ? JSON.stringify(msg) : encode(msg));
  }

  of(type: string): Array<Record<string, unknown>> {
    return this.messages.filter((m) => m['T'] === type);
  }

  close(): void {
    this.ws.close();
  }
}

/** POSTs to the emulator's admin routes. */
export async function admin(adminUrl: string, path: string, body?: unknown, method = 'POST'): Promise<Response> {
  return fetch(`${adminUrl}${path}`, { method, headers: { 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}
