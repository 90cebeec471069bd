const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** What `CsvScanner.next` found. */
export const CsvRow = { Row: 1, NeedMore: 0, End: -1 } as const;
export type CsvRow = (typeof CsvRow)[keyof typeof CsvRow];

/**
 * Splits CSV bytes into rows and fields without making strings: RFC 4180 (fields separated by
 * commas; a field in double quotes may hold commas, line breaks and `""` for a quote), lines ended
 * by LF or CRLF, blank lines skipped, a UTF-8 byte-order mark at the start ignored. It reads a
 * window of a larger input: `next` says `NeedMore` when the window ends inside a row, and the
 * caller slides the unread bytes (from `pos`) to the front and appends the next chunk (`refill`).
 * Field `j` of the current row is bytes `starts[j]`…`ends[j]` of `buf` (quotes excluded);
 * `escaped[j]` is 1 when it holds `""` pairs (read it with `text`).
 */
export class CsvScanner {
  buf: Uint8Array = new Uint8Array(0);
  /** Bytes of `buf` that hold data. */
  end = 0;
  /** First byte not yet read. */
  pos = 0;
  /** True once the last chunk is in `buf`. */
  eof = false;
  /** Line number (1-based) on which the current row starts. */
  line = 0;
  /** Fields in the current row. */
  count = 0;
  starts = new Int32Array(16);
  ends = new Int32Array(16);
  escaped = new Uint8Array(16);
  /** Line on which the next row starts (a reader that consumes rows itself moves it on with `pos`). */
  nextLine = 1;
  #bomChecked = false;

  /** Gives the scanner its (next) window: `buf[0…end)`, `eof` when nothing follows. */
  refill(buf: Uint8Array, end: number, eof: boolean): void {
    this.buf = buf;
    this.end = end;
    this.pos = 0;
    this.eof = eof;
  }

  /** Reads the next row. */
  next(): CsvRow {
    const b = this.buf;
    const e = this.end;
    let p = this.pos;
    if (!this.#bomChecked) {
      if (e - p < 3 && !this.eof) return CsvRow.NeedMore;
      this.#bomChecked = true;
      if (b[p] === 0xef && b[p + 1] === 0xbb && b[p + 2] === 0xbf) p += 3;
    }
    let line = this.nextLine;
    // Blank lines (and the LF of a CRLF split across windows) are skipped.
    while (p < e) {
      const c = b[p]!;
      if (c === LF) line++;
      else if (c !== CR) break;
      p++;
    }
    if (p >= e) {
      this.pos = p;
      this.nextLine = line;
      return this.eof ? CsvRow.End : CsvRow.NeedMore;
    }
    const rowLine = line;
    let n = 0;
    for (;;) {
      if (n === this.starts.length) this.#grow();
      if (b[p] === QUOTE) {
        let q = p + 1;
        let escaped = 0;
        let close = -1;
        for (;;) {
          const at = b.indexOf(QUOTE, q);
          if (at === -1 || at >= e) break;
          if (at + 1 < e && b[at + 1] === QUOTE) {
            escaped = 1;
            q = at + 2;
            continue;
          }
          if (at + 1 >= e && !this.eof) break;
          close = at;
          break;
        }
        if (close === -1) {
          if (!this.eof) return CsvRow.NeedMore;
          this.line = rowLine;
          throw new RangeError('a quoted field is not closed (a " without its closing ")');
        }
        for (let k = p + 1; k < close; k++) if (b[k] === LF) line++;
        this.starts[n] = p + 1;
        this.ends[n] = close;
        this.escaped[n] = escaped;
        p = close + 1;
        // Anything between the closing quote and the separator (spaces) is ignored.
        while (p < e && b[p] !== COMMA && b[p] !== LF && b[p] !== CR) p++;
      } else {
        const s = p;
        while (p < e) {
          const c = b[p]!;
          if (c === COMMA || c === LF || c === CR) break;
          p++;
        }
        this.starts[n] = s;
        this.ends[n] = p;
        this.escaped[n] = 0;
      }
      n++;
      if (p >= e) {
        if (!this.eof) return CsvRow.NeedMore;
        break;
      }
      const c = b[p]!;
      if (c === COMMA) {
        p++;
        if (p >= e) {
          if (!this.eof) return CsvRow.NeedMore;
          if (n === this.starts.length) this.#grow();
          this.starts[n] = p;
          this.ends[n] = p;
          this.escaped[n] = 0;
          n++;
          break;
        }
        continue;
      }
      // End of the row: CR, LF or CRLF (a CR that ends the window may have its LF in the next).
      p++;
      if (c === CR && p >= e && !this.eof) return CsvRow.NeedMore;
      if (c === CR && p < e && b[p] === LF) p++;
      line++;
      break;
    }
    this.pos = p;
    this.line = rowLine;
    this.nextLine = line;
    this.count = n;
    return CsvRow.Row;
  }

  /** Field `j` of the current row as text (UTF-8, quotes undone, not trimmed). */
  text(j: number): string {
    if (j >= this.count) return '';
    const s = Buffer.from(this.buf.buffer, this.buf.byteOffset + this.starts[j]!, this.ends[j]! - this.starts[j]!).toString('utf8');
    return this.escaped[j] === 1 ? s.replaceAll('""', '"') : s;
  }

  #grow(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    const escaped = new Uint8Array(size);
    starts.set(this.starts);
    ends.set(this.ends);
    escaped.set(this.escaped);
    this.starts = starts;
    this.ends = ends;
    this.escaped = escaped;
  }
}
