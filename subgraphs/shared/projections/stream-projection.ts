import type { SqlClient } from '../database/sql.js';
import type { RecordedEvent } from '../event-store/contract.js';

/**
 * A read model as plain data: how one stream's events fold into an accumulator, which rows the
 * accumulator stands for, and how to upsert rows. Inline projection and rebuild both use exactly
 * these functions, so they cannot disagree.
 */
export interface StreamProjection<Accumulator, Row> {
  readonly name: string;
  /** Stream category this projection reads (`<category>-<id>`). */
  readonly category: string;
  /** Tables the projection owns, emptied before a rebuild. Unqualified names (search_path applies). */
  readonly tables: readonly string[];
  initial(): Accumulator;
  evolve(accumulator: Accumulator, event: RecordedEvent): Accumulator;
  toRows(accumulator: Accumulator): Row[];
  /** Upserts rows; must accept any number of rows in one call. */
  write(sql: SqlClient, rows: readonly Row[]): Promise<void>;
}

/** Folds one stream's events through a projection. */
export function foldStream<Accumulator, Row>(projection: StreamProjection<Accumulator, Row>, events: readonly RecordedEvent[]): Accumulator {
  let accumulator = projection.initial();
  for (const event of events) accumulator = projection.evolve(accumulator, event);
  return accumulator;
}

/** Inline use: folds the stream's full history and upserts the resulting rows in `tx`. */
export async function projectStream<Accumulator, Row>(
  tx: SqlClient,
  projection: StreamProjection<Accumulator, Row>,
  history: readonly RecordedEvent[],
): Promise<void> {
  const rows = projection.toRows(foldStream(projection, history));
  if (rows.length > 0) await projection.write(tx, rows);
}

/** A projection with its type parameters erased, for lists of heterogeneous projections. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the list holds projections of different row types
export type AnyStreamProjection = StreamProjection<any, any>;
