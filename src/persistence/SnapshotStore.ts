import { chmodSync, existsSync, lstatSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { formatIssuePath } from '../config/formatIssuePath.js';
import { restorableSnapshotSchema, type RestorableSnapshot } from './engineStateSchema.js';
import { makePrivateDirectory } from './makePrivateDirectory.js';
import { upgradeState, type UpgradeContext } from './migrations/upgradeState.js';
import { PRIVATE_FILE_MODE } from './privateModes.js';
import { writeFileAtomic } from './writeFileAtomic.js';

export const LATEST = 'latest_state.json';
/** The runs this directory made (RunRegistry): archived with the state on a fresh start. */
export const RUNS = 'runs.json';
/** The orders sent since the last state file (OrderJournal): they belong to that state, archived with it. */
export const JOURNAL = 'orders_journal.jsonl';
const BACKUP = /^portfolio_state_\d{8}T\d{9}Z(_\d+)?\.json\.gz$/;

/** `20261125T125900123Z`: a UTC time that sorts as text. */
const stamp = (ms: number): string => new Date(ms).toISOString().replace(/[-:.]/g, '');

export interface LoadedSnapshot {
  readonly snapshot: RestorableSnapshot;
  readonly file: string;
}

/**
 * The state directory: `latest_state.json`, rewritten atomically at every save, and gzipped backups
 * `portfolio_state_<UTC time>.json.gz` (at most `maxBackups`, the oldest removed). Loading takes the
 * newest file that reads, parses and validates, and says which ones it skipped and why.
 */
export class SnapshotStore {
  readonly dir: string;
  readonly #maxBackups: number;
  readonly #upgrade: UpgradeContext;

  /** `upgrade`: what upgrading a file of an earlier version may need (the offline starting cash). */
  constructor(dir: string, maxBackups: number, upgrade: UpgradeContext = { startingCash: null }) {
    this.dir = dir;
    this.#maxBackups = maxBackups;
    this.#upgrade = upgrade;
  }

  get latestPath(): string {
    return join(this.dir, LATEST);
  }

  /** Writes the latest state, and a backup when asked; throws if the latest could not be written (it is then unchanged). */
  save(text: string, backupAt: number | null): void {
    writeFileAtomic(this.latestPath, text);
    if (backupAt === null) return;
    let name = `portfolio_state_${stamp(backupAt)}.json.gz`;
    for (let i = 1; existsSync(join(this.dir, name)); i++) name = `portfolio_state_${stamp(backupAt)}_${i}.json.gz`;
    // Level 1: a third faster than the default for a file about a fifth bigger; backups are many, reads rare.
    writeFileAtomic(join(this.dir, name), gzipSync(text, { level: 1 }));
    this.#rotate();
  }

  /** Backup file names, oldest first. */
  backups(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => BACKUP.test(f))
      .sort();
  }

  /** The newest snapshot that can be restored; `skipped` gets one line per file that could not. */
  loadNewest(skipped: (warning: string) => void): LoadedSnapshot | null {
    const candidates = [LATEST, ...this.backups().reverse()].map((f) => join(this.dir, f)).filter((f) => existsSync(f));
    for (const file of candidates) {
      const result = read(file, this.#upgrade);
      if (typeof result === 'string') skipped(`${file}: ${result}`);
      else return { snapshot: result, file };
    }
    return null;
  }

  /**
   * Moves every state file into `archive/<UTC time>/` (a fresh start never overwrites a state silently); returns that folder, or null when there was nothing.
   * The archive is the owner's only like the state (folders 0700, files 0600, also those an older version left wider); a link is moved as it is, never followed.
   */
  archive(now: number): string | null {
    const files = [LATEST, RUNS, JOURNAL, ...this.backups()].filter((f) => existsSync(join(this.dir, f)));
    if (files.length === 0) return null;
    const to = join(this.dir, 'archive', stamp(now));
    makePrivateDirectory(to);
    for (const f of files) {
      renameSync(join(this.dir, f), join(to, f));
      if (lstatSync(join(to, f)).isFile()) chmodSync(join(to, f), PRIVATE_FILE_MODE);
    }
    return to;
  }

  #rotate(): void {
    const all = this.backups();
    for (const f of all.slice(0, Math.max(0, all.length - this.#maxBackups))) rmSync(join(this.dir, f), { force: true });
  }
}

/** The snapshot in `file`, or why it cannot be used. */
function read(file: string, upgrade: UpgradeContext): RestorableSnapshot | string {
  let text: string;
  try {
    const bytes = readFileSync(file);
    text = file.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  } catch (error) {
    return `cannot be read (${error instanceof Error ? error.message : String(error)})`;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return `is not complete JSON (${text.length} bytes; truncated or corrupted)`;
  }
  // Files of earlier versions are upgraded first; the result is validated like a current one.
  let upgraded: unknown;
  try {
    upgraded = upgradeState(json, upgrade);
  } catch (error) {
    return `cannot be upgraded from version ${String((json as { version?: unknown } | null)?.version)}: ${error instanceof Error ? error.message : String(error)}`;
  }
  const parsed = restorableSnapshotSchema.safeParse(upgraded);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return `does not match the state schema: ${formatIssuePath(issue.path)}: ${issue.message}`;
  }
  return parsed.data;
}
