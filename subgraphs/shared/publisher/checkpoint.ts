import type { SqlClient } from '../database/sql.js';
import { LOG_START, type LogCursor } from '../event-store/contract.js';

/** Where consumer `name` stopped; the log start when it never ran. */
export async function readCheckpoint(sql: SqlClient, name: string): Promise<LogCursor> {
  const rows = await sql.query<{ transaction_id: string; position: string }>('SELECT transaction_id, position FROM checkpoints WHERE name = $1', [name]);
  const row = rows[0];
  return row ? { transactionId: String(row.transaction_id), position: String(row.position) } : LOG_START;
}

/**
 * Saves where consumer `name` stopped, in one statement that commits without waiting for the disk:
 * a checkpoint lost in a crash only means events are published again (at least once).
 * `set_config(…, true)` is SET LOCAL for the statement's own transaction, so nothing leaks into the
 * session; call it outside a transaction (inside one, the whole transaction commits that way).
 */
export async function writeCheckpoint(sql: SqlClient, name: string, cursor: LogCursor): Promise<void> {
  await sql.query(
    `INSERT INTO checkpoints (name, transaction_id, position, updated_at)
     SELECT $1, $2::bigint, $3::bigint, now() FROM (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed
     ON CONFLICT (name) DO UPDATE SET transaction_id = EXCLUDED.transaction_id, position = EXCLUDED.position, updated_at = now()`,
    [name, cursor.transactionId, cursor.position],
  );
}

/**
 * True when committed events exist after `cursor`, commit-safe or not (held back by older ones).
 * Written as ORDER BY … LIMIT 1, not EXISTS: the planner drops the order inside EXISTS and, on a
 * log that grew faster than its statistics, scans the whole table for the row comparison.
 */
export async function eventsAfter(sql: SqlClient, cursor: LogCursor): Promise<boolean> {
  const rows = await sql.query<{ found: number }>(
    'SELECT 1 AS found FROM events WHERE (transaction_id, position) > ($1::bigint, $2::bigint) ORDER BY transaction_id, position LIMIT 1',
    [cursor.transactionId, cursor.position],
  );
  return rows.length > 0;
}
