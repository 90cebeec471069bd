import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { readBarFile } from '../src/market-data/readBarFile.js';
import { NEW_YORK, zoneOffset } from '../src/market-data/zonedTime.js';
import { syntheticBars } from './syntheticBars.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/** backtrader's whole run on the same 200,000-row file on the development VM (the side-by-side figure; backtrader cannot be installed here). */
export const BACKTRADER_200K_SECONDS = 18;

/**
 * `rows` generated one-minute bars (`syntheticBars`) written as a start-labelled file in the usual
 * OHLCV layout: `datetime,open,high,low,close,volume`, naive New York time, 09:30 … 15:59.
 */
export function writeStartLabelledCsv(file: string, rows: number): string {
  const lines = ['datetime,open,high,low,close,volume'];
  for (const b of syntheticBars(rows)) {
    const start = b.time - 60_000;
    const wall = new Date(start + zoneOffset(start, NEW_YORK)).toISOString();
    lines.push(`${wall.slice(0, 10)} ${wall.slice(11, 19)},${b.open},${b.high},${b.low},${b.close},${b.volume}`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

export interface CliFigures {
  /** Rows a second read by the streamed CSV loader (parse, checks, columns, labelling evidence): best run, and the first run of the process (cold code). */
  readonly csvRowsPerSecond: number;
  readonly csvFirstRunRowsPerSecond: number;
  /** `npm run backtest` (sma_cross 10/30) on the 200,000-row start-labelled file, as a process: median of 5 (wall seconds). */
  readonly cli200kSeconds: number;
  /** The same command as `node dist/main.js backtest …` (without npm's own start-up). */
  readonly cli200kNodeSeconds: number;
  /** `npm run backtest` on the 1,950-bar SPY reference file. */
  readonly cliTinySeconds: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** Wall seconds of a command, median of `runs` after one run that warms the page cache. */
function timeCommand(command: string, args: readonly string[], runs: number): number {
  const once = (): number => {
    const t0 = performance.now();
    const r = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const seconds = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    return seconds;
  };
  once();
  return median(Array.from({ length: runs }, once));
}

export async function cliBench(runs: number, collect: () => void): Promise<CliFigures> {
  if (!existsSync(join(root, 'dist', 'main.js'))) throw new Error('dist/main.js is missing: run npm run build (npm install builds it)');
  const dir = mkdtempSync(join(tmpdir(), 'bench-cli-'));
  try {
    const file = writeStartLabelledCsv(join(dir, 'SYN_1min.csv'), 200_000);
    let first = 0;
    let best = 0;
    for (let i = 0; i <= runs; i++) {
      collect();
      const t0 = performance.now();
      const f = await readBarFile(file, { symbol: 'SYN' });
      const rate = f.tape.length / ((performance.now() - t0) / 1000);
      if (i === 0) first = rate;
      else best = Math.max(best, rate);
    }
    const args = ['--data', file, '--strategy', 'sma_cross', '--params', '{"fast":10,"slow":30,"qty":10}'];
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    return {
      csvRowsPerSecond: Math.round(best),
      csvFirstRunRowsPerSecond: Math.round(first),
      cli200kSeconds: round2(timeCommand(npm, ['run', 'backtest', '--', ...args], 5)),
      cli200kNodeSeconds: round2(timeCommand(process.execPath, ['--max-semi-space-size=64', 'dist/main.js', 'backtest', ...args], 5)),
      cliTinySeconds: round2(
        timeCommand(npm, ['run', 'backtest', '--', '--data', join('test', 'fixtures', 'backtrader', 'SPY_1min.csv'), '--strategy', 'sma_cross', '--params', '{"fast":10,"slow":30,"qty":10}'], 5),
      ),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

// `node --import tsx bench/cliBench.ts [RUNS]`: the figures as one JSON line (bench.ts runs it in a
// fresh process, so the loader is not measured in a heap full of the other measures' bars).
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const collect = (globalThis as { gc?: () => void }).gc ?? ((): void => {});
  process.stdout.write(`${JSON.stringify(await cliBench(Number(process.argv[2] ?? 10), collect))}\n`);
}
