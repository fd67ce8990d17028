import type { SqlClient } from '../database/sql.js';
import { LOG_START, type LogCursor } from '../event-store/contract.js';

/**
 * The cursor of the last commit-safe event (what `readAll` would return last right now), or the
 * log start. Everything up to it is final: a later `readAll` sees all of it.
 */
export async function commitSafeHead(sql: SqlClient): Promise<LogCursor> {
  const [row] = await sql.query<{ transaction_id: string; position: string }>(
    `SELECT transaction_id, position FROM events
     WHERE transaction_id < (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint
     ORDER BY transaction_id DESC, position DESC LIMIT 1`,
  );
  return row ? { transactionId: String(row.transaction_id), position: String(row.position) } : LOG_START;
}
