import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { logSegments, segmentName, type LogPosition } from './AppendLog.js';

/** One line of a log as read (parsed, not yet trusted), and where it was (`segment:line` names it). */
export interface LogLine {
  readonly value: unknown;
  readonly segment: string;
  readonly line: number;
}

/**
 * The lines of the log `prefix` in `dir` that a state saved at `upTo` knows of: every segment
 * present up to `upTo.segment`, that one up to `upTo.offset`. Segments older than the oldest one
 * present were removed by retention; a gap between present segments, a segment shorter than the
 * state says or a line that does not parse means the log cannot be trusted: throws, with the
 * reason. Bytes after the position (a save that never completed its state, a torn last line) are
 * ignored, with one warning.
 */
export function readLog(dir: string, prefix: string, upTo: LogPosition, warn: (warning: string) => void): LogLine[] {
  const present = logSegments(dir, prefix);
  const used = present.filter((s) => s <= upTo.segment);
  const lines: LogLine[] = [];
  const expectedFirst = used.length === 0 ? upTo.segment : used[0]!;
  for (let s = expectedFirst; s <= upTo.segment; s++) {
    const name = segmentName(prefix, s);
    if (!used.includes(s)) {
      // The segment the state was writing may not exist yet when nothing was written to it.
      if (s === upTo.segment && upTo.offset === 0) continue;
      throw new Error(`${name} is missing (the state names ${segmentName(prefix, upTo.segment)} at byte ${upTo.offset})`);
    }
    const bytes = readFileSync(join(dir, name));
    const end = s === upTo.segment ? upTo.offset : bytes.length;
    if (bytes.length < end) throw new Error(`${name} has ${bytes.length} bytes, the state was saved after byte ${end}`);
    if (s === upTo.segment && bytes.length > end) warn(`${name}: ${bytes.length - end} bytes after byte ${end} ignored (written by a save whose state was not written, or a torn last line)`);
    const text = bytes.toString('utf8', 0, end);
    const whole = text.lastIndexOf('\n') + 1;
    if (whole < text.length) warn(`${name}: a torn last line ignored (${text.length - whole} bytes without a newline)`);
    for (const [i, value] of parseLines(text.slice(0, whole), name).entries()) lines.push({ value, segment: name, line: i + 1 });
  }
  for (const s of present.filter((x) => x > upTo.segment)) warn(`${segmentName(prefix, s)}: written after the state's position, ignored`);
  return lines;
}

/**
 * Whole lines (`text` ends with a newline, or is empty) parsed as one JSON array: a parse per line,
 * or splitting first, costs several times more at tens of thousands of lines. Line by line only to
 * name a bad one.
 */
function parseLines(text: string, name: string): unknown[] {
  if (text === '') return [];
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  let all: unknown[] | null;
  try {
    all = JSON.parse(`[${text.slice(0, -1).replaceAll('\n', ',')}]`) as unknown[];
  } catch {
    all = null;
  }
  // A line holding two values (`{…},{…}`) parses in the array too, but not alone.
  if (all !== null && all.length === count) return all;
  return text
    .slice(0, -1)
    .split('\n')
    .map((line, i) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw new Error(`${name}:${i + 1} is not a JSON line (corrupted)`);
      }
    });
}
