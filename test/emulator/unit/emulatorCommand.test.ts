import { afterEach, describe, expect, it, vi } from 'vitest';
import { runEmulatorCommand } from '../../../src/cli/emulatorCommand.js';
import { FIXTURE_DATA, KEY, SECRET } from '../harness.js';

describe('npm run emulator -- --extended-hours', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('refuses anything but data or synthetic', async () => {
    await expect(runEmulatorCommand(['--extended-hours', 'always', '--data', FIXTURE_DATA], {})).rejects.toThrow('--extended-hours: data (replay what the data has) or synthetic');
  });

  it('with synthetic, starts before the made-up pre-market and serves its minutes', async () => {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    const stop = new AbortController();
    const done = runEmulatorCommand(['--port', '0', '--paused', '--data', FIXTURE_DATA, '--extended-hours', 'synthetic', '--key', KEY, '--secret', SECRET], {}, stop.signal);
    await vi.waitFor(() => expect(out).toContain('ALPACA_DATA_URL='), { timeout: 10_000 });
    expect(out).toContain('(2 symbols, synthetic extended hours) from 2019-02-11T04:');
    const url = /ALPACA_DATA_URL=(\S+)/.exec(out)![1]!;
    const res = await fetch(`${url}/v2/clock`, { headers: { 'APCA-API-KEY-ID': KEY, 'APCA-API-SECRET-KEY': SECRET } });
    expect(((await res.json()) as { is_open: boolean }).is_open).toBe(false);
    stop.abort();
    expect(await done).toBe(0);
  });
});
