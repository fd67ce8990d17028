import type { DomainEvent } from '../decider/decider.js';
import { foldEvents } from '../decider/decider.js';
import type { SqlClient } from '../database/sql.js';
import { ErrorCode, concurrencyConflict, isDomainError } from '../errors/codes.js';
import type { RecordedEvent } from '../event-store/contract.js';
import type { EventSchema } from '../event-store/event-schema.js';
import { SqlEventStore } from '../event-store/sql-event-store.js';
import type { CommandOutcome, StreamCommand } from './handle-command.js';
import { boundStatements, checkDeadline } from './deadline.js';
import { runIdempotent } from './idempotency.js';
import { TRANSACTION_ATTEMPTS, isTransientTransactionFailure, retrying, transactionRetry } from './retry.js';
import { lockStream } from './stream-lock.js';
import { loadStream, saveSnapshotIfDue } from './stream-state.js';

interface StoredOutcome {
  events: Array<Omit<RecordedEvent, 'occurredAt'> & { occurredAt: string }>;
  version: number;
}

const isConflict = (error: unknown): boolean => isDomainError(error) && error.code === ErrorCode.CONCURRENCY_CONFLICT;

// A command without `expectedVersion` did not ask to hear of a conflict: it is decided again on
// the state that won.
const retryTransientOrConflict = retrying({
  attempts: TRANSACTION_ATTEMPTS,
  retryable: (error) => isTransientTransactionFailure(error) || isConflict(error),
});

/**
 * Runs one command in a transaction of its own, again after a deadlock or serialization failure,
 * and after a conflict the client did not ask to hear of (`serialized`, that takes a writer
 * outside the commands: a tool appending to the stream directly). A client's `expectedVersion`
 * makes a conflict its answer.
 */
export async function runAlone<Command, Event extends DomainEvent, State>(
  sql: SqlClient,
  spec: StreamCommand<Command, Event, State>,
  serialized: boolean,
): Promise<CommandOutcome<Event>> {
  const retry = spec.expectedVersion != null ? transactionRetry : retryTransientOrConflict;
  return retry.run(() => sql.transaction((tx) => runOnce(tx, spec, serialized)));
}

async function runOnce<Command, Event extends DomainEvent, State>(
  tx: SqlClient,
  spec: StreamCommand<Command, Event, State>,
  serialized: boolean,
): Promise<CommandOutcome<Event>> {
  // First, before anything of the stream is read (the state decided on is the one the append
  // extends) and before any write (writers of a stream then take transaction ids in turn, so the
  // log orders a stream's events by version).
  checkDeadline(spec.deadline);
  await boundStatements(tx, spec.deadline);
  if (serialized) await lockStream(tx, spec.streamId);
  const decideAndAppend = async (): Promise<StoredOutcome> => {
    await spec.precheck?.(tx);
    const stream = await loadStream(tx, spec);
    if (spec.expectedVersion != null && spec.expectedVersion !== stream.version) {
      // Fail before deciding: the client decided on a state that is gone.
      throw concurrencyConflict(spec.streamId, spec.expectedVersion, stream.version);
    }
    const newEvents = spec.decider.decide(spec.command, stream.state);
    const metadata = spec.idempotencyKey ? { ...spec.metadata, idempotencyKey: spec.idempotencyKey } : spec.metadata;
    const appended = await new SqlEventStore(tx, spec.events).appendToStream(spec.streamId, newEvents, { expectedVersion: spec.expectedVersion ?? stream.version, metadata });
    const after = foldEvents(spec.decider, appended.events, stream.state);
    await saveSnapshotIfDue(tx, spec, stream, appended.nextExpectedVersion, after);
    await spec.project?.(tx, { history: [...stream.history, ...appended.events], appended: appended.events, state: after });
    return {
      events: appended.events.map((event) => ({ ...event, occurredAt: event.occurredAt.toISOString() })),
      version: appended.nextExpectedVersion,
    };
  };

  if (!spec.idempotencyKey) {
    const outcome = await decideAndAppend();
    // Right before COMMIT: an answer the router would no longer take is rolled back instead.
    checkDeadline(spec.deadline);
    return { ...revive(spec.events, outcome), replayed: false };
  }
  const outcome = await runIdempotent(
    tx,
    spec.idempotencyKey,
    spec.idempotencyScope ?? { streamId: spec.streamId, command: spec.command },
    decideAndAppend,
  );
  // A replay wrote nothing; a first run is rolled back rather than committed too late.
  if (!outcome.replayed) checkDeadline(spec.deadline);
  return { ...revive(spec.events, outcome.result), replayed: outcome.replayed };
}

/**
 * A stored outcome back as the command's outcome. A replay's events come from the idempotency
 * record, as JSON the first run wrote, perhaps long ago: they are decoded like any stored event.
 */
function revive<Event extends DomainEvent>(events: EventSchema<Event>, stored: StoredOutcome): Omit<CommandOutcome<Event>, 'replayed'> {
  return {
    version: stored.version,
    events: stored.events.map((event) => events.decode({ ...event, occurredAt: new Date(event.occurredAt) })),
  };
}
