import { foldEvents, type Decider, type DomainEvent } from '../decider/decider.js';
import type { SqlClient } from '../database/sql.js';
import type { RecordedEvent } from '../event-store/contract.js';
import { SqlEventStore } from '../event-store/sql-event-store.js';
import type { SnapshotPolicy, StreamSnapshot } from '../snapshots/contract.js';
import { SqlSnapshotStore } from '../snapshots/sql-snapshot-store.js';

/** What a command needs to know of its stream's handling to load it. */
interface StreamSpec<Command, Event extends DomainEvent, State> {
  readonly streamId: string;
  readonly decider: Decider<Command, Event, State>;
  readonly snapshots?: SnapshotPolicy;
}

/** A stream as commands decide against it. */
export interface LoadedStream<State> {
  /** The snapshot it started from, if any. */
  readonly snapshot: StreamSnapshot<State> | undefined;
  /** The events read: all of them, or those after the snapshot. */
  readonly history: RecordedEvent[];
  readonly version: number;
  readonly state: State;
}

/** Reads the stream inside `tx`: from its snapshot on when the spec keeps snapshots. */
export async function loadStream<Command, Event extends DomainEvent, State>(
  tx: SqlClient,
  spec: StreamSpec<Command, Event, State>,
): Promise<LoadedStream<State>> {
  const snapshot = spec.snapshots && (await new SqlSnapshotStore(tx).read<State>(spec.streamId, spec.snapshots.revision));
  const history = await new SqlEventStore(tx).readStream(spec.streamId, snapshot ? { afterVersion: snapshot.version } : undefined);
  const version = history.length === 0 ? (snapshot?.version ?? 0) : history[history.length - 1]!.version;
  // Recorded events are the decider's events with their place in the log added.
  const state = foldEvents(spec.decider, history as unknown as Event[], snapshot?.state ?? spec.decider.initialState());
  return { snapshot, history, version, state };
}

/** Saves `state` as of `version` when the stream is `every` events past the snapshot it was read from. */
export async function saveSnapshotIfDue<Command, Event extends DomainEvent, State>(
  tx: SqlClient,
  spec: StreamSpec<Command, Event, State>,
  loaded: LoadedStream<State>,
  version: number,
  state: State,
): Promise<void> {
  if (!spec.snapshots || version - (loaded.snapshot?.version ?? 0) < spec.snapshots.every) return;
  await new SqlSnapshotStore(tx).write(spec.streamId, spec.snapshots.revision, { version, state });
}
