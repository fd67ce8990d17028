/**
 * DataLoader answers in the order of the keys it asked for: one query returns rows in any order,
 * and a batch function must answer key by key.
 */

/** The row with each id, or null where there is none. */
export function byId<Row extends { id: string }>(ids: readonly string[], rows: readonly Row[]): Array<Row | null> {
  const found = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => found.get(id) ?? null);
}

/** The rows of each key (`keyOf` tells a row's key), in the order the query returned them. */
export function groupBy<Row>(keys: readonly string[], rows: readonly Row[], keyOf: (row: Row) => string): Row[][] {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return keys.map((key) => groups.get(key) ?? []);
}

/**
 * The rows a `loadMany` found, in key order: keys without a row are left out, and a key whose load
 * failed fails the whole list.
 */
export function presentRows<Row>(loaded: ReadonlyArray<Row | null | Error>): Row[] {
  const rows: Row[] = [];
  for (const row of loaded) {
    if (row instanceof Error) throw row;
    if (row !== null) rows.push(row);
  }
  return rows;
}
