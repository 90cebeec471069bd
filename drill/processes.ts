import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** The project root, by absolute path, so children run from a scratch directory. */
export const root = join(import.meta.dirname, '..');
const main = join(root, 'src', 'main.ts');
const tsx = import.meta.resolve('tsx');

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A `main.ts` command in a process of its own (as `npm start` runs it): its output so far, and its end. */
export interface MainProcess {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exit: Promise<Exit>;
}

/**
 * Starts `main.ts <args>` through tsx in `cwd`, with an environment that holds only PATH, HOME and
 * what is given (a developer's own `.env` or keys never leak in).
 */
export function spawnMain(args: readonly string[], cwd: string, env: Record<string, string> = {}): MainProcess {
  const child = spawn(process.execPath, ['--import', tsx, main, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<Exit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

/** Resolves when `read()` holds `text`; rejects after `ms` with what it held. */
export async function waitForText(read: () => string, text: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!read().includes(text)) {
    if (Date.now() > until) throw new Error(`"${text}" did not appear within ${ms} ms; got:\n${read().slice(-3000)}`);
    await sleep(50);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The URLs an emulator process printed. */
export interface EmulatorUrls {
  readonly baseUrl: string;
  readonly dataUrl: string;
  readonly dataStreamUrl: string;
  readonly adminUrl: string;
}

/** `npm run emulator -- <args>` in its own process; resolves once it printed its `.env` lines. */
export async function startEmulatorProcess(args: readonly string[], cwd: string): Promise<{ process: MainProcess; urls: EmulatorUrls; stop: () => Promise<void> }> {
  const p = spawnMain(['emulator', '--port', '0', ...args], cwd);
  await waitForText(p.stdout, 'ALPACA_DATA_STREAM_URL=', 30_000);
  const line = (key: string): string => {
    const m = new RegExp(`^${key}=(.+)$`, 'm').exec(p.stdout());
    if (m === null) throw new Error(`the emulator did not print ${key}`);
    return m[1]!.trim();
  };
  const baseUrl = line('ALPACA_BASE_URL');
  return {
    process: p,
    urls: { baseUrl, dataUrl: line('ALPACA_DATA_URL'), dataStreamUrl: line('ALPACA_DATA_STREAM_URL'), adminUrl: `${baseUrl}/admin` },
    stop: async () => {
      p.child.kill('SIGTERM');
      await p.exit;
    },
  };
}
