import type { SqlClient } from '../database/sql.js';

/** First half of the advisory lock key of a stream's commands; the second is `hashtext(streamId)`. */
const STREAM_COMMAND_LOCK = 0x7374_726d; // "strm"

/**
 * Waits for, then holds until the end of transaction `tx`, the right to decide commands on
 * `streamId`: writers of one stream take turns, in every process on the database, instead of
 * racing and starting over. A transaction-level advisory lock gives the waiting transaction no
 * transaction id, so waiters do not hold the publisher back. (Two streams whose names hash alike
 * share a lock: they only take turns.) PGlite runs one transaction at a time anyway; there the
 * lock is never contended.
 */
export async function lockStream(tx: SqlClient, streamId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [STREAM_COMMAND_LOCK, streamId]);
}
