import { chmodSync, existsSync, lstatSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { formatIssuePath } from '../config/formatIssuePath.js';
import { logSegments, segmentName } from './AppendLog.js';
import { backupsToKeep } from './backupsToKeep.js';
import { restorableSnapshotSchema, STATE_VERSION, type EngineState, type RestorableSnapshot } from './engineStateSchema.js';
import { hydrateState } from './hydrateState.js';
import { makePrivateDirectory } from './makePrivateDirectory.js';
import { upgradeState, type UpgradeContext } from './migrations/upgradeState.js';
import { PRIVATE_FILE_MODE } from './privateModes.js';
import { EQUITY_LOG, StateHistory, TRADES_LOG, type HistoryMark } from './StateHistory.js';
import { writeFileAtomic } from './writeFileAtomic.js';

export const LATEST = 'latest_state.json';
/** The runs this directory made (RunRegistry): archived with the state on a fresh start. */
export const RUNS = 'runs.json';
/** The orders sent since the last state file (OrderJournal): they belong to that state, archived with it. */
export const JOURNAL = 'orders_journal.jsonl';
const BACKUP = /^portfolio_state_\d{8}T\d{9}Z(_\d+)?\.json\.gz$/;
const ARCHIVE = /^\d{8}T\d{9}Z$/;
const DAY_MS = 86_400_000;

/** The backups in `dir`, oldest first. */
const backupNames = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((f) => BACKUP.test(f)).sort() : []);

/** `20261125T125900123Z`: a UTC time that sorts as text. */
const stamp = (ms: number): string => new Date(ms).toISOString().replace(/[-:.]/g, '');

export interface LoadedSnapshot {
  readonly snapshot: RestorableSnapshot;
  readonly file: string;
}

/** What the state directory keeps, and for how long (configuration: the `state` section). */
export interface StateRetention {
  /** The newest backups kept (`state.max_backups`). */
  readonly newestBackups: number;
  /** And the last backup of each New York day for this many days (`state.daily_backups_days`). */
  readonly dailyBackupDays: number;
  /** The earlier states archived by fresh starts kept in archive/ (`state.max_archives`). */
  readonly archives: number;
  /** A closed-trades segment is closed once it holds this many bytes (`state.trades_segment_mb`). */
  readonly tradesSegmentBytes: number;
  /** A closed segment last written longer ago than this many days is removed (`state.trades_keep_days`). */
  readonly tradesKeepDays: number;
}

/** What any save needs of a state: its version and the engine state (the rest is written as it is). */
export interface SavableState {
  readonly version: typeof STATE_VERSION;
  readonly engine: EngineState;
}

/**
 * The state directory: `latest_state.json`, rewritten atomically at every save; gzipped backups
 * `portfolio_state_<UTC time>.json.gz` (the newest few and one a day for a month, see
 * backupsToKeep); and the append-only logs beside them (`closed_trades_<n>.jsonl`,
 * `equity_history_<n>.jsonl`) that hold what only grows, so that a save writes what changed. A
 * state file (latest or backup) names how far into each log it goes, and restores on its own with
 * the logs beside it. Loading takes the newest file that reads, parses and validates, and says which
 * ones it skipped and why.
 */
export class SnapshotStore {
  readonly dir: string;
  readonly #retention: StateRetention;
  readonly #upgrade: UpgradeContext;
  readonly #history: StateHistory;

  /** `upgrade`: what upgrading a file of an earlier version may need (the offline starting cash). */
  constructor(dir: string, retention: StateRetention, upgrade: UpgradeContext = { startingCash: null }) {
    this.dir = dir;
    this.#retention = retention;
    this.#upgrade = upgrade;
    this.#history = new StateHistory(dir, retention.tradesSegmentBytes);
  }

  get latestPath(): string {
    return join(this.dir, LATEST);
  }

  /**
   * Writes the latest state (its new closed trades and daily closes appended to the logs first), and
   * a backup when asked (then also applies the retention of backups and closed trades); throws if
   * the latest could not be written (it is then unchanged).
   */
  save(snapshot: SavableState, backupAt: number | null): void {
    const { engine, history } = this.#history.write(snapshot.engine);
    // Compact: `npm run status` is the readable view; jq pretty-prints.
    const text = `${JSON.stringify({ ...snapshot, engine, history })}\n`;
    writeFileAtomic(this.latestPath, text);
    if (backupAt === null) return;
    let name = `portfolio_state_${stamp(backupAt)}.json.gz`;
    for (let i = 1; existsSync(join(this.dir, name)); i++) name = `portfolio_state_${stamp(backupAt)}_${i}.json.gz`;
    // Level 1: a third faster than the default for a file about a fifth bigger; backups are many, reads rare.
    writeFileAtomic(join(this.dir, name), gzipSync(text, { level: 1 }));
    this.#rotate();
    this.#history.pruneTrades(this.#retention.tradesKeepDays * DAY_MS, backupAt);
  }

  /** Backup file names, oldest first. */
  backups(): string[] {
    return backupNames(this.dir);
  }

  /**
   * The newest snapshot that can be restored; `skipped` gets one line per file that could not, `tail`
   * (by default `skipped` too) one per log with lines after the position the restored state names.
   * The logs continue from that state.
   */
  loadNewest(skipped: (warning: string) => void, tail: (warning: string) => void = skipped): LoadedSnapshot | null {
    const found = loadNewestState(this.dir, this.#upgrade, skipped, tail);
    if (found === null) return null;
    this.#history.resume(found.mark);
    return { snapshot: found.snapshot, file: found.file };
  }

  /**
   * Moves every state file into `archive/<UTC time>/` (a fresh start never overwrites a state silently); returns that folder, or null when there was nothing.
   * The archive is the owner's only like the state (folders 0700, files 0600, also those an older version left wider); a link is moved as it is, never followed.
   * Only the newest `archives` folders are kept.
   */
  archive(now: number): string | null {
    const logs = [TRADES_LOG, EQUITY_LOG].flatMap((p) => logSegments(this.dir, p).map((s) => segmentName(p, s)));
    const files = [LATEST, RUNS, JOURNAL, ...this.backups(), ...logs].filter((f) => existsSync(join(this.dir, f)));
    this.#history.reset();
    if (files.length === 0) return null;
    const to = join(this.dir, 'archive', stamp(now));
    makePrivateDirectory(to);
    for (const f of files) {
      renameSync(join(this.dir, f), join(to, f));
      if (lstatSync(join(to, f)).isFile()) chmodSync(join(to, f), PRIVATE_FILE_MODE);
    }
    this.#pruneArchive();
    return to;
  }

  #rotate(): void {
    const all = this.backups();
    const keep = backupsToKeep(all, { newest: this.#retention.newestBackups, days: this.#retention.dailyBackupDays });
    for (const f of all) if (!keep.has(f)) rmSync(join(this.dir, f), { force: true });
  }

  /** The oldest archived states beyond the limit are removed (their folders are named by time). */
  #pruneArchive(): void {
    const dir = join(this.dir, 'archive');
    const folders = readdirSync(dir)
      .filter((f) => ARCHIVE.test(f))
      .sort();
    for (const f of folders.slice(0, Math.max(0, folders.length - this.#retention.archives))) rmSync(join(dir, f), { recursive: true, force: true });
  }
}

/**
 * The newest state of `dir` that can be restored (latest_state.json, else the backups newest first),
 * with its closed trades and equity history read back from the logs, and where the logs stood;
 * `skipped` gets one line per file that could not be used, `tail` (by default `skipped` too) one
 * per log with lines after the position the state names. Null when none can.
 */
export function loadNewestState(dir: string, upgrade: UpgradeContext, skipped: (warning: string) => void, tail: (warning: string) => void = skipped): (LoadedSnapshot & { readonly mark: HistoryMark | null }) | null {
  const candidates = [LATEST, ...backupNames(dir).reverse()].map((f) => join(dir, f)).filter((f) => existsSync(f));
  for (const file of candidates) {
    const warnings: string[] = [];
    const result = read(file, dir, upgrade, (w) => warnings.push(w));
    if (typeof result === 'string') {
      skipped(`${file}: ${result}`);
      continue;
    }
    for (const w of warnings) tail(`${file}: ${w}`);
    return { ...result, file };
  }
  return null;
}

/** The snapshot in `file` (with its logs read back from `dir`), or why it cannot be used. */
function read(file: string, dir: string, upgrade: UpgradeContext, warn: (warning: string) => void): { snapshot: RestorableSnapshot; mark: HistoryMark | null } | string {
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
  const version = (json as { version?: unknown } | null)?.version;
  let full: unknown;
  let mark: HistoryMark | null = null;
  if (version === STATE_VERSION) {
    // The closed trades and the equity history are read back from the logs, as far as this state goes.
    try {
      const hydrated = hydrateState(json as Record<string, unknown>, dir, warn);
      full = hydrated.state;
      mark = hydrated.mark;
    } catch (error) {
      return `its closed trades or equity history cannot be read: ${error instanceof Error ? error.message : String(error)}`;
    }
  } else {
    // Files of earlier versions are upgraded first; the result is validated like a current one.
    try {
      full = upgradeState(json, upgrade);
    } catch (error) {
      return `cannot be upgraded from version ${String(version)}: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  const parsed = restorableSnapshotSchema.safeParse(full);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return `does not match the state schema: ${formatIssuePath(issue.path)}: ${issue.message}`;
  }
  return { snapshot: parsed.data, mark };
}
