/**
 * When a stream's decider state is saved, and which saved states a command may start from.
 *
 * A snapshot is derived data, like a read model: the events stay the source of truth. Commands on
 * a stream with a snapshot read the snapshot and only the events after it, so their cost stays
 * flat however long the stream grows.
 */
export interface SnapshotPolicy {
  /**
   * Names the shape of the state and the `evolve` that produced it. Change it whenever either
   * changes: snapshots of another revision are ignored (and replaced by the next one written).
   */
  readonly revision: string;
  /** A new snapshot is written once a command leaves the stream this many events past the last one. */
  readonly every: number;
}

/** A decider's state of one stream as of a stream version. The state must survive JSON. */
export interface StreamSnapshot<State> {
  readonly version: number;
  readonly state: State;
}

/** Reads and writes snapshots, inside the caller's transaction. */
export interface SnapshotStore {
  /** The stream's snapshot of `revision`; undefined when there is none (or only of another revision). */
  read<State>(streamId: string, revision: string): Promise<StreamSnapshot<State> | undefined>;
  /** Saves `snapshot` unless the stream already has a later one of the same revision. */
  write<State>(streamId: string, revision: string, snapshot: StreamSnapshot<State>): Promise<void>;
}
