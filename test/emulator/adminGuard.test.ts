import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type TestEmulator } from './harness.js';

/** A raw request with the headers a browser page (or a DNS-rebound name) would send. */
function post(url: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ type: 'reject_orders', count: 1 }));
  });
}

describe('the emulator’s admin routes (no keys)', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startEmulator();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answer a loopback Host without a web Origin, and refuse a rebound Host or a page’s Origin', async () => {
    const base = t.urls.baseUrl;
    const port = new URL(base).port;
    expect((await post(base, '/admin/faults', { host: `127.0.0.1:${port}` })).status).toBe(200);
    expect((await post(base, '/admin/faults', { host: `localhost:${port}`, origin: `http://localhost:${port}` })).status).toBe(200);
    const rebound = await post(base, '/admin/faults', { host: `evil.example:${port}` });
    expect([rebound.status, JSON.parse(rebound.body).message]).toEqual([403, 'admin routes answer loopback hosts only (Host evil.example)']);
    const page = await post(base, '/admin/faults', { host: `127.0.0.1:${port}`, origin: 'https://evil.example' });
    expect([page.status, JSON.parse(page.body).message]).toEqual([403, 'admin routes refuse requests from web pages (Origin https://evil.example)']);
    expect(t.emulator.faults.history()).toHaveLength(2);
  });
});
