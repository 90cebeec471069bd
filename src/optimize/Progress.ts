/**
 * The progress line of a sweep on stderr: combinations done, elapsed time and the time left at the
 * pace so far. On a terminal one line redrawn at most every `intervalMs`; into a file or a pipe a
 * line at each tenth of the way, so a log stays short.
 */
export class Progress {
  readonly #total: number;
  readonly #write: (text: string) => void;
  readonly #now: () => number;
  readonly #tty: boolean;
  readonly #intervalMs: number;
  readonly #started: number;
  #lastDraw = Number.NEGATIVE_INFINITY;
  #lastTenth = 0;

  constructor(o: { total: number; write: (text: string) => void; now: () => number; tty: boolean; intervalMs?: number; startedAt?: number }) {
    this.#total = o.total;
    this.#write = o.write;
    this.#now = o.now;
    this.#tty = o.tty;
    this.#intervalMs = o.intervalMs ?? 200;
    this.#started = o.startedAt ?? o.now();
  }

  /** `done` of the total are finished. */
  update(done: number): void {
    const now = this.#now();
    if (this.#tty) {
      if (done < this.#total && now - this.#lastDraw < this.#intervalMs) return;
      this.#lastDraw = now;
      this.#write(`\r${this.line(done, now)}\x1b[K${done === this.#total ? '\n' : ''}`);
      return;
    }
    const tenth = Math.floor((done * 10) / this.#total);
    if (tenth > this.#lastTenth || done === this.#total) {
      this.#lastTenth = tenth;
      this.#write(`${this.line(done, now)}\n`);
    }
  }

  /** `optimize: 12/40 backtests (30%), 3.1 s, ETA 7.2 s`. */
  line(done: number, now: number): string {
    const elapsed = (now - this.#started) / 1000;
    const pct = Math.floor((done / this.#total) * 100);
    const eta = done === 0 ? '…' : `${((elapsed / done) * (this.#total - done)).toFixed(1)} s`;
    const bar = '#'.repeat(Math.floor(pct / 5)).padEnd(20, '.');
    return `optimize [${bar}] ${done}/${this.#total} backtests (${pct}%), ${elapsed.toFixed(1)} s${done === this.#total ? '' : `, ETA ${eta}`}`;
  }
}
