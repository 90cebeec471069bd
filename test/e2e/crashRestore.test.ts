import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchDir, spawnCli, waitFor, writeConfig } from './cli.js';

interface Saved {
  engine: {
    fills: Record<string, number>;
    runners: Record<string, { ledger: unknown }>;
    venue: { cash: number; positions: unknown[] };
  };
}

const readSaved = (dir: string): Saved => JSON.parse(readFileSync(join(dir, 'state', 'latest_state.json'), 'utf8')) as Saved;

/** A seeded generator (32-bit LCG) for the kill moments: the same moments on every run. */
function moments(seed: number, n: number, minMs: number, maxMs: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return minMs + Math.floor((s / 4294967296) * (maxMs - minMs));
  });
}

/** Starts the daemon, waits until it runs (and `extra` text if given); returns its stdout so far and the child. */
async function start(config: string, dir: string, restore: boolean) {
  const { child, result } = spawnCli(['start', '--config', config, ...(restore ? ['--restore'] : [])], dir);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor(() => out, 'daemon running', 20_000);
  return { child, result, out: () => out };
}

/** Runs the replay to its end, then stops the daemon gracefully. */
async function finish(d: Awaited<ReturnType<typeof start>>): Promise<void> {
  await waitFor(d.out, 'replay finished', 60_000);
  d.child.kill('SIGINT');
  expect((await d.result).code).toBe(0);
}

describe('crash-only restarts', () => {
  it('kill -9 at 10 seeded moments, restart with --restore each time: the books equal an uninterrupted run, no fill counted twice', async () => {
    const edit = (c: Parameters<Parameters<typeof writeConfig>[1] & object>[0]): void => {
      c.sim.speed = 30_000;
      c.state.snapshot_interval_s = 1;
    };
    const calm = scratchDir();
    await finish(await start(writeConfig(calm, edit), calm, false));
    const expected = readSaved(calm);

    const crashed = scratchDir();
    const config = writeConfig(crashed, edit);
    let d = await start(config, crashed, false);
    // How many bars each restored start still had to replay: the kills must land mid-replay.
    const left: number[] = [];
    for (const ms of moments(20190211, 10, 100, 900)) {
      await new Promise((r) => setTimeout(r, ms));
      d.child.kill('SIGKILL');
      await d.result;
      d = await start(config, crashed, true);
      const m = /restored from .*\n(?:.*\n)*?.*replaying (\d+) bars/.exec(d.out());
      left.push(m === null ? -1 : Number(m[1]));
    }
    expect(left.filter((n) => n > 0).length).toBeGreaterThanOrEqual(5);
    await finish(d);
    const actual = readSaved(crashed);

    expect(Object.values(expected.engine.fills).reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
    expect(actual.engine.fills).toEqual(expected.engine.fills);
    for (const id of Object.keys(expected.engine.runners)) expect(actual.engine.runners[id]!.ledger).toEqual(expected.engine.runners[id]!.ledger);
    expect(actual.engine.venue).toEqual(expected.engine.venue);
  }, 240_000);

  it('a restored state that does not match the simulated account stops the start and stays as it was', async () => {
    const dir = scratchDir();
    const config = writeConfig(dir, (c) => (c.sim.speed = 30_000));
    expect((await runCli(['start', '--config', config, '--duration', '2'], dir)).code).toBe(0);
    const file = join(dir, 'state', 'latest_state.json');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Saved;
    saved.engine.venue.cash += 100;
    writeFileSync(file, JSON.stringify(saved));
    const before = readFileSync(file, 'utf8');
    const r = await runCli(['start', '--config', config, '--restore', '--duration', '30'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/restored books do not match the account: cash: books [\d.]+, account [\d.]+/);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});
