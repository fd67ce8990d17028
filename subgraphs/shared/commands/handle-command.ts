import type { Decider, DomainEvent } from '../decider/decider.js';
import { foldEvents } from '../decider/decider.js';
import { PgErrorCode, sqlState, type SqlClient } from '../database/sql.js';
import { ErrorCode, badInput, concurrencyConflict, isDomainError } from '../errors/codes.js';
import type { EventMetadata, RecordedEvent } from '../event-store/contract.js';
import { SqlEventStore } from '../event-store/sql-event-store.js';
import type { SnapshotPolicy } from '../snapshots/contract.js';
import { SqlSnapshotStore } from '../snapshots/sql-snapshot-store.js';
import { runIdempotent } from './idempotency.js';

/** A command aimed at one stream, decided by a decider, with its inline projections. */
export interface StreamCommand<Command, Event extends DomainEvent, State> {
  readonly streamId: string;
  readonly decider: Decider<Command, Event, State>;
  readonly command: Command;
  /** The client's expectation: when given, a mismatch is reported instead of retried. */
  readonly expectedVersion?: number | null;
  readonly metadata: EventMetadata;
  readonly idempotencyKey?: string | null;
  /**
   * What an idempotency key is bound to; defaults to the stream and the command. A command holding
   * values the server chose (a generated id, the current time) passes the client's request instead,
   * so that a retry of the same request replays rather than counting as a different command.
   */
  readonly idempotencyScope?: unknown;
  /**
   * Start from the stream's saved decider state instead of its first event, and save a new one
   * every `every` events: for streams that grow without end (a stock level's movements).
   */
  readonly snapshots?: SnapshotPolicy;
  /** Checks against read models before deciding (e.g. that referenced entities exist). */
  readonly precheck?: (tx: SqlClient) => Promise<void>;
  /**
   * Inline projections: update read models in the same transaction as the append. Receives the
   * events read and appended (`history`: the stream's whole history without `snapshots`, so a
   * projection can fold it the same way a rebuild does; with them, only the events after the
   * snapshot), the new events and the decider's state after them.
   */
  readonly project?: (tx: SqlClient, stream: { history: RecordedEvent[]; appended: RecordedEvent[]; state: State }) => Promise<void>;
}

/** What a handled command produced. */
export interface CommandOutcome {
  readonly events: RecordedEvent[];
  /** Stream version after the command. */
  readonly version: number;
  /** True when an idempotency key matched an earlier identical command: nothing was appended. */
  readonly replayed: boolean;
}

interface StoredOutcome {
  events: Array<Omit<RecordedEvent, 'occurredAt'> & { occurredAt: string }>;
  version: number;
}

const MAX_ATTEMPTS = 20;

function isRetryable(error: unknown): boolean {
  const state = sqlState(error);
  return state === PgErrorCode.SERIALIZATION_FAILURE || state === PgErrorCode.DEADLOCK_DETECTED;
}

/**
 * Load → decide → append → project, in one transaction. Without a client expectedVersion the
 * append expects the version that was read, and a concurrent writer makes it start over with fresh
 * state, so invariants hold under any concurrency (the loser re-decides and may be refused).
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  sql: SqlClient,
  spec: StreamCommand<Command, Event, State>,
): Promise<CommandOutcome> {
  const expected = spec.expectedVersion;
  if (expected != null && (!Number.isSafeInteger(expected) || expected < 0)) {
    throw badInput(`expectedVersion must be a non-negative integer, got ${expected}`, 'expectedVersion');
  }
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await sql.transaction((tx) => runOnce(tx, spec));
    } catch (error) {
      const conflict = isDomainError(error) && error.code === ErrorCode.CONCURRENCY_CONFLICT;
      const clientExpectation = spec.expectedVersion != null;
      if (attempt < MAX_ATTEMPTS && ((conflict && !clientExpectation) || isRetryable(error))) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 50)));
        continue;
      }
      throw error;
    }
  }
}

async function runOnce<Command, Event extends DomainEvent, State>(
  tx: SqlClient,
  spec: StreamCommand<Command, Event, State>,
): Promise<CommandOutcome> {
  const decideAndAppend = async (): Promise<StoredOutcome> => {
    const store = new SqlEventStore(tx);
    await spec.precheck?.(tx);
    const snapshots = spec.snapshots && { policy: spec.snapshots, store: new SqlSnapshotStore(tx) };
    const snapshot = snapshots && (await snapshots.store.read<State>(spec.streamId, snapshots.policy.revision));
    const history = await store.readStream(spec.streamId, snapshot ? { afterVersion: snapshot.version } : undefined);
    const currentVersion = history.length === 0 ? (snapshot?.version ?? 0) : history[history.length - 1]!.version;
    const state = foldEvents(spec.decider, history as unknown as Event[], snapshot?.state ?? spec.decider.initialState());
    const expectedVersion = spec.expectedVersion ?? currentVersion;
    if (spec.expectedVersion != null && spec.expectedVersion !== currentVersion) {
      // Fail before deciding: the client decided on a state that is gone.
      throw concurrencyConflict(spec.streamId, spec.expectedVersion, currentVersion);
    }
    const newEvents = spec.decider.decide(spec.command, state);
    const metadata = spec.idempotencyKey ? { ...spec.metadata, idempotencyKey: spec.idempotencyKey } : spec.metadata;
    const appended = await store.appendToStream(spec.streamId, newEvents, { expectedVersion, metadata });
    const after = foldEvents(spec.decider, appended.events as unknown as Event[], state);
    if (snapshots && appended.nextExpectedVersion - (snapshot?.version ?? 0) >= snapshots.policy.every) {
      await snapshots.store.write(spec.streamId, snapshots.policy.revision, { version: appended.nextExpectedVersion, state: after });
    }
    await spec.project?.(tx, { history: [...history, ...appended.events], appended: appended.events, state: after });
    return {
      events: appended.events.map((event) => ({ ...event, occurredAt: event.occurredAt.toISOString() })),
      version: appended.nextExpectedVersion,
    };
  };

  if (!spec.idempotencyKey) {
    const outcome = await decideAndAppend();
    return { ...revive(outcome), replayed: false };
  }
  const outcome = await runIdempotent(
    tx,
    spec.idempotencyKey,
    spec.idempotencyScope ?? { streamId: spec.streamId, command: spec.command },
    decideAndAppend,
  );
  return { ...revive(outcome.result), replayed: outcome.replayed };
}

function revive(stored: StoredOutcome): Omit<CommandOutcome, 'replayed'> {
  return {
    version: stored.version,
    events: stored.events.map((event) => ({ ...event, occurredAt: new Date(event.occurredAt) })),
  };
}
