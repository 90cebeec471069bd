import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';

/** Answers a WebSocket upgrade with a plain HTTP error (e.g. 429 for reconnects that come too fast) and closes. */
export function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ code: status * 100_000, message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
