import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { root, spawnMain, type Exit } from '../../drill/processes.js';

export { root };
export type CliResult = Exit;

/**
 * Starts `main.ts <args>` as a user would (through tsx), in `cwd`, with an environment that holds no
 * Alpaca or Telegram settings unless given, so the developer's own `.env` never leaks in.
 */
export function spawnCli(args: readonly string[], cwd: string, env: Record<string, string> = {}): { child: ChildProcess; result: Promise<CliResult> } {
  const p = spawnMain(args, cwd, env);
  return { child: p.child, result: p.exit };
}

export function runCli(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  return spawnCli(args, cwd, env).result;
}

export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), 'daemon-e2e-'));
}

/** The configuration file's JSON, loosely typed so tests can break it on purpose. */
export interface ConfigJson {
  strategies: Array<Record<string, unknown>>;
  sim: Record<string, unknown>;
  state: Record<string, unknown>;
  logging: Record<string, unknown>;
  [key: string]: unknown;
}

/** The shipped configuration, changed by `edit`, with its directories inside `dir`; returns the file. */
export function writeConfig(dir: string, edit: (c: ConfigJson) => void = () => {}): string {
  const config = JSON.parse(readFileSync(join(root, 'config', 'paper-trading.json'), 'utf8')) as ConfigJson;
  config.sim.data_dir = join(root, 'data', 'eqker');
  config.state.dir = join(dir, 'state');
  config.logging.dir = join(dir, 'logs');
  // Tests run side by side: each daemon's dashboard on a free port of its own.
  config['dashboard'] = { ...(config['dashboard'] as object), port: 0 };
  edit(config);
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** Resolves when `read()` contains `text`, rejects after `ms`. */
export async function waitFor(read: () => string, text: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!read().includes(text)) {
    if (Date.now() > until) throw new Error(`"${text}" did not appear within ${ms} ms; got:\n${read()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The objects of a JSON-lines file (a log). */
export function jsonLines(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
