import type { SqlClient } from '../database/sql.js';
import type { SnapshotStore, StreamSnapshot } from './contract.js';

/** Snapshots in the `stream_snapshots` table: one row per stream, its latest state. */
export class SqlSnapshotStore implements SnapshotStore {
  constructor(private readonly sql: SqlClient) {}

  async read<State>(streamId: string, revision: string): Promise<StreamSnapshot<State> | undefined> {
    const [row] = await this.sql.query<{ version: number; state: State }>(
      'SELECT version, state FROM stream_snapshots WHERE stream_id = $1 AND revision = $2',
      [streamId, revision],
    );
    return row ? { version: row.version, state: row.state } : undefined;
  }

  async write<State>(streamId: string, revision: string, snapshot: StreamSnapshot<State>): Promise<void> {
    // A row of another revision is replaced whatever its version: it cannot be used anyway.
    await this.sql.query(
      `INSERT INTO stream_snapshots (stream_id, revision, version, state, updated_at) VALUES ($1, $2, $3, $4::jsonb, now())
       ON CONFLICT (stream_id) DO UPDATE SET revision = EXCLUDED.revision, version = EXCLUDED.version,
         state = EXCLUDED.state, updated_at = EXCLUDED.updated_at
       WHERE stream_snapshots.revision <> EXCLUDED.revision OR stream_snapshots.version < EXCLUDED.version`,
      [streamId, revision, snapshot.version, JSON.stringify(snapshot.state)],
    );
  }
}
