import { inflateSync } from 'node:zlib';
import { expect } from 'vitest';

/** Reads a PNG's chunks, checking each CRC; returns IHDR's fields and the inflated image data. */
export function decodePng(png: Uint8Array): { width: number; height: number; bitDepth: number; colorType: number; raw: Buffer } {
  const b = Buffer.from(png);
  expect([...b.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let at = 8;
  let ihdr: Buffer | null = null;
  const idat: Buffer[] = [];
  for (;;) {
    const len = b.readUInt32BE(at);
    const type = b.toString('ascii', at + 4, at + 8);
    const data = b.subarray(at + 8, at + 8 + len);
    const crc = b.readUInt32BE(at + 8 + len);
    let c = 0xffffffff;
    for (const byte of b.subarray(at + 4, at + 8 + len)) {
      c ^= byte;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    expect((c ^ 0xffffffff) >>> 0).toBe(crc);
    if (type === 'IHDR') ihdr = data;
    if (type === 'IDAT') idat.push(data);
    at += 12 + len;
    if (type === 'IEND') break;
  }
  return { width: ihdr!.readUInt32BE(0), height: ihdr!.readUInt32BE(4), bitDepth: ihdr![8]!, colorType: ihdr![9]!, raw: inflateSync(Buffer.concat(idat)) };
}
