import type { SharedTape } from '../SharedTape.js';
import type { SweepSetup } from '../SweepSetup.js';

/**
 * A sweep as bytes, for Redis: a 4-byte length and the JSON of the settings and the tape's shape,
 * then the columns as raw little-endian doubles (time, open, high, low, close, volume) and, with
 * several symbols, the 16-bit symbol indexes. The bars cross exactly, not as decimal text.
 */
export function encodeSweep(tape: SharedTape, setup: SweepSetup): Buffer {
  const head = Buffer.from(JSON.stringify({ setup, symbols: tape.symbols, length: tape.length, symbolIndex: tape.symbolIndex !== null }), 'utf8');
  const n = tape.length;
  const columns = [tape.time, tape.open, tape.high, tape.low, tape.close, tape.volume].map((c) => Buffer.from(c.buffer, c.byteOffset, n * 8));
  const index = tape.symbolIndex === null ? [] : [Buffer.from(tape.symbolIndex.buffer, tape.symbolIndex.byteOffset, n * 2)];
  const size = Buffer.alloc(4);
  size.writeUInt32LE(head.length);
  return Buffer.concat([size, head, ...columns, ...index]);
}

/** The sweep back, its columns in shared memory for this machine's worker threads. */
export function decodeSweep(bytes: Buffer): { tape: SharedTape; setup: SweepSetup } {
  const headLength = bytes.readUInt32LE(0);
  const head = JSON.parse(bytes.subarray(4, 4 + headLength).toString('utf8')) as { setup: SweepSetup; symbols: string[]; length: number; symbolIndex: boolean };
  const n = head.length;
  let at = 4 + headLength;
  const f64 = (): Float64Array => {
    const a = new Float64Array(new SharedArrayBuffer(Math.max(1, n) * 8));
    // Copied byte by byte: the Buffer's own offset need not be a multiple of 8.
    new Uint8Array(a.buffer).set(bytes.subarray(at, at + n * 8));
    at += n * 8;
    return a;
  };
  const time = f64();
  const open = f64();
  const high = f64();
  const low = f64();
  const close = f64();
  const volume = f64();
  let symbolIndex: Uint16Array | null = null;
  if (head.symbolIndex) {
    symbolIndex = new Uint16Array(new SharedArrayBuffer(Math.max(1, n) * 2));
    new Uint8Array(symbolIndex.buffer).set(bytes.subarray(at, at + n * 2));
  }
  return { tape: { symbols: head.symbols, length: n, time, open, high, low, close, volume, symbolIndex }, setup: head.setup };
}
