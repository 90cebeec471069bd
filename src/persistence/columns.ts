/**
 * Objects of one shape as a table: the field names once, then one array of values per object.
 * The state file holds the open lots so (a third of the bytes at 3,500 lots: the names were most of
 * them), which is what a save writes, gzips and fsyncs each time.
 */
export interface Columns {
  readonly fields: readonly string[];
  readonly rows: ReadonlyArray<readonly unknown[]>;
}

/** `items` as a table, or as they are when they do not all have the same fields in the same order. */
export function toColumns<T extends object>(items: readonly T[]): Columns | readonly T[] {
  if (items.length === 0) return items;
  const fields = Object.keys(items[0]!);
  const rows: unknown[][] = [];
  for (const item of items) {
    const keys = Object.keys(item);
    if (keys.length !== fields.length || keys.some((k, i) => k !== fields[i])) return items;
    rows.push(Object.values(item));
  }
  return { fields, rows };
}

/** The objects of a table (anything else is returned as it is, for validation to judge); throws when a row does not fit the fields. */
export function fromColumns(x: unknown, what: string): unknown {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return x;
  const { fields, rows } = x as { fields?: unknown; rows?: unknown };
  if (!Array.isArray(fields) || !fields.every((f) => typeof f === 'string') || !Array.isArray(rows)) throw new Error(`${what}: expected a list, or {fields, rows}`);
  return rows.map((row, i) => {
    if (!Array.isArray(row) || row.length !== fields.length) throw new Error(`${what}.rows[${i}]: expected ${fields.length} values (${fields.join(', ')})`);
    const o: Record<string, unknown> = {};
    for (let k = 0; k < fields.length; k++) o[fields[k] as string] = row[k];
    return o;
  });
}
