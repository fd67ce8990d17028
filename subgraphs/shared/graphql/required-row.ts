/**
 * A row a non-null field promises: one its command has just committed, or one another row refers
 * to (projections write both in one transaction). A missing one is a bug, never the caller's
 * doing, so the field fails as an internal error, as a null in it would.
 */
export function requiredRow<Row>(row: Row | null | undefined, what: string): Row {
  if (row === null || row === undefined) throw new Error(`${what} is missing`);
  return row;
}
