import type { DomainEvent } from '../decider/decider.js';
import type { SqlClient } from '../database/sql.js';
import type { EventMetadata, RecordedEvent } from '../event-store/contract.js';
import type { EventSchema } from '../event-store/event-schema.js';
import { SqlEventStore } from '../event-store/sql-event-store.js';
import { commandFailure } from './command-failure.js';
import { commandTransaction } from './command-transaction.js';
import { currentDeadline } from './deadline.js';
import { runIdempotent } from './idempotency.js';
import { transactionRetry } from './retry.js';
import { revivedEvents, storedEvents, type StoredEvent } from './stored-events.js';

/**
 * Commands decided together in one transaction and appended to one stream without reading it:
 * decided against read models (an entity's status, the ids already claimed), so that many
 * batches append to one stream at once (ingestion). Their events follow each other in the
 * stream, in command order.
 */
export interface CommandBatch<Command, Event extends DomainEvent> {
  readonly streamId: string;
  /** The events the stream holds. */
  readonly events: EventSchema<Event>;
  readonly commands: readonly Command[];
  readonly metadata: EventMetadata;
  /** When given, the whole batch runs at most once for the key (see StreamCommand.idempotencyKey). */
  readonly idempotencyKey?: string | null;
  /** What the key is bound to; defaults to the stream and the commands. */
  readonly idempotencyScope?: unknown;
  /**
   * Decides the commands inside the transaction, again on each try: each command's events, in
   * command order (none for a command with nothing new to record: an id already claimed). A
   * refusal (a DomainError) refuses the whole batch and writes nothing.
   */
  decide(tx: SqlClient, commands: readonly Command[]): Promise<ReadonlyArray<readonly Event[]>>;
  /** Inline projection of the appended events, in the same transaction; not called when none were. */
  project?(tx: SqlClient, appended: Array<RecordedEvent<Event>>): Promise<void>;
  /** When the caller stops waiting; by default the router's deadline (see withDeadline). */
  readonly deadline?: number;
}

/** What a handled batch produced. */
export interface BatchOutcome<Event extends DomainEvent = DomainEvent> {
  /** Each command's recorded events, in command order. */
  readonly results: Array<Array<RecordedEvent<Event>>>;
  /** Every event the batch appended, in stream order. */
  readonly events: Array<RecordedEvent<Event>>;
  /** True when an idempotency key matched an earlier identical batch: nothing was appended. */
  readonly replayed: boolean;
}

/** Each command's events as stored for a replay. */
type StoredBatch = StoredEvent[][];

/**
 * The batch mode of handleCommand: decide → append → project in one command transaction, with
 * its deadline, its retry on a deadlock or serialization failure, its idempotency key and its
 * failure classification. Once it resolved the batch is committed; the caller wakes the
 * publisher (Platform.afterCommit), as for a single command.
 */
export async function handleCommandBatch<Command, Event extends DomainEvent>(
  sql: SqlClient,
  batch: CommandBatch<Command, Event>,
): Promise<BatchOutcome<Event>> {
  const deadline = batch.deadline ?? currentDeadline();
  const key = batch.idempotencyKey;
  try {
    return await commandTransaction(sql, { deadline, retry: transactionRetry, wrote: (outcome) => !outcome.replayed }, async (tx) => {
      if (!key) return outcomeOf(await decideAndAppend(tx, batch, batch.metadata), false);
      const scope = batch.idempotencyScope ?? { streamId: batch.streamId, commands: batch.commands };
      const run = await runIdempotent(tx, key, scope, async (): Promise<StoredBatch> => {
        const results = await decideAndAppend(tx, batch, { ...batch.metadata, idempotencyKey: key });
        return results.map(storedEvents);
      });
      // A first run answers as its replays will: from what it stored.
      return outcomeOf(
        run.result.map((stored) => revivedEvents(batch.events, stored)),
        run.replayed,
      );
    });
  } catch (error) {
    throw commandFailure(error, deadline);
  }
}

function outcomeOf<Event extends DomainEvent>(results: Array<Array<RecordedEvent<Event>>>, replayed: boolean): BatchOutcome<Event> {
  return { results, events: results.flat(), replayed };
}

async function decideAndAppend<Command, Event extends DomainEvent>(
  tx: SqlClient,
  batch: CommandBatch<Command, Event>,
  metadata: EventMetadata,
): Promise<Array<Array<RecordedEvent<Event>>>> {
  const decided = await batch.decide(tx, batch.commands);
  if (decided.length !== batch.commands.length) throw new Error(`a batch of ${batch.commands.length} commands was decided as ${decided.length}`);
  const events = decided.flat();
  if (events.length === 0) return decided.map(() => []);
  // Not read, so not expected at any version: the batch's own checks stand for the stream's.
  const appended = await new SqlEventStore(tx, batch.events).appendToStream(batch.streamId, events, { expectedVersion: 'ANY', metadata });
  await batch.project?.(tx, appended.events);
  let offset = 0;
  return decided.map((own) => appended.events.slice(offset, (offset += own.length)));
}
