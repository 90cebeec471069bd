import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runOptimizeCommand } from '../../src/cli/optimizeCommand.js';
import type { OptimizeResult } from '../../src/optimize/OptimizeResult.js';
import { syntheticBars } from '../../bench/syntheticBars.js';

/**
 * A sweep over a real Redis (started here on a free loopback port, in a temporary folder): the
 * backtests go through BullMQ to `npm run worker` processes, one of which is killed (SIGKILL) in
 * the middle of a backtest; the result is the local sweep's, to the byte.
 */
const redisServer = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
const SKIP = redisServer === '' ? 'redis-server is not installed (apt-get install redis-server; .ci/run installs it): the sweep over Redis is not tested' : '';
if (SKIP !== '') process.stderr.write(`SKIPPED: ${SKIP}\n`);

const dir = mkdtempSync(join(tmpdir(), 'optimize-queue-'));
const children: ChildProcess[] = [];
const GRID = '{"fast":[5,10,20],"slow":[30,60]}';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A child process whose output is kept, and a wait for a line of it. */
function start(command: string, args: string[]): { child: ChildProcess; output: () => string; waitFor: (re: RegExp) => Promise<RegExpMatchArray> } {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let text = '';
  const waiters: Array<() => void> = [];
  const onData = (d: Buffer): void => {
    text += d.toString();
    for (const w of waiters.splice(0)) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const waitFor = (re: RegExp): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const m = re.exec(text);
        if (m !== null) return resolve(m);
        if (child.exitCode !== null) return reject(new Error(`${command} exited (${child.exitCode}) before ${re}: ${text}`));
        waiters.push(check);
      };
      child.once('exit', check);
      check();
    });
  return { child, output: () => text, waitFor };
}

const worker = (url: string, threads: number): ReturnType<typeof start> =>
  start(process.execPath, ['--import', 'tsx', 'src/main.ts', 'worker', '--queue', url, '--workers', String(threads), '--lock-ms', '1000']);

async function optimizeQuietly(args: string[]): Promise<OptimizeResult> {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}.json`);
  const o = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const e = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await runOptimizeCommand(['--config', join(dir, 'config.json'), '--strategy', 'syn', '--grid', GRID, '--out', out, ...args]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  return JSON.parse(readFileSync(out, 'utf8')) as OptimizeResult;
}

/** What must be the same wherever the backtests ran. */
const comparable = (r: OptimizeResult): unknown => ({ ...r, elapsedMs: 0, ranOn: '' });

let url = '';
beforeAll(async () => {
  if (SKIP !== '') return;
  // 100,000 minute bars of one symbol (each backtest a noticeable time, to be killed in the middle of).
  const bars = syntheticBars(100_000, 'SYN');
  writeFileSync(join(dir, 'SYN_1min.csv'), `datetime,open,high,low,close,volume\n${bars.map((b) => `${new Date(b.time).toISOString()},${b.open},${b.high},${b.low},${b.close},${b.volume}`).join('\n')}\n`);
  const config = JSON.parse(readFileSync('config/paper-trading.json', 'utf8')) as Record<string, unknown> & { sim: Record<string, unknown> };
  config.strategies = [{ id: 'syn', type: 'sma_cross', enabled: true, symbols: ['SYN'], capital_allocation: 50_000, params: { fast: 10, slow: 30, fraction: 0.2 } }];
  config.sim = { ...config.sim, data_dir: dir };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const port = await freePort();
  const redis = start(redisServer, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no']);
  await redis.waitFor(/Ready to accept connections/);
  url = `redis://127.0.0.1:${port}`;
}, 60_000);

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run optimize -- --queue: the sweep on workers behind Redis (BullMQ)', () => {
  it.skipIf(SKIP !== '')('loses nothing to a worker killed mid-backtest and gives the local result exactly', async () => {
    const local = await optimizeQuietly(['--workers', '2']);
    expect(local.combinations).toBe(6);

    const a = worker(url, 1);
    await a.waitFor(/ready: taking backtests/);
    const sweep = optimizeQuietly(['--queue', url]);
    // The first backtest A takes: A is killed while it runs (it never reports it finished).
    const [, taken] = await a.waitFor(/started (\S+) /);
    a.child.kill('SIGKILL');
    await new Promise((resolve) => a.child.once('exit', resolve));
    expect(a.output()).not.toContain(`finished ${taken}`);

    // B takes every backtest, and A's once its lock has run out.
    const b = worker(url, 2);
    const viaQueue = await sweep;
    expect(b.output()).toContain(`started ${taken!} `);
    expect(b.output()).toContain(`finished ${taken!}`);
    expect(viaQueue.ranOn).toBe(`the workers of ${url}`);
    expect(JSON.stringify(comparable(viaQueue))).toBe(JSON.stringify(comparable(local)));

    // Stopped with SIGTERM, a worker finishes what it runs and exits 0.
    b.child.kill('SIGTERM');
    const code = await new Promise((resolve) => b.child.once('exit', resolve));
    expect(code).toBe(0);
  }, 180_000);

  it.skipIf(SKIP !== '')('says so when Redis is not there', async () => {
    const port = await freePort();
    await expect(optimizeQuietly(['--queue', `redis://127.0.0.1:${port}`])).rejects.toThrow(
      `--queue: cannot reach Redis at redis://127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port}); is redis-server running there?`,
    );
  });
});
