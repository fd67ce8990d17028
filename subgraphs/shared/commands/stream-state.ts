import { foldEvents, type Decider, type DomainEvent } from '../decider/decider.js';
import type { SqlClient } from '../database/sql.js';
import type { RecordedEvent } from '../event-store/contract.js';
import type { EventSchema } from '../event-store/event-schema.js';
import { SqlEventStore } from '../event-store/sql-event-store.js';
import type { SnapshotPolicy, StreamSnapshot } from '../snapshots/contract.js';
import { SqlSnapshotStore } from '../snapshots/sql-snapshot-store.js';

/** What a command needs to know of its stream's handling to load it. */
interface StreamSpec<Command, Event extends DomainEvent, State> {
  readonly streamId: string;
  readonly events: EventSchema<Event>;
  readonly decider: Decider<Command, Event, State>;
  readonly snapshots?: SnapshotPolicy;
}

/** A stream as commands decide against it. */
export interface LoadedStream<Event extends DomainEvent, State> {
  /** The snapshot it started from, if any. */
  readonly snapshot: StreamSnapshot<State> | undefined;
  /** The events read (decoded: in their current shapes): all of them, or those after the snapshot. */
  readonly history: Array<RecordedEvent<Event>>;
  readonly version: number;
  readonly state: State;
}

/** Reads the stream inside `tx`: from its snapshot on when the spec keeps snapshots. */
export async function loadStream<Command, Event extends DomainEvent, State>(
  tx: SqlClient,
  spec: StreamSpec<Command, Event, State>,
): Promise<LoadedStream<Event, State>> {
  const snapshot = spec.snapshots && (await new SqlSnapshotStore(tx).read<State>(spec.streamId, spec.snapshots.revision));
  // The events after the snapshot are read through the schema like any others: a replay from a
  // snapshot sees current shapes too.
  const history = await new SqlEventStore(tx, spec.events).readStream(spec.streamId, snapshot ? { afterVersion: snapshot.version } : undefined);
  const version = history.length === 0 ? (snapshot?.version ?? 0) : history[history.length - 1]!.version;
  const state = foldEvents(spec.decider, history, snapshot?.state ?? spec.decider.initialState());
  return { snapshot, history, version, state };
}

/** Saves `state` as of `version` when the stream is `every` events past the snapshot it was read from. */
export async function saveSnapshotIfDue<Command, Event extends DomainEvent, State>(
  tx: SqlClient,
  spec: StreamSpec<Command, Event, State>,
  loaded: LoadedStream<Event, State>,
  version: number,
  state: State,
): Promise<void> {
  if (!spec.snapshots || version - (loaded.snapshot?.version ?? 0) < spec.snapshots.every) return;
  await new SqlSnapshotStore(tx).write(spec.streamId, spec.snapshots.revision, { version, state });
}
