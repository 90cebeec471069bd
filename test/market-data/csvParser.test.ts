import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/errors.js';
import { CsvRow, CsvScanner } from '../../src/market-data/CsvScanner.js';
import { decimalAt } from '../../src/market-data/decimalAt.js';
import { parseBarText, readBarFile, type BarFile } from '../../src/market-data/readBarFile.js';
import { StampReader } from '../../src/market-data/StampReader.js';
import { NEW_YORK, wallTimeToUtc } from '../../src/market-data/zonedTime.js';

const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');
const rowsOf = (text: string): string[][] => {
  const sc = new CsvScanner();
  const b = bytes(text);
  sc.refill(b, b.length, true);
  const rows: string[][] = [];
  while (sc.next() === CsvRow.Row) rows.push(Array.from({ length: sc.count }, (_, j) => sc.text(j)));
  return rows;
};
const bars = (f: BarFile): Array<[number, number, number, number, number, number]> =>
  Array.from({ length: f.tape.length }, (_, i) => [f.tape.time[i]!, f.tape.open[i]!, f.tape.high[i]!, f.tape.low[i]!, f.tape.close[i]!, f.tape.volume[i]!]);
const errorOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return (error as Error).message;
  }
  throw new Error('expected a DataError');
};

describe('CsvScanner (RFC 4180)', () => {
  it('splits quoted fields with commas, doubled quotes and line breaks; CRLF, LF, blank lines, a BOM', () => {
    expect(rowsOf('\uFEFFa,b,c\r\n"x, y","say ""hi""","two\nlines"\r\n\r\n1,,3\n"",z,\n')).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\nlines'],
      ['1', '', '3'],
      ['', 'z', ''],
    ]);
  });
  it('counts lines inside quoted fields, and names an unclosed quote', () => {
    const sc = new CsvScanner();
    const b = bytes('h\n"a\nb"\nc\n');
    sc.refill(b, b.length, true);
    const lines: number[] = [];
    while (sc.next() === CsvRow.Row) lines.push(sc.line);
    expect(lines).toEqual([1, 2, 4]);
    expect(() => rowsOf('h\n"open')).toThrow('a quoted field is not closed');
  });
});

describe('decimalAt', () => {
  it('reads exactly what Number reads, fast path or not', () => {
    const decimal = fc
      .tuple(fc.constantFrom('', '-', '+', ' '), fc.stringMatching(/^[0-9]{0,18}$/), fc.constantFrom('', '.'), fc.stringMatching(/^[0-9]{0,12}$/), fc.constantFrom('', 'e3', 'E-2', ' ', 'x'))
      .map(([sign, int, dot, frac, tail]) => `${sign}${int}${dot}${frac}${tail}`);
    fc.assert(
      fc.property(decimal, (text) => {
        const b = bytes(`,${text},`);
        const got = decimalAt(b, 1, b.length - 1);
        const want = text.trim() === '' ? Number.NaN : Number(text);
        expect(Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want))).toBe(true);
      }),
      { numRuns: 5000 },
    );
    for (const text of ['277.2201', '0.1', '0.57', '123456789012345', '1234567890123456', '9007199254740993', '-0', '.5', '5.', '1e5', '0x10', ' 12 ', 'Infinity', 'NaN', '']) {
      const b = bytes(text);
      expect(decimalAt(b, 0, b.length)).toEqual(text.trim() === '' ? Number.NaN : Number(text));
    }
  });
});

describe('StampReader', () => {
  // The rule, written plainly: ISO date, optional time (T or space), optional zone; naive in the zone.
  const plain = (text: string, zone: string): number => {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(text.trim())!;
    const [y, mo, d, h = 0, mi = 0, s = 0] = m.slice(1, 7).map((x) => Number(x ?? 0));
    const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
    if (m[8] === undefined) return wallTimeToUtc(y!, mo!, d!, h, mi, s, ms, zone);
    const utc = Date.UTC(y!, mo! - 1, d!, h, mi, s, ms);
    if (m[8].toUpperCase() === 'Z') return utc;
    const digits = m[8].slice(1).replace(':', '');
    return utc - (m[8].startsWith('-') ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  };
  it('reads every spelling as the plain rule does, daylight-saving days included', () => {
    const two = (n: number): string => String(n).padStart(2, '0');
    const stamp = fc
      .record({
        y: fc.integer({ min: 2000, max: 2030 }),
        mo: fc.integer({ min: 1, max: 12 }),
        d: fc.integer({ min: 1, max: 28 }),
        h: fc.integer({ min: 0, max: 23 }),
        mi: fc.integer({ min: 0, max: 59 }),
        s: fc.option(fc.integer({ min: 0, max: 59 })),
        frac: fc.option(fc.stringMatching(/^[0-9]{1,9}$/)),
        sep: fc.constantFrom('T', ' ', 't'),
        zone: fc.constantFrom('', 'Z', 'z', '+00:00', '-05:00', '+0530', ' Z', '-0400'),
      })
      .map(({ y, mo, d, h, mi, s, frac, sep, zone }) => `${y}-${two(mo)}-${two(d)}${sep}${two(h)}:${two(mi)}${s === null ? '' : `:${two(s)}${frac === null ? '' : `.${frac}`}`}${zone}`);
    for (const zone of [NEW_YORK, 'Europe/London']) {
      const reader = new StampReader(zone, () => 0);
      fc.assert(
        fc.property(stamp, (text) => {
          const b = bytes(` ${text} `);
          expect(reader.read(b, 0, b.length)).toBe(plain(text, zone));
        }),
        { numRuns: 3000 },
      );
      // Around the changes: the spring gap and the repeated autumn hour.
      for (const text of ['2019-03-10 01:59:00', '2019-03-10 02:30:00', '2019-03-10 03:00:00', '2019-11-03 01:30:00', '2019-11-03 02:00:00', '2019-03-31 01:30:00', '2019-10-27 01:30:00']) {
        const b = bytes(text);
        expect(reader.read(b, 0, b.length)).toBe(plain(text, zone));
      }
    }
  });
  it('reads a date alone as a daily bar, and refuses what is not a time', () => {
    const reader = new StampReader(NEW_YORK, (date) => Date.parse(`${date}T21:00:00Z`));
    const read = (t: string): number => reader.read(bytes(t), 0, bytes(t).length);
    expect(read('2019-02-15')).toBe(Date.parse('2019-02-15T21:00:00Z'));
    expect(reader.dateOnly).toBe(true);
    expect(read('2019-02-15 09:30')).toBe(Date.parse('2019-02-15T14:30:00Z'));
    expect(reader.dateOnly).toBe(false);
    for (const bad of ['2019-02-30', '2019-02-29 10:00', '2019-13-01', '2019-02-15 24:00', '2019-02-15 10:60', 'yesterday', '', '2019-02-15T10:00:00+5']) expect(read(bad)).toBeNaN();
  });
});

describe('reading bar files', () => {
  const header = 'datetime,open,high,low,close,volume';
  it('reads quoted fields (a comma inside one breaks no row), a BOM, CRLF, extra columns', () => {
    const f = parseBarText(
      `\uFEFF${header},note\r\n"2019-02-11 09:31:00","1.5",2,1,"1.75",10,"halted, then resumed"\r\n2019-02-11 09:32:00,2,3,1,2.5,20,"say ""hi"", twice"\r\n2019-02-11 09:33:00,2,3,1,2.5,20,"two\nlines"\r\n2019-02-11 09:34:00,2,3,1,2.5,20,plain\r\n`,
      'x.csv',
      { symbol: 'SPY' },
    );
    expect(bars(f).map((b) => b.slice(0, 5))).toEqual([
      [Date.parse('2019-02-11T14:31:00Z'), 1.5, 2, 1, 1.75],
      [Date.parse('2019-02-11T14:32:00Z'), 2, 3, 1, 2.5],
      [Date.parse('2019-02-11T14:33:00Z'), 2, 3, 1, 2.5],
      [Date.parse('2019-02-11T14:34:00Z'), 2, 3, 1, 2.5],
    ]);
    // The line of a bad row counts the line break inside the quoted field.
    expect(errorOf(() => parseBarText(`${header},note\n2019-02-11 09:31:00,1,2,1,1.5,10,"a\nb"\n2019-02-11 09:32:00,1,2,1,x,10,c\n`, 'x.csv', { symbol: 'SPY' }))).toBe(
      'x.csv:4: close "x" is not a finite number',
    );
  });

  it('gives the same bars and the same errors whatever the read window (every boundary crossed)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csv-window-'));
    const good = join(dir, 'good.csv');
    const rows = [`\uFEFF${header},note`];
    for (let i = 0; i < 40; i++) {
      const t = new Date(Date.UTC(2019, 1, 11, 14, 31 + i)).toISOString();
      rows.push(`${t},${100 + i}.25,${101 + i},${99 + i}.5,${100 + i}.75,${1000 + i},${i % 3 === 0 ? '"a, ""b""\nc"' : 'n'}`);
    }
    // CRLF and LF by turns, no line break at the end.
    writeFileSync(good, rows.map((r, k) => (k === rows.length - 1 ? r : `${r}${k % 2 === 0 ? '\r\n' : '\n'}`)).join(''));
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, `${rows.slice(0, 30).join('\r\n')}\r\n2019-02-11T15:30:00Z,1,2,3,1,5,n\r\n`);
    const whole = await readBarFile(good, { symbol: 'SPY' });
    expect(whole.tape.length).toBe(40);
    const message = (await readBarFile(bad, { symbol: 'SPY' }).catch((e: Error) => e.message)) as string;
    expect(message).toBe(`${bad}:41: high 2 is below the open, close or low`);
    for (let chunk = 1; chunk <= 70; chunk++) {
      expect(bars(await readBarFile(good, { symbol: 'SPY', chunkBytes: chunk }))).toEqual(bars(whole));
      await expect(readBarFile(bad, { symbol: 'SPY', chunkBytes: chunk })).rejects.toThrow(message);
    }
  });

  it('sorts rows in any order and names both lines of a duplicate', () => {
    const f = parseBarText(`${header}\n2019-02-11 09:33:00,1,2,1,1.5,10\n2019-02-11 09:31:00,1,2,1,1.5,10\n2019-02-11 09:32:00,1,2,1,1.5,10\n`, 'x.csv', { symbol: 'A' });
    expect(Array.from(f.tape.time)).toEqual([Date.parse('2019-02-11T14:31:00Z'), Date.parse('2019-02-11T14:32:00Z'), Date.parse('2019-02-11T14:33:00Z')]);
    expect(errorOf(() => parseBarText(`${header}\n2019-02-11 09:33:00,1,2,1,1.5,10\n2019-02-11 09:31:00,1,2,1,1.5,10\n2019-02-11 09:33:00,1,2,1,1.5,10\n`, 'x.csv', { symbol: 'A' }))).toBe(
      'x.csv:4: duplicate timestamp 2019-02-11T14:33:00.000Z (first on line 2)',
    );
  });

  it('keeps only the days asked for (a day either side), counting every row as evidence', () => {
    const text = `${header}\n${['2019-02-04', '2019-02-08', '2019-02-11', '2019-02-12', '2019-02-15'].map((d) => `${d} 09:30:00,1,2,1,1.5,10`).join('\n')}\n`;
    const day = (d: string): number => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
    const f = parseBarText(text, 'x.csv', { symbol: 'A', keepDays: { first: day('2019-02-11'), last: day('2019-02-11') } });
    expect(Array.from(f.tape.time).map((t) => new Date(t).toISOString().slice(0, 10))).toEqual(['2019-02-11', '2019-02-12']);
    expect(f.evidence.rows).toBe(5);
    expect(f.evidence.at0930).toBe(5);
  });

  it('collects what the stamps say about the labelling', () => {
    const f = parseBarText(`t,o,h,l,c,v\n2019-02-11T14:30:00Z,1,2,1,1.5,10\n2019-02-11T14:45:00Z,1,2,1,1.5,10\n2019-02-11T15:00:00Z,1,2,1,1.5,10\n2019-02-11T21:00:00Z,1,2,1,1.5,10\n`, 'x.csv', { symbol: 'A' });
    expect(f.alpacaFormat).toBe(true);
    expect(f.evidence).toMatchObject({ rows: 4, at0930: 1, at1600: 1, maxRowsPerDay: 4, sameTimeOfDay: false, allUtcMidnight: false, commonStepMs: 900_000 });
  });
});
