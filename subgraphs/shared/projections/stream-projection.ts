import type { DomainEvent } from '../decider/decider.js';
import type { SqlClient } from '../database/sql.js';
import type { RecordedEvent } from '../event-store/contract.js';
import type { EventSchema } from '../event-store/event-schema.js';

/**
 * A read model as plain data: which events it folds, how one stream's events fold into an
 * accumulator, which rows the accumulator stands for, and how to upsert rows. Inline projection
 * and rebuild both use exactly these functions, so they cannot disagree.
 */
export interface StreamProjection<Accumulator, Row, Event extends DomainEvent = DomainEvent> {
  readonly name: string;
  /** Stream category this projection reads (`<category>-<id>`). */
  readonly category: string;
  /**
   * The event types it folds (with their upcasters): inline projection and rebuild hand `evolve`
   * only these, decoded to their current shapes, whatever else its streams hold.
   */
  readonly events: EventSchema<Event>;
  /** Tables the projection owns, emptied before a rebuild. Unqualified names (search_path applies). */
  readonly tables: readonly string[];
  initial(): Accumulator;
  evolve(accumulator: Accumulator, event: RecordedEvent<Event>): Accumulator;
  toRows(accumulator: Accumulator): Row[];
  /** Upserts rows; must accept any number of rows in one call. */
  write(sql: SqlClient, rows: readonly Row[]): Promise<void>;
}

/** Folds one stream's events through a projection: those of the types it declares, decoded. */
export function foldStream<Accumulator, Row, Event extends DomainEvent>(
  projection: StreamProjection<Accumulator, Row, Event>,
  events: readonly RecordedEvent[],
): Accumulator {
  let accumulator = projection.initial();
  for (const recorded of events) {
    const event = projection.events.select(recorded);
    if (event) accumulator = projection.evolve(accumulator, event);
  }
  return accumulator;
}

/** Inline use: folds the stream's full history and upserts the resulting rows in `tx`. */
export async function projectStream<Accumulator, Row, Event extends DomainEvent>(
  tx: SqlClient,
  projection: StreamProjection<Accumulator, Row, Event>,
  history: readonly RecordedEvent[],
): Promise<void> {
  const rows = projection.toRows(foldStream(projection, history));
  if (rows.length > 0) await projection.write(tx, rows);
}

/** A projection with its type parameters erased, for lists of heterogeneous projections. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the list holds projections of different accumulators and row types
export type AnyStreamProjection = StreamProjection<any, any, DomainEvent>;
