import type { DomainEvent } from '../decider/decider.js';
import { foldEvents } from '../decider/decider.js';
import type { SqlClient } from '../database/sql.js';
import { ErrorCode, concurrencyConflict, isDomainError } from '../errors/codes.js';
import type { EventSchema } from '../event-store/event-schema.js';
import { SqlEventStore } from '../event-store/sql-event-store.js';
import type { CommandOutcome, StreamCommand } from './handle-command.js';
import { commandTransaction } from './command-transaction.js';
import { runIdempotent } from './idempotency.js';
import { TRANSACTION_ATTEMPTS, isTransientTransactionFailure, retrying, transactionRetry } from './retry.js';
import { revivedEvents, storedEvents, type StoredEvent } from './stored-events.js';
import { lockStream } from './stream-lock.js';
import { loadStream, saveSnapshotIfDue } from './stream-state.js';

interface StoredOutcome {
  events: StoredEvent[];
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
  // A replay wrote nothing; a first run is rolled back rather than committed too late.
  return commandTransaction(sql, { deadline: spec.deadline, retry, wrote: (outcome) => !outcome.replayed }, async (tx) => {
    // Before anything of the stream is read, and before any write (writers of a stream then take
    // transaction ids in turn, so the log orders a stream's events by version).
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
      const appended = await new SqlEventStore(tx, spec.events).appendToStream(spec.streamId, newEvents, {
        expectedVersion: spec.expectedVersion ?? stream.version,
        metadata,
      });
      const after = foldEvents(spec.decider, appended.events, stream.state);
      await saveSnapshotIfDue(tx, spec, stream, appended.nextExpectedVersion, after);
      await spec.project?.(tx, { history: [...stream.history, ...appended.events], appended: appended.events, state: after });
      return { events: storedEvents(appended.events), version: appended.nextExpectedVersion };
    };

    if (!spec.idempotencyKey) return { ...revive(spec.events, await decideAndAppend()), replayed: false };
    const outcome = await runIdempotent(tx, spec.idempotencyKey, spec.idempotencyScope ?? { streamId: spec.streamId, command: spec.command }, decideAndAppend);
    return { ...revive(spec.events, outcome.result), replayed: outcome.replayed };
  });
}

/** A stored outcome back as the command's outcome. */
function revive<Event extends DomainEvent>(events: EventSchema<Event>, stored: StoredOutcome): Omit<CommandOutcome<Event>, 'replayed'> {
  return { version: stored.version, events: revivedEvents(events, stored.events) };
}
